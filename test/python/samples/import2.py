# A star import binds nothing knowable (the cell is opaque); reads after it stay reads.
# defines:
# reads: pi
from math import *
print(pi)
