#!/usr/bin/python3
"""Tests of check_style.py on tiny fake trees, so the checker cannot
silently pass: each rule must fire on a tree that breaks it, name the
place, and stay quiet on a tree that keeps it."""

import io
import os
import sys
import tempfile
import unittest
from contextlib import redirect_stdout

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_style  # noqa: E402


def func(name, body_lines):
    """A C function whose body, braces included, is body_lines long."""
    inner = ['    x += %d;' % i for i in range(body_lines - 2)]
    return '\n'.join(['static int %s(int x)' % name, '{'] + inner
                     + ['}', ''])


class Tree:
    """A temporary source tree: write(path, text), then check()."""

    def __init__(self):
        self.dir = tempfile.TemporaryDirectory()
        self.root = self.dir.name
        for d in ('base', 'kernel', 'nn'):
            os.makedirs(os.path.join(self.root, d))

    def write(self, rel, text):
        path = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as f:
            f.write(text)

    def check(self):
        return check_style.check(self.root)

    def rules(self):
        return sorted({r for r, _, _ in self.check()})

    def close(self):
        self.dir.cleanup()


class Base(unittest.TestCase):
    def setUp(self):
        self.t = Tree()

    def tearDown(self):
        self.t.close()


class Cycles(Base):
    def test_no_cycle_no_violation(self):
        self.t.write('kernel/lang/a.h', '#include "b.h"\n')
        self.t.write('kernel/lang/a.c', '#include "a.h"\n#include "c.h"\n')
        self.t.write('kernel/lang/b.h', '#include "c.h"\n')
        self.t.write('kernel/lang/c.h', '#include <stdio.h>\n')
        self.assertEqual(self.t.check(), [])

    def test_two_modules_including_each_other(self):
        self.t.write('kernel/lang/a.h', '')
        self.t.write('kernel/lang/a.c', '#include "a.h"\n#include "b.h"\n')
        self.t.write('kernel/lang/b.h', '')
        self.t.write('kernel/lang/b.c', '#include "b.h"\n#include "a.h"\n')
        found = self.t.check()
        self.assertEqual(found, [('cycle', 'kernel/lang/a',
                                  'kernel/lang/a -> kernel/lang/b'
                                  ' -> kernel/lang/a')])

    def test_longer_cycle_across_folders(self):
        # a.h -> ../commands/b.h -> c.h (nn) -> a.h, by base name
        self.t.write('kernel/lang/a.h', '#include "b.h"\n')
        self.t.write('kernel/commands/b.h', '#include "nn_c.h"\n')
        self.t.write('nn/nn_c.h', '')
        self.t.write('nn/nn_c.c', '#include "nn_c.h"\n#include "a.h"\n')
        cyc = [w for r, _, w in self.t.check() if r == 'cycle']
        self.assertEqual(cyc, ['kernel/commands/b -> nn/nn_c'
                               ' -> kernel/lang/a -> kernel/commands/b'])

    def test_relative_include_resolves(self):
        self.t.write('kernel/interp.h', '#include "lang/x.h"\n')
        self.t.write('kernel/lang/x.h', '#include "../interp.h"\n')
        self.assertIn('cycle', self.t.rules())


class Layers(Base):
    def test_each_forbidden_include_is_named(self):
        self.t.write('kernel/commands/show.h', '')
        self.t.write('kernel/render/plot.h', '')
        self.t.write('kernel/lang/value.h', '')
        self.t.write('base/sb.h', '')
        self.t.write('kernel/wire.h', '')
        self.t.write('kernel/interp.h', '')
        self.t.write('nn/nn_x.h', '')
        self.t.write('kernel/lang/eval.c',
                     '#include "show.h"\n#include "plot.h"\n'
                     '#include <zmq.h>\n#include "wire.h"\n'
                     '#include "../interp.h"\n#include "sb.h"\n'
                     '#include "nn_x.h"\n')
        self.t.write('kernel/render/netdraw.c',
                     '#include "value.h"\n#include <jansson.h>\n'
                     '#include "sb.h"\n#include "nn_x.h"\n')
        self.t.write('kernel/kernel.c',
                     '#include "nn_x.h"\n#include "value.h"\n'
                     '#include "interp.h"\n#include "wire.h"\n')
        self.t.write('kernel/main.c', '#include "value.h"\n')
        self.t.write('nn/nn_x.c', '#include "sb.h"\n#include "nn_x.h"\n'
                     '#include "wire.h"\n')
        self.t.write('kernel/wire.c', '#include "wire.h"\n#include "sb.h"\n')
        self.t.write('base/sb.c',
                     '#include "sb.h"\n#include "nn_x.h"\n'
                     '#include <jansson.h>\n#include "wire.h"\n'
                     '#include "value.h"\n#include <zmq.h>\n')
        where = sorted(w for r, w, _ in self.t.check() if r == 'layer')
        self.assertEqual(where, [
            'base/sb.c:2', 'base/sb.c:3', 'base/sb.c:4', 'base/sb.c:5',
            'base/sb.c:6',
            'kernel/kernel.c:1', 'kernel/kernel.c:2',
            'kernel/lang/eval.c:1', 'kernel/lang/eval.c:2',
            'kernel/lang/eval.c:3', 'kernel/lang/eval.c:4',
            'kernel/render/netdraw.c:1', 'kernel/render/netdraw.c:2',
            'nn/nn_x.c:3'])

    def test_every_layer_may_include_base(self):
        self.t.write('base/sb.h', '')
        self.t.write('base/esc.h', '#include "sb.h"\n')
        for f in ('nn/nn_x.c', 'kernel/wire.c', 'kernel/main.c',
                  'kernel/lang/eval.c', 'kernel/commands/show.c',
                  'kernel/render/chart.c', 'base/esc.c'):
            self.t.write(f, '#include "sb.h"\n#include "esc.h"\n')
        self.assertEqual(self.t.check(), [])


