import rocks.commands.report


class Command(rocks.commands.report.command):
    """
    Stand-in for Rocks' own report host.
    """

    def run(self, params, args):
        self.addText("Rocks' own report host\n")
