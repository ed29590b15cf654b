#!/usr/bin/env python3
"""The layering of core/ (ctest `layering`; docs/architecture.md draws it).

Fails, naming the file and line, when:

  private    a header named *_p.h under core/<folder>/ is included from outside that folder.
             Exception: white-box tests, i.e. a file under tests/ or fuzz/, may include the
             private headers of ONE core folder (the folder it tests), never of two.
  layers     a file under core/<folder>/ includes a header of a core folder that
             greenpulse_<folder> does not link (GreenPulse::<name> in its target_link_libraries,
             followed transitively), or a header outside core/ (an arrow back up to app/, tests/
             ...), or a core header without its folder ("Ledger.h" instead of
             "accounting/Ledger.h"). The link table is read from every CMakeLists.txt in the
             tree, not repeated here.
  cycles     the greenpulse_* libraries link in a cycle: checked on the link table read from the
             CMakeLists, and with --build also on `cmake --graphviz` of a fresh configure of the
             source next to that build folder (BUILD/layering-graphviz, reused between runs).
  gui        app/gui/runtime/ includes widgets/ or charts/ (the window sits on the runtime, not
             the other way), app/gui/charts/ includes widgets/, or a Qt Charts header is
             included outside app/gui/charts/.

Usage: check-layering.py [--source DIR] [--build BUILD_DIR] [--quiet]
Exit status: 0 clean, 1 violations found, 2 usage or tool error.
"""

import argparse
import os
import re
import subprocess
import sys
from collections import defaultdict

SOURCE_SUFFIXES = (".h", ".hpp", ".cpp", ".cc", ".cxx", ".c", ".h.in")
WHITE_BOX_ROOTS = ("tests", "fuzz")
INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]')
QT_CHARTS_RE = re.compile(
    r"^(QtCharts/.*|QChart|QChartView|QLineSeries|QAreaSeries|QXYSeries|QAbstractSeries|"
    r"QValueAxis|QDateTimeAxis|QAbstractAxis|QLegend|QScatterSeries|QSplineSeries)$"
)


def rel(path, root):
    return os.path.relpath(path, root).replace(os.sep, "/")


def is_build_tree(path):
    return os.path.exists(os.path.join(path, "CMakeCache.txt"))


def walk(root, top=""):
    """Every file below root/top, skipping .git, build trees and hidden folders."""
    start = os.path.join(root, top) if top else root
    for folder, dirs, files in os.walk(start):
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".") and not is_build_tree(os.path.join(folder, d))
        )
        for name in sorted(files):
            yield os.path.join(folder, name)


def sources(root, top=""):
    return [p for p in walk(root, top) if p.endswith(SOURCE_SUFFIXES)]


def includes(path):
    """(line number, '"' or '<', included name) for each #include of a file."""
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        in_comment = False
        for number, line in enumerate(f, 1):
            stripped = line.strip()
            if in_comment:
                if "*/" in stripped:
                    in_comment = False
                continue
            if stripped.startswith("/*") and "*/" not in stripped:
                in_comment = True
                continue
            m = INCLUDE_RE.match(line)
            if m:
                out.append((number, m.group(1), m.group(2)))
    return out


# --- The link table, from the CMakeLists --------------------------------------------------------


def cmake_commands(text, command):
    """The argument lists of every call of `command` in a CMakeLists text (comments removed)."""
    text = re.sub(r"#[^\n]*", "", text)
    out = []
    for m in re.finditer(r"\b" + command + r"\s*\(", text, re.IGNORECASE):
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        out.append(text[m.end() : i - 1].split())
    return out


def link_table(root):
    """{greenpulse_x: set of greenpulse_* targets it links}, with ALIAS names resolved."""
    aliases = {}
    links = defaultdict(set)
    targets = set()
    lists = [p for p in walk(root) if os.path.basename(p) == "CMakeLists.txt"]
    texts = {}
    for path in lists:
        with open(path, encoding="utf-8") as f:
            texts[path] = f.read()
        for args in cmake_commands(texts[path], "add_library"):
            if len(args) >= 3 and args[1] == "ALIAS":
                aliases[args[0]] = args[2]
            elif args:
                targets.add(args[0])
        for args in cmake_commands(texts[path], "qt_add_library"):
            if args:
                targets.add(args[0])
    for path in lists:
        for args in cmake_commands(texts[path], "target_link_libraries"):
            if not args or not args[0].startswith("greenpulse_"):
                continue
            for item in args[1:]:
                target = aliases.get(item, item)
                if target.startswith("greenpulse_") and target in targets:
                    links[args[0]].add(target)
    for target in targets:
        if target.startswith("greenpulse_"):
            links.setdefault(target, set())
    return dict(links)


