# A name read before the cell binds it is a read, even if the same statement binds it.
# defines: total counter
# reads: total counter
total = total + 1
counter += 1
