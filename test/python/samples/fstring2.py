# PEP 701 f-strings (3.12): the same quotes inside replacement fields, nested f-strings.
# python: 3.12
# defines: msg
# reads: d inner
msg = f"{d["key"]} {f"{inner!r}"}"
