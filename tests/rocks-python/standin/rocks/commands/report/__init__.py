import rocks.commands


class command(rocks.commands.Command):
    MustBeRoot = 0
