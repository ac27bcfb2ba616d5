# Annotated assignment: only with a value does it bind; the annotation is evaluated at module level.
# defines: x
# reads: Mapping Config obj
x: Mapping = {}
y: Config
obj.attr: int
