# Well-known mutating methods: likely; inplace=True on the name itself: certain.
# defines:
# reads: items lookup df seen
# modifies: items:likely lookup:likely df:certain seen:likely items:likely
items.append(1)
lookup.update({"a": 1})
df.dropna(inplace=True)
seen.add(3)
items.sort(key=len)
