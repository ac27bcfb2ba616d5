# Walrus in a conditional test is evaluated before the branches.
# defines: m
# reads: pattern text
print(m.group(0) if (m := pattern.match(text)) else None)
