# A function assigning a global via `global` does not define it when the cell runs.
# defines: setup
# reads:
def setup():
    global CONFIG
    CONFIG = {}
