# for targets bind; the iterable is evaluated before the target; else branch.
# defines: i j k done
# reads: pairs
for i, (j, k) in pairs:
    pass
else:
    done = True
