# except* (3.11) binds the group.
# python: 3.11
# defines: eg
# reads: work
try:
    work()
except* ValueError as eg:
    print(eg)
