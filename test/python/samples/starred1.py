# Starred targets and unpacking in calls and displays.
# defines: first rest merged
# reads: seq args kw extra
first, *rest = seq
print(*args, **kw)
merged = {**kw, "k": [*extra]}
