import rocks.commands.set


class Command(rocks.commands.set.command):
    """
    Stand-in for Rocks' own set attr.
    """

    def run(self, params, args):
        self.addText("Rocks' own set attr\n")
