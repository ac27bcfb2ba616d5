# Plain, chained, tuple and starred assignment; the value is evaluated before the targets are bound.
# defines: a b c d e rest x
# reads: source other
a = source
b = c = a + 1
d, (e, *rest) = other
x = 1
x = x + 1
