# Class bodies do not enclose methods or comprehensions: `scale` in both resolves to the module.
# defines: Scaler
# reads: values scale
class Scaler:
    scale = 2
    factors = [v * scale for v in values]
    def apply(self, x):
        return x * scale
