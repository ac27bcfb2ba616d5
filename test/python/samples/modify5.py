# Aliases: X = df makes a modification of X a possible modification of df; rebinding ends the alias.
# defines: X Y
# reads: df other
# modifies: X:certain df:possible Y:likely
X = df
X["a"] = 1
Y = other
Y = list(Y)
Y.append(2)
