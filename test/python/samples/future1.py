# With `from __future__ import annotations` annotations are not evaluated.
# defines: annotations f x
# reads:
from __future__ import annotations
def f(a: Missing) -> Other:
    pass
x: Unknown = 1
