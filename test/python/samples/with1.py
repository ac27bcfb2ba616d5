# with ... as binds; the context expression is read first.
# defines: fh a b lines
# reads: path lock pair
with open(path) as fh, lock, pair as (a, b):
    lines = fh.readlines()
