import rocks.commands


class command(rocks.commands.Command):
    pass
