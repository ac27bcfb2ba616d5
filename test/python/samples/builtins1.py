# Builtins and IPython names are not reads from other cells.
# defines: n
# reads:
n = len(range(10))
print(sum([abs(-1)]), display, get_ipython, In, Out, _, __, _i, _i3, _5)
