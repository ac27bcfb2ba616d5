# match captures bind; value patterns and class patterns read.
# python: 3.10
# defines: y x rest whole k v other
# reads: command Point Color
match command:
    case Point(x=0, y=y) | [x, y, *rest] as whole:
        pass
    case {"key": k, **v}:
        pass
    case Color.RED | None | 1:
        pass
    case other:
        pass
