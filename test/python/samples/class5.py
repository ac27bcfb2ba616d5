# The first iterable of a comprehension in a class body is evaluated in the class scope.
# defines: Table
# reads: limit
class Table:
    cols = ["a", "b"]
    upper = [c.upper() for c in cols if len(c) < limit]
