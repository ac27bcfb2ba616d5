# General rule: a method call whose result is dropped possibly modifies its receiver, but not a module,
# and not read-only/display methods (head, plot, to_csv, …).
# defines: pd plt
# reads: tracker df
# modifies: tracker:possible
import pandas as pd
import matplotlib.pyplot as plt
tracker.register("x")
plt.plot([1, 2])
pd.set_option("display.max_rows", 10)
df.head()
df.to_csv("out.csv")
