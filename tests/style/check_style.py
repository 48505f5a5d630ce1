#!/usr/bin/python3
"""check_style: the checks that keep the code's shape.

    check_style.py [ROOT]

ROOT is the source tree (default: two folders above this script). Looks at
every .c and .h file under ROOT/base, ROOT/kernel and ROOT/nn and prints
one line per violation of these rules, then exits 1 if there was any (0
if none):

  cycle      no include cycle between modules. A module is foo.c + foo.h
             (or a lone header); module A depends on module B when A's .c
             or .h has `#include "B.h"`. Every strongly connected set of
             modules is a fault; the line prints its cycles.
  layer      the layering of the tree:
               kernel/lang     never includes kernel/commands or
                               kernel/render headers, <zmq.h>, nor the
                               protocol's headers (kernel/*.h but interp.h)
               kernel/render   never includes kernel/lang or
                               kernel/commands headers, nor <jansson.h>
               protocol        (kernel/*.c and *.h but main.c) never
                               includes nn/ headers nor kernel/lang,
                               kernel/commands or kernel/render headers
               nn              never includes anything from kernel/;
                               it may include base/
               base            is below all (the engine too): includes
                               nothing of the tree but itself, nor
                               <jansson.h>, <zmq.h>
  file-size  no source file over 800 lines.
  func-size  no function over 80 lines, counted from the line of the
             brace that opens its body to the line of the brace that
             closes it, both included.
  operator   one style for a condition broken over lines: `||` and `&&`
             start the continued line; no line of code ends with one.

Only the Python standard library; runs on Debian's /usr/bin/python3.
"""

import os
import re
import sys

MAX_FILE_LINES = 800
MAX_FUNC_LINES = 80

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


# ---------------------------------------------------------------- sources

def source_files(root):
    """Every .c/.h under root/base, root/kernel and root/nn, as paths
    relative to root with '/' separators, sorted."""
    out = []
    for top in ('base', 'kernel', 'nn'):
        base = os.path.join(root, top)
        for d, dirs, files in os.walk(base):
            dirs.sort()
            for f in sorted(files):
                if f.endswith(('.c', '.h')):
                    rel = os.path.relpath(os.path.join(d, f), root)
                    out.append(rel.replace(os.sep, '/'))
    return sorted(out)


def read(root, rel):
    with open(os.path.join(root, rel), encoding='utf-8',
              errors='replace') as f:
        return f.read()


def includes(text):
    """[(line number, '<' or '"', name)] of the #include lines."""
    out = []
    for i, line in enumerate(text.split('\n'), 1):
        m = INCLUDE_RE.match(line)
        if m:
            out.append((i, m.group(1), m.group(2)))
    return out


def resolve(rel, name, headers):
    """The tree's header that `#include "name"` in file rel means, or None
    (a system or generated header). Tries rel's own folder first, then
    any header of that base name in the tree (the build puts every
    module folder on the include path)."""
    d = os.path.dirname(rel)
    own = os.path.normpath(os.path.join(d, name)).replace(os.sep, '/')
    if own in headers:
        return own
    base = os.path.basename(name)
    found = sorted(h for h in headers if os.path.basename(h) == base)
    return found[0] if found else None


def module_of(rel):
    """foo.c and foo.h are the module 'foo' (path without extension)."""
    return rel[:-2]


# ----------------------------------------------------------------- cycles

def strongly_connected(graph):
    """Tarjan's algorithm, iterative: the list of strongly connected
    components (each a sorted list) with more than one node, or one node
    with an edge to itself."""
    index, low, on, stack, comps = {}, {}, set(), [], []
    counter = [0]
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on.add(start)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph.get(w, ())))))
                    advanced = True
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1 or v in graph.get(v, ()):
                    comps.append(sorted(comp))
    return sorted(comps)


def shortest_path(graph, a, b, members):
    """The shortest path a .. b inside members (a list of nodes), or None."""
    prev, frontier = {a: None}, [a]
    while frontier:
        nxt = []
        for v in frontier:
            for w in sorted(graph.get(v, ())):
                if w in members and w not in prev:
                    prev[w] = v
                    nxt.append(w)
        frontier = nxt
    if b not in prev:
        return None
    path = [b]
    while path[-1] != a:
        path.append(prev[path[-1]])
    return path[::-1]


