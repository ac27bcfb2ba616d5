# Names inside f-string replacement fields and nested format specs are reads.
# defines: msg
# reads: name width value
msg = f"{name!r:>{width}} = {value:.2f}"
