# Subscript/attribute assignment, del of an item and augmented item assignment change the object: certain.
# defines:
# reads: df obj counts cache
# modifies: df:certain obj:certain counts:certain cache:certain df:certain
df["total"] = df.a + df.b
obj.name = "x"
counts["k"] += 1
del cache["old"]
df.loc[df.a > 0, "flag"] = True