def cycles_in(graph, comp):
    """The cycles of one component that explain it: for each include edge
    u -> v inside it, the shortest cycle through that edge, each once
    (rotated to start at its smallest node), shortest first."""
    members = set(comp)
    found = set()
    for u in comp:
        for v in sorted(graph.get(u, ())):
            if v not in members:
                continue
            back = shortest_path(graph, v, u, members)
            cyc = [u] + (back[:-1] if u != v else [])
            k = cyc.index(min(cyc))
            found.add(tuple(cyc[k:] + cyc[:k]))
    return sorted((list(c) for c in found), key=lambda c: (len(c), c))


def check_cycles(root, files, say):
    headers = {f for f in files if f.endswith('.h')}
    graph = {}
    for f in files:
        m = module_of(f)
        graph.setdefault(m, set())
        for _, kind, name in includes(read(root, f)):
            if kind != '"':
                continue
            h = resolve(f, name, headers)
            if h and module_of(h) != m:
                graph[m].add(module_of(h))
    for comp in strongly_connected(graph):
        for c in cycles_in(graph, comp):
            say('cycle', c[0], ' -> '.join(c + [c[0]]))


# --------------------------------------------------------------- layering

def area(rel):
    """'lang', 'commands', 'render', 'base', 'protocol', 'main',
    'interp', 'nn' or None."""
    parts = rel.split('/')
    if parts[0] in ('nn', 'base'):
        return parts[0]
    if parts[0] != 'kernel':
        return None
    if len(parts) == 2:
        if parts[1] == 'main.c':
            return 'main'
        if parts[1] == 'interp.h':
            return 'interp'
        return 'protocol'
    return parts[1]


# area of the including file -> (areas of tree headers it must not
# include, system headers it must not include)
FORBIDDEN = {
    'lang': ({'commands', 'render', 'protocol'}, {'zmq.h'}),
    'render': ({'lang', 'commands'}, {'jansson.h'}),
    'protocol': ({'nn', 'lang', 'commands', 'render'}, set()),
    'nn': ({'lang', 'commands', 'render', 'protocol', 'interp', 'main'},
           set()),
    'base': ({'lang', 'commands', 'render', 'protocol', 'interp', 'nn',
              'main'}, {'jansson.h', 'zmq.h'}),
}


def check_layers(root, files, say):
    headers = {f for f in files if f.endswith('.h')}
    for f in files:
        rules = FORBIDDEN.get(area(f))
        if not rules:
            continue
        bad_areas, bad_system = rules
        for line, kind, name in includes(read(root, f)):
            h = resolve(f, name, headers) if kind == '"' else None
            if h and area(h) in bad_areas:
                say('layer', '%s:%d' % (f, line),
                    '%s includes %s (%s)' % (area(f), h, area(h)))
            elif h is None and os.path.basename(name) in bad_system:
                say('layer', '%s:%d' % (f, line),
                    '%s includes <%s>' % (area(f), name))


# ------------------------------------------------------------------ sizes

def blank_out(text):
    """text with comments, string and character literals and preprocessor
    lines (with their continuations) replaced by spaces; newlines kept, so
    line numbers stay."""
    out = []
    i, n = 0, len(text)
    line_start = True
    while i < n:
        c = text[i]
        if line_start and c in ' \t':
            out.append(c)
            i += 1
            continue
        if line_start and c == '#':
            # a preprocessor line, up to an unescaped newline
            while i < n and text[i] != '\n':
                if text[i] == '\\' and i + 1 < n and text[i + 1] == '\n':
                    out.append(' \n')
                    i += 2
                    continue
                if text.startswith('/*', i):
                    j = text.find('*/', i + 2)
                    j = n if j < 0 else j + 2
                    out.append(re.sub(r'[^\n]', ' ', text[i:j]))
                    i = j
                    continue
                out.append(' ')
                i += 1
            continue
        line_start = False
        if text.startswith('//', i):
            j = text.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' * (j - i))
            i = j
        elif text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r'[^\n]', ' ', text[i:j]))
            i = j
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c and text[j] != '\n':
                j += 2 if text[j] == '\\' else 1
            j = min(j + 1, n)
            out.append(c + ' ' * (j - i - 2) + c if j - i >= 2 else c)
            i = j
        else:
            out.append(c)
            if c == '\n':
                line_start = True
            i += 1
    return ''.join(out)


