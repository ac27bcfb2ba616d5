# del binds nothing and is not a read; del of an item reads the container.
# defines: tmp
# reads: df
tmp = 1
del tmp
del old
del df["col"]
