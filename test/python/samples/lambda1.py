# Lambda defaults are evaluated now, the body is not.
# defines: f key_fn
# reads: dflt data
f = lambda x, y=dflt: x + y + later
key_fn = lambda r: r[col]
sorted(data, key=lambda d: d[other])
