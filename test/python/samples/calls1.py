# Calls through attributes and subscripts read the root name only.
# defines: out
# reads: df col transform
out = df.groupby(col)[col].agg(transform).reset_index()
