%%time
# %%time keeps its body as Python.
# defines: total
# reads: values
total = sum(values)
