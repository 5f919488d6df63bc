import rocks.commands.add


class Command(rocks.commands.add.command):
    """
    Stand-in for Rocks' own add host.
    """

    def run(self, params, args):
        self.addText("Rocks' own add host\n")
