# `!` in `!=` or strings, `%` as modulo and `?` in strings are plain Python; indented magics in blocks.
# defines: ok rem q
# reads: a b flag
ok = a != b and "!ls" != "%time"
rem = a % b
q = "what?"
if flag:
    !echo yes
    %time rem = 3
