# Decorators (with arguments) are read at definition time, on classes and methods too.
# defines: Service
# reads: dataclass register cache maxsize
@dataclass(frozen=True)
@register
class Service:
    @cache(maxsize)
    def run(self):
        return undefined_when_defined
