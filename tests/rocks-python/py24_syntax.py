#!/usr/bin/env python3
"""py24_syntax.py FILE...: fails unless every FILE is Python that both
Python 3 and Python 2.4 (Rocks 5's; 2.6 on Rocks 6, 2.7 on Rocks 7) parse.

Python 3 parses each file (so no print statement, no `except X, e`, no
backticks, no 0777); then a walk of its syntax tree accepts only the
constructs Python 2.4 has, and the source text must be ASCII (Python 2
reads a file without a coding line as ASCII). Rejected, among others:
f-strings, nonlocal, keyword-only and positional-only arguments,
annotations, async/await, yield from, :=, `except ... as` (2.6), with
(2.5), conditional expressions (2.5), try/except/finally in one (2.5),
relative imports (2.5), set literals and dict/set comprehensions (2.7),
bytes literals (2.6), str.format (2.6), class keywords (metaclass=),
raise ... from, star targets, keyword arguments after *args (2.6), match.
"""
import ast
import sys

ALLOWED = {
    ast.Module, ast.Expr, ast.Assign, ast.AugAssign, ast.FunctionDef, ast.ClassDef,
    ast.Return, ast.If, ast.For, ast.While, ast.Break, ast.Continue, ast.Pass,
    ast.Import, ast.ImportFrom, ast.Try, ast.ExceptHandler, ast.Raise, ast.Global,
    ast.Delete, ast.Assert, ast.Call, ast.Name, ast.Attribute, ast.Subscript,
    ast.Constant, ast.List, ast.Tuple, ast.Dict, ast.BinOp, ast.UnaryOp, ast.BoolOp,
    ast.Compare, ast.Lambda, ast.ListComp, ast.GeneratorExp, ast.Starred,
    ast.keyword, ast.arguments, ast.arg, ast.comprehension, ast.alias, ast.Slice,
    ast.Load, ast.Store, ast.Del,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow,
    ast.LShift, ast.RShift, ast.BitOr, ast.BitXor, ast.BitAnd,
    ast.And, ast.Or, ast.Not, ast.Invert, ast.UAdd, ast.USub,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Is, ast.IsNot,
    ast.In, ast.NotIn,
}


def problems(path):
    raw = open(path, 'rb').read()
    try:
        raw.decode('ascii')
    except UnicodeDecodeError:
        yield 'not ASCII (Python 2 needs a coding line for that)'
    try:
        tree = ast.parse(raw, filename=path)
    except SyntaxError as e:
        yield 'line %s: Python 3 cannot parse it: %s' % (e.lineno, e.msg)
        return
    for node in ast.walk(tree):
        line = getattr(node, 'lineno', '?')
        kind = type(node).__name__
        if type(node) not in ALLOWED:
            yield 'line %s: %s is not Python 2.4' % (line, kind)
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, bytes):
            yield 'line %s: bytes literal (Python 2.6)' % line
        if isinstance(node, ast.Constant) and node.value is Ellipsis:
            yield 'line %s: ... outside a subscript' % line
        if isinstance(node, ast.ExceptHandler) and node.name is not None:
            yield 'line %s: except ... as (Python 2.6; use sys.exc_info())' % line
        if isinstance(node, ast.Try) and node.handlers and node.finalbody:
            yield 'line %s: try/except/finally in one statement (Python 2.5)' % line
        if isinstance(node, ast.ImportFrom) and node.level:
            yield 'line %s: relative import (Python 2.5)' % line
        if isinstance(node, ast.Raise) and node.cause is not None:
            yield 'line %s: raise ... from (Python 3)' % line
        if isinstance(node, ast.ClassDef) and node.keywords:
            yield 'line %s: class keywords (Python 3)' % line
        if isinstance(node, ast.FunctionDef):
            a = node.args
            if a.kwonlyargs or a.posonlyargs:
                yield 'line %s: keyword-only or positional-only arguments' % line
            if node.returns is not None or any(
                    x.annotation is not None for x in a.args + a.kwonlyargs):
                yield 'line %s: annotations (Python 3)' % line
        if isinstance(node, ast.Lambda) and (node.args.kwonlyargs or node.args.posonlyargs):
            yield 'line %s: keyword-only arguments in lambda' % line
        if isinstance(node, ast.Call):
            starred = [i for i, x in enumerate(node.args) if isinstance(x, ast.Starred)]
            if len(starred) > 1 or (starred and starred[0] != len(node.args) - 1):
                yield 'line %s: *args not last (Python 3.5)' % line
            if starred and node.keywords:
                # f(*a, k=1) is 2.6; 2.4 needs the keywords first, which
                # Python 3's tree no longer tells apart: refuse both.
                yield 'line %s: keyword arguments with *args' % line
            if sum(1 for k in node.keywords if k.arg is None) > 1:
                yield 'line %s: several **kwargs (Python 3.5)' % line
            if isinstance(node.func, ast.Attribute) and node.func.attr == 'format':
                yield 'line %s: str.format (Python 2.6)' % line
            if isinstance(node.func, ast.Name) and node.func.id == 'print':
                yield 'line %s: print() means another thing in Python 2' % line
        if isinstance(node, ast.Starred) and isinstance(node.ctx, ast.Store):
            yield 'line %s: starred assignment target (Python 3)' % line
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Tuple) and any(
                isinstance(x, ast.Slice) for x in node.slice.elts):
            yield 'line %s: extended slices' % line


def main(paths):
    bad = 0
    for path in paths:
        for problem in problems(path):
            print('%s: %s' % (path, problem))
            bad += 1
    if not paths:
        print('py24_syntax: no files given')
        return 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
