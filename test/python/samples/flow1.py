# Flow-insensitive, textual order: a binding inside an earlier branch, loop or try counts as defining.
# defines: value item fallback
# reads: flag items risky
if flag:
    value = 1
else:
    pass
print(value)
for item in items:
    pass
print(item)
try:
    fallback = risky()
except Exception:
    fallback = None
print(fallback)
