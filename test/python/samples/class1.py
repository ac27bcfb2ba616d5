# Class bodies run at definition; a name read before the class binds it comes from the module.
# defines: Model
# reads: Base Meta size
class Model(Base, metaclass=Meta):
    width = size
    size = 2
    area = width * size