NAME_RE = re.compile(r'([A-Za-z_]\w*)\s*\(')
NOT_FUNCS = {'if', 'for', 'while', 'switch', 'return', 'sizeof',
             '__attribute__', 'defined', 'void', 'int', 'char', 'float',
             'double', 'long', 'short', 'unsigned', 'signed', 'const',
             'static', 'inline', 'extern', 'struct', 'union', 'enum'}


def functions(text):
    """[(name, first line, last line)] of the function bodies in C text:
    a '{' at file level whose header (the text since the last ';', '}' or
    preprocessor line at file level) ends with ')' is a function body; it
    ends at its matching '}'. Struct, union, enum and initializer braces
    do not count, nor does anything inside a body."""
    code = blank_out(text)
    out = []
    depth = 0
    header_start = 0
    body = None             # (name, line) of the body being read
    line = 1
    for i, c in enumerate(code):
        if c == '\n':
            line += 1
        elif c == '{':
            if depth == 0:
                header = code[header_start:i].strip()
                if header.endswith(')') and '=' not in header:
                    names = [m for m in NAME_RE.findall(header)
                             if m not in NOT_FUNCS]
                    body = (names[0] if names else '?', line)
                else:
                    body = None
            depth += 1
        elif c == '}':
            depth = max(depth - 1, 0)
            if depth == 0:
                if body:
                    out.append((body[0], body[1], line))
                body = None
                header_start = i + 1
        elif c == ';' and depth == 0:
            header_start = i + 1
    return out


def check_sizes(root, files, say):
    for f in files:
        text = read(root, f)
        n = text.count('\n') + (0 if text.endswith('\n') or not text else 1)
        if n > MAX_FILE_LINES:
            say('file-size', f, '%d lines (at most %d)' % (n, MAX_FILE_LINES))
        if not f.endswith('.c') and not f.endswith('.h'):
            continue
        for name, first, last in functions(text):
            length = last - first + 1
            if length > MAX_FUNC_LINES:
                say('func-size', '%s:%d' % (f, first),
                    '%s() is %d lines (at most %d)'
                    % (name, length, MAX_FUNC_LINES))


# --------------------------------------------------------------- operators

TRAILING_OP_RE = re.compile(r'(\|\||&&)\s*$')


def check_operators(root, files, say):
    for f in files:
        code = blank_out(read(root, f)).split('\n')
        for n, line in enumerate(code, 1):
            m = TRAILING_OP_RE.search(line)
            if m:
                say('operator', '%s:%d' % (f, n),
                    'a line ends with %s: start the next line with it'
                    % m.group(1))


# ------------------------------------------------------------------- main

def check(root):
    """Runs every check on the tree at root; returns the violations as
    (rule, where, what) tuples, in the order printed."""
    files = source_files(root)
    found = []

    def say(rule, where, what):
        found.append((rule, where, what))
    check_cycles(root, files, say)
    check_layers(root, files, say)
    check_sizes(root, files, say)
    check_operators(root, files, say)
    return found


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    root = argv[1] if len(argv) > 1 else os.path.join(here, '..', '..')
    found = check(root)
    for rule, where, what in found:
        print('%s: %s: %s' % (where, rule, what))
    if found:
        counts = {}
        for rule, _, _ in found:
            counts[rule] = counts.get(rule, 0) + 1
        print('%d violations: %s' % (len(found), ', '.join(
            '%d %s' % (v, k) for k, v in sorted(counts.items()))))
        return 1
    print('style: no violations in %d files' % len(source_files(root)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
