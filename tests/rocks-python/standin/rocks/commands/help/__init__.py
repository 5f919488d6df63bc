import rocks.commands


class command(rocks.commands.Command):
    MustBeRoot = 0


class Command(command):
    """
    Lists the usage of every command whose name contains the words given.
    <arg type='string' name='command' optional='1'>words to look for</arg>
    """

    def run(self, params, args):
        wanted = ' '.join(args)
        for words, command in rocks.commands.commandTree():
            line = '%s %s' % (' '.join(words), command(None).usage())
            if wanted in line:
                self.addText(line + '\n')
