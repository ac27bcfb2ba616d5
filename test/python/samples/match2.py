# The guard sees the captures; `_` binds nothing.
# python: 3.10
# defines: code
# reads: status limit
match status:
    case [code, _] if code > limit:
        pass
    case _:
        pass
