# `global` at module level changes nothing.
# defines: x
# reads:
global x
x = 1
