import rocks.commands.list


class Command(rocks.commands.list.command):
    """
    Stand-in for Rocks' own list host.
    """

    def run(self, params, args):
        self.addText("Rocks' own list host\n")
