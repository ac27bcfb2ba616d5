# Decorators, defaults and annotations are evaluated at definition time; the body is not.
# defines: f
# reads: deco dflt Arg Ret
@deco
def f(a: Arg = dflt, *args, kw=None, **kwargs) -> Ret:
    return a + hidden + helper()
