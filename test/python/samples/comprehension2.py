# The comprehension variable does not leak; a later read of the same name is a read.
# defines: out
# reads: items x
out = [x for x in items]
print(x)