def closure(graph, start):
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        for nxt in graph.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def find_cycle(graph):
    """One cycle as a list of nodes (first == last), or None."""
    colour = {}
    stack = []

    def visit(node):
        colour[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if colour.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in colour:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        colour[node] = 2
        return None

    for node in sorted(graph):
        if node not in colour:
            found = visit(node)
            if found:
                return found
    return None


# --- The checks -----------------------------------------------------------------------------------


def core_folders(root, table):
    core = os.path.join(root, "core")
    return sorted(
        d
        for d in os.listdir(core)
        if os.path.isdir(os.path.join(core, d)) and "greenpulse_" + d in table
    )


def check_private(root, folders):
    errors = []
    for path in sources(root):
        where = rel(path, root)
        parts = where.split("/")
        own = parts[1] if parts[0] == "core" and len(parts) > 2 else None
        reached = {}  # folder -> first include line, for the white-box rule
        for number, kind, name in includes(path):
            if kind != '"' or not name.endswith("_p.h"):
                continue
            head = name.split("/")[0] if "/" in name else None
            if head not in folders:
                continue  # a private header of something else (or a same-folder relative include)
            if own == head:
                continue
            if parts[0] in WHITE_BOX_ROOTS:
                reached.setdefault(head, number)
                if len(reached) > 1:
                    errors.append(
                        f"{where}:{number}: includes {name}, a private header of core/{head}/, "
                        f"but it already includes private headers of core/"
                        f"{sorted(set(reached) - {head})[0]}/ (a white-box test reaches into one "
                        f"folder only)"
                    )
                continue
            errors.append(
                f"{where}:{number}: includes {name}, which is private to core/{head}/ "
                f"(*_p.h: only core/{head}/ and white-box tests in tests/ or fuzz/ may include it)"
            )
    return errors


def check_layers(root, folders, table):
    errors = []
    for folder in folders:
        allowed = {folder} | {
            t[len("greenpulse_") :] for t in closure(table, "greenpulse_" + folder)
        }
        allowed &= set(folders)
        for path in sources(root, os.path.join("core", folder)):
            where = rel(path, root)
            for number, kind, name in includes(path):
                if kind != '"':
                    continue
                head = name.split("/")[0] if "/" in name else None
                if head is None:
                    errors.append(
                        f'{where}:{number}: #include "{name}": core includes read as the folder '
                        f'("{folder}/{name}" or "<folder>/{name}")'
                    )
                elif head not in folders:
                    errors.append(
                        f'{where}:{number}: #include "{name}": core/{folder}/ may include only '
                        f"core headers (an arrow back up out of core/)"
                    )
                elif head not in allowed:
                    errors.append(
                        f'{where}:{number}: #include "{name}": greenpulse_{folder} does not link '
                        f"GreenPulse::{head} (it may include: {', '.join(sorted(allowed))}); "
                        f"link it in core/{folder}/CMakeLists.txt if the arrow points down, "
                        f"else move the code"
                    )
    return errors


def check_gui(root):
    errors = []
    gui = os.path.join(root, "app", "gui")
    if not os.path.isdir(gui):
        return errors
    for path in sources(root, os.path.join("app", "gui")):
        where = rel(path, root)
        part = where.split("/")[2] if where.count("/") >= 3 else None
        for number, kind, name in includes(path):
            if part == "runtime" and kind == '"' and name.split("/")[0] in ("widgets", "charts"):
                errors.append(
                    f'{where}:{number}: #include "{name}": app/gui/runtime/ sits below the '
                    f"widgets and charts and includes neither"
                )
            if part == "charts" and kind == '"' and name.split("/")[0] == "widgets":
                errors.append(
                    f'{where}:{number}: #include "{name}": app/gui/charts/ sits below the '
                    f"widgets (the window holds the charts, not the other way)"
                )
            if QT_CHARTS_RE.match(name) and part != "charts":
                errors.append(
                    f"{where}:{number}: #include <{name}>: Qt Charts is included only in "
                    f"app/gui/charts/ (so the move to Qt Graphs touches one folder)"
                )
    return errors


def check_link_cycles(table):
    cycle = find_cycle(table)
    if cycle:
        return ["the CMakeLists link greenpulse_* libraries in a cycle: " + " -> ".join(cycle)]
    return []


def read_cache(build):
    values = {}
    with open(os.path.join(build, "CMakeCache.txt"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^([A-Za-z0-9_]+):[A-Z]+=(.*)$", line.rstrip("\n"))
            if m:
                values[m.group(1)] = m.group(2)
    return values


def graphviz_edges(dot_text):
    """{label: set of labels} of the edges in a `cmake --graphviz` file."""
    labels = {}
    for m in re.finditer(r'"(node\d+)"\s*\[\s*label\s*=\s*"([^"\\]+)', dot_text):
        labels[m.group(1)] = m.group(2)
    graph = defaultdict(set)
    for m in re.finditer(r'"(node\d+)"\s*->\s*"(node\d+)"', dot_text):
        graph[labels.get(m.group(1), m.group(1))].add(labels.get(m.group(2), m.group(2)))
    return graph


def check_graphviz(root, build):
    """Configures the source in BUILD/layering-graphviz with --graphviz; cycles among greenpulse_*."""
    cache = read_cache(build)
    scratch = os.path.join(build, "layering-graphviz")
    os.makedirs(scratch, exist_ok=True)
    dot = os.path.join(scratch, "targets.dot")
    command = ["cmake", "-S", root, "-B", scratch, f"--graphviz={dot}"]
    if not os.path.exists(os.path.join(scratch, "CMakeCache.txt")):
        for key in ("CMAKE_GENERATOR", "CMAKE_CXX_COMPILER"):
            if cache.get(key):
                command += ["-G", cache[key]] if key == "CMAKE_GENERATOR" else [f"-D{key}={cache[key]}"]
    for key, value in sorted(cache.items()):
        if key.startswith("GREENPULSE_BUILD_"):
            command.append(f"-D{key}={value}")
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if done.returncode != 0 or not os.path.exists(dot):
        raise RuntimeError("cmake --graphviz failed:\n" + done.stdout[-4000:])
    with open(dot, encoding="utf-8") as f:
        graph = graphviz_edges(f.read())
    ours = {
        n: {m for m in graph[n] if m.startswith("greenpulse_")}
        for n in list(graph)
        if n.startswith("greenpulse_")
    }
    cycle = find_cycle(ours)
    if cycle:
        return [f"cmake --graphviz ({dot}) shows a cycle: " + " -> ".join(cycle)], ours
    return [], ours


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--source", default=os.path.normpath(os.path.join(here, "..", "..")))
    parser.add_argument("--build", help="a configured build folder: also check cmake --graphviz")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    root = os.path.abspath(args.source)
    if not os.path.isfile(os.path.join(root, "core", "CMakeLists.txt")):
        print(f"{root} is not a GreenPulse source tree", file=sys.stderr)
        return 2

    table = link_table(root)
    folders = core_folders(root, table)
    errors = []
    errors += check_private(root, folders)
    errors += check_layers(root, folders, table)
    errors += check_link_cycles(table)
    errors += check_gui(root)
    graph_note = "not checked (no --build)"
    if args.build:
        try:
            found, ours = check_graphviz(root, os.path.abspath(args.build))
        except (OSError, RuntimeError) as e:
            print(f"check-layering: {e}", file=sys.stderr)
            return 2
        errors += found
        graph_note = f"{len(ours)} greenpulse_* targets, no cycle" if not found else "CYCLE"

    if not args.quiet:
        print("core folders and what each may include (its links, transitively):")
        for folder in folders:
            deps = sorted(
                t[len("greenpulse_") :]
                for t in closure(table, "greenpulse_" + folder)
                if t[len("greenpulse_") :] in folders
            )
            print(f"  {folder:<11} {', '.join(deps) if deps else '(none)'}")
        print(f"cmake --graphviz: {graph_note}")
    for e in errors:
        print("LAYERING: " + e)
    if errors:
        print(f"check-layering: {len(errors)} violation(s)")
        return 1
    print("check-layering: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
