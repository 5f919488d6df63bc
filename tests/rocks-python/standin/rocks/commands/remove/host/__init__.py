import rocks.commands.remove


class Command(rocks.commands.remove.command):
    """
    Stand-in for Rocks' own remove host.
    """

    def run(self, params, args):
        self.addText("Rocks' own remove host\n")
