# Comprehension targets are local; the first iterable is evaluated in the enclosing scope.
# defines: squares pairs lookup gen
# reads: nums xs ys threshold
squares = [n * n for n in nums]
pairs = {(x, y) for x in xs for y in ys if x < threshold}
lookup = {k: v for k, v in pairs}
gen = (n for n in nums)
