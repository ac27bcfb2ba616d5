# except ... as binds the name (Python deletes it at the end of the handler, but it is still a binding).
# defines: result err
# reads: compute log
try:
    result = compute()
except (ValueError, KeyError) as err:
    log(err)
