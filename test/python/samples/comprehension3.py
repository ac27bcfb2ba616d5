# Nested comprehensions: the inner one sees the outer one's targets.
# defines: grid
# reads: rows width
grid = [[(r, c) for c in range(width)] for r in rows]