class Sizes(Base):
    def test_file_of_800_lines_passes_801_fails(self):
        self.t.write('nn/nn_ok.c', 'int a;\n' * 800)
        self.assertEqual(self.t.check(), [])
        self.t.write('nn/nn_big.c', 'int a;\n' * 801)
        self.assertEqual(self.t.check(), [
            ('file-size', 'nn/nn_big.c', '801 lines (at most 800)')])

    def test_function_of_80_lines_passes_81_fails(self):
        self.t.write('nn/nn_f.c', '#include <stdio.h>\n\n'
                     + func('short_one', 80) + '\n' + func('long_one', 81))
        self.assertEqual(self.t.check(), [
            ('func-size', 'nn/nn_f.c:86', 'long_one() is 81 lines'
             ' (at most 80)')])

    def test_parser_finds_bodies_not_other_braces(self):
        text = '\n'.join([
            'struct s {',                               # 1 not a function
            '    int a;',
            '};',
            'static const int t[] = {',                 # 4 initializer
            '    1, 2,',
            '};',
            'int one(void) { return 1; }',              # 7 one-liner
            '#define M(x) { if (x) {',                  # 8 macro, skipped
            'static void (*pick(int k))(void)',         # 9
            '{',
            '    const char *s = "}}} {";  /* } */',
            "    char c = '}';  // }",
            '    if (k) {',
            '        return 0;',
            '    }',
            '    return 0;',
            '}',                                        # 17
            'enum e { A, B };',
            'int two(int x)',
            '    __attribute__((unused));',
            'int three(int x)',
            '{',                                        # 22
            '    return x;',
            '}',                                        # 24
            ''])
        self.assertEqual(check_style.functions(text),
                         [('one', 7, 7), ('pick', 10, 17),
                          ('three', 22, 24)])


class Operators(Base):
    def test_operator_at_a_line_end_fails_at_a_line_start_passes(self):
        self.t.write('nn/nn_ok.c', 'int f(int a, int b)\n{\n'
                     '    return a\n           || b;\n}\n')
        self.assertEqual(self.t.check(), [])
        self.t.write('nn/nn_bad.c', 'int g(int a, int b)\n{\n'
                     '    return a &&\n           b;\n}\n'
                     '/* a comment may end with || */\n')
        self.assertEqual(self.t.check(), [
            ('operator', 'nn/nn_bad.c:3',
             'a line ends with &&: start the next line with it')])


class Main(Base):
    def test_main_prints_every_violation_and_fails(self):
        self.t.write('nn/nn_a.c', '#include "nn_b.h"\n' + func('f', 90))
        self.t.write('nn/nn_b.c', '#include "nn_a.h"\n' + 'int a;\n' * 800)
        self.t.write('nn/nn_a.h', '')
        self.t.write('nn/nn_b.h', '')
        out = io.StringIO()
        with redirect_stdout(out):
            rc = check_style.main(['check_style.py', self.t.root])
        self.assertEqual(rc, 1)
        text = out.getvalue()
        self.assertIn('nn/nn_a: cycle: nn/nn_a -> nn/nn_b -> nn/nn_a', text)
        self.assertIn('nn/nn_a.c:3: func-size: f() is 90 lines', text)
        self.assertIn('nn/nn_b.c: file-size: 801 lines', text)
        self.assertIn('3 violations', text)

    def test_main_passes_a_clean_tree(self):
        self.t.write('nn/nn_a.c', func('f', 10))
        out = io.StringIO()
        with redirect_stdout(out):
            rc = check_style.main(['check_style.py', self.t.root])
        self.assertEqual(rc, 0)


if __name__ == '__main__':
    unittest.main()
