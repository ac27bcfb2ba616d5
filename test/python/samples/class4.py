# Methods using super() and __class__ need no global; nested classes do not see outer class names.
# defines: Child
# reads: Parent limit
class Child(Parent):
    limit = 3
    class Inner:
        copy = limit
    def m(self):
        return super().m(), __class__
