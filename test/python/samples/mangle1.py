# Private names in a class body are mangled; module names are not.
# defines: K
# reads:
class K:
    __secret = 1
    visible = __secret
