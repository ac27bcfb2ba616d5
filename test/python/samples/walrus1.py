# Walrus binds in the enclosing scope, also inside a comprehension.
# defines: n last filtered
# reads: data limit
if (n := len(data)) > limit:
    pass
filtered = [x for x in data if (last := x) > n]
print(last)
