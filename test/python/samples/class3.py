# A class body's `global` binds a module name when the cell runs.
# defines: registry Plugin
# reads:
class Plugin:
    global registry
    registry = []
