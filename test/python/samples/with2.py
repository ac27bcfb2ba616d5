# Parenthesized context managers (3.10).
# python: 3.10
# defines: f g
# reads: a b
with (open(a) as f, open(b) as g):
    pass
