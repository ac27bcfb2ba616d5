# A read textually before the binding is a read, even inside a loop that binds it later.
# defines: acc
# reads: n acc
while n:
    print(acc)
    acc = 1
