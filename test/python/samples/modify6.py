# Chained targets may change a copy (pandas): likely; mutation inside a function is not the cell's.
# defines: f
# reads: df
# modifies: df:likely
df["a"][0] = 1
def f():
    df["b"] = 2
