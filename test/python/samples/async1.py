# Top-level await (IPython) and async comprehensions read like any expression.
# defines: page rows
# reads: fetch url stream
page = await fetch(url)
rows = [r async for r in stream]
