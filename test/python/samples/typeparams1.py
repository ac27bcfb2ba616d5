# Type parameters (3.12) are local to their annotation scope; a type alias's value is lazy.
# python: 3.12
# defines: first Box Vec
# reads: Base
def first[T](xs: list[T]) -> T:
    return xs[0]
class Box[T](Base):
    pass
type Vec[T] = list[T] | Missing
