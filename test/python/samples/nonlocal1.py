# nonlocal inside nested functions: nothing is read when the cell runs.
# defines: outer
# reads:
def outer():
    count = 0
    def inner():
        nonlocal count
        count += 1
    return inner
