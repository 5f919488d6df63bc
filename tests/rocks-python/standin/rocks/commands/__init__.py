# Stand-in of rocks.commands (tests only): the parts of Rocks' command base
# that the vcluster roll's generated modules rely on, from ROCKS.md.
import os
import re
import xml.sax

import rocks.util

PARAM = re.compile(r'^[a-zA-Z0-9\-_+]+=')


class Docstring(xml.sax.ContentHandler):
    """Rocks' docstring grammar: free text, then <arg>, <param>, <example>,
    <related> elements. Parsing fails on anything that is not XML."""

    def __init__(self):
        xml.sax.ContentHandler.__init__(self)
        self.description = None
        self.args = []
        self.params = []
        self.examples = []
        self.related = []
        self.text = ''
        self.key = None

    def startElement(self, name, attrs):
        if name == 'docstring':
            return
        if self.description is None:
            self.description = self.text.strip()
        self.text = ''
        if name in ('arg', 'param'):
            default = '0' if name == 'arg' else '1'
            self.key = (attrs.get('name'), attrs.get('type', 'string'),
                        attrs.get('optional', default) == '1', attrs.get('repeat', '0') == '1')
        elif name == 'example':
            self.key = attrs.get('cmd')
        elif name != 'docstring':
            raise ValueError('unknown docstring element <%s>' % name)

    def endElement(self, name):
        text = ' '.join(self.text.split())
        if name == 'arg':
            self.args.append((self.key, text))
        elif name == 'param':
            self.params.append((self.key, text))
        elif name == 'example':
            self.examples.append((self.key, text))
        elif name == 'related':
            self.related.append(text)
        elif name == 'docstring' and self.description is None:
            self.description = self.text.strip()
        self.text = ''

    def characters(self, content):
        self.text += content


def parseDocstring(doc):
    handler = Docstring()
    xml.sax.parseString(('<docstring>%s</docstring>' % doc).encode('ascii'), handler)
    return handler


class Command:
    MustBeRoot = 1

    def __init__(self, database):
        self.db = database
        self.text = ''
        self._args = []
        self._params = {}

    def isRootUser(self):
        return os.geteuid() == 0

    def isApacheUser(self):
        return False

    def abort(self, message):
        raise rocks.util.CommandError(message)

    def addText(self, s):
        self.text += s

    def getText(self):
        return self.text

    def usage(self):
        doc = parseDocstring(self.__doc__ or '')
        words = []
        for (name, type_, optional, repeat), _ in doc.args:
            words.append('[%s]' % name if optional else '{%s}' % name)
        for (name, type_, optional, repeat), _ in doc.params:
            words.append('[%s=%s]' % (name, type_) if optional else '{%s=%s}' % (name, type_))
        return ' '.join(words)

    def help(self, name, params):
        doc = parseDocstring(self.__doc__ or '')
        self.addText('rocks %s %s\n\nDescription:\n%s\n' % (name, self.usage(), doc.description))
        if doc.args:
            self.addText('\nArguments:\n')
            for (arg, _, optional, _), text in doc.args:
                self.addText('\t%s\n%s\n' % ('[%s]' % arg if optional else '{%s}' % arg, text))
        if doc.params:
            self.addText('\nParameters:\n')
            for (param, type_, optional, _), text in doc.params:
                shown = '%s=%s' % (param, type_)
                self.addText('\t%s\n%s\n' % ('[%s]' % shown if optional else '{%s}' % shown, text))
        if doc.examples:
            self.addText('\nExamples:\n')
            for cmd, text in doc.examples:
                self.addText('\t$ rocks %s\n%s\n' % (cmd, text))

    def fillParams(self, names, params=None):
        if params is None:
            params = self._params
        out = []
        for entry in names:
            key = entry[0]
            default = entry[1] if len(entry) > 1 else None
            out.append(params.get(key, default))
        return out

    def fillPositionalArgs(self, names, params=None, args=None):
        if params is None:
            params = self._params
        if args is None:
            args = self._args
        values = [params.get(n) for n in names]
        remaining = list(args)
        filled = []
        for value in reversed(values):
            if value is None and remaining:
                filled.append(remaining.pop())
            else:
                filled.append(value)
        filled.reverse()
        return [remaining] + filled

    def runWrapper(self, name, args):
        params = {}
        positional = []
        for arg in args:
            if PARAM.match(arg):
                key, value = arg.split('=', 1)
                if not params:
                    params['@ROCKSPARAM0'] = arg
                params[key] = value
            else:
                positional.append(arg)
        if positional and positional[0] == 'help':
            self.help(name, params)
            return
        if self.MustBeRoot and not (self.isRootUser() or self.isApacheUser()):
            self.abort('command "%s" requires root' % name)
        self._args = positional
        self._params = params
        self.run(params, positional)

    def run(self, params, args):
        pass


def commandTree():
    """Every package under rocks/commands with a Command: (words, class)."""
    root = os.path.dirname(__file__)
    found = []
    for directory, dirs, files in os.walk(root):
        dirs.sort()
        if directory == root or '__init__.py' not in files:
            continue
        words = os.path.relpath(directory, root).split(os.sep)
        module = __import__('rocks.commands.' + '.'.join(words), fromlist=['*'])
        command = getattr(module, 'Command', None)
        if command is not None:
            found.append((words, command))
    return found
