# Augmented assignment on a subscript reads (and modifies) the container, it does not bind it.
# defines:
# reads: counts key delta
counts[key] += delta
