# Keyword-only defaults, positional-only parameters, async functions.
# defines: g h
# reads: po kwd
def g(a, /, b=po, *, c=kwd):
    pass
async def h():
    await something
