#!/usr/bin/env python3
"""ctest layering_selftest: check-layering.py fails on planted violations and passes without them.

Copies the source tree (without build folders) to a temporary folder, checks that the copy is
clean, then plants one violation of each kind, one at a time, and checks that the checker exits 1
and names it. With --build, also plants a link cycle and checks that `cmake --graphviz` sees it.

Usage: test-check-layering.py [--source DIR] [--build BUILD_DIR]
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKER = os.path.join(HERE, "check-layering.py")

# (what, file, text appended or (old, new) replaced, what the report must say)
PLANTS = [
    (
        "an include arrow back up (base -> pipeline)",
        "core/base/Clock.cpp",
        '#include "pipeline/Processor.h"\n',
        'core/base/Clock.cpp:{line}: #include "pipeline/Processor.h": greenpulse_base does not '
        "link GreenPulse::pipeline",
    ),
    (
        "a sideways include (mqtt -> protocol, not linked)",
        "core/mqtt/MqttClient.cpp",
        '#include "protocol/Messages.h"\n',
        'core/mqtt/MqttClient.cpp:{line}: #include "protocol/Messages.h": greenpulse_mqtt does '
        "not link GreenPulse::protocol",
    ),
    (
        "a core include without its folder",
        "core/pipeline/Processor.cpp",
        '#include "Ledger.h"\n',
        'core/pipeline/Processor.cpp:{line}: #include "Ledger.h": core includes read as the folder',
    ),
    (
        "core including the GUI",
        "core/pipeline/SeriesStore.cpp",
        '#include "charts/SeriesSum.h"\n',
        "core/pipeline/SeriesStore.cpp:{line}: #include \"charts/SeriesSum.h\": core/pipeline/ may "
        "include only core headers",
    ),
    (
        "a private header from another core folder",
        "core/pipeline/Processor.cpp",
        '#include "mqtt/MosquittoLoop_p.h"\n',
        "core/pipeline/Processor.cpp:{line}: includes mqtt/MosquittoLoop_p.h, which is private to "
        "core/mqtt/",
    ),
    (
        "a private header from a program",
        "app/processor/main.cpp",
        '#include "accounting/LedgerState_p.h"\n',
        "app/processor/main.cpp:{line}: includes accounting/LedgerState_p.h, which is private to "
        "core/accounting/",
    ),
    (
        "a white-box test reaching into a second folder",
        "tests/test_fastdecode.cpp",
        '#include "mqtt/MosquittoHandle_p.h"\n',
        "tests/test_fastdecode.cpp:{line}: includes mqtt/MosquittoHandle_p.h, a private header of "
        "core/mqtt/, but it already includes private headers of core/protocol/",
    ),
    (
        "the GUI runtime including a widget",
        "app/gui/runtime/Backend.cpp",
        '#include "widgets/MainWindow.h"\n',
        'app/gui/runtime/Backend.cpp:{line}: #include "widgets/MainWindow.h": app/gui/runtime/ '
        "sits below the widgets and charts",
    ),
    (
        "Qt Charts outside app/gui/charts/",
        "app/gui/widgets/MainWindow.cpp",
        "#include <QLineSeries>\n",
        "app/gui/widgets/MainWindow.cpp:{line}: #include <QLineSeries>: Qt Charts is included only "
        "in app/gui/charts/",
    ),
    (
        "a link cycle in the CMakeLists (base links pipeline)",
        "core/base/CMakeLists.txt",
        ("PUBLIC Qt6::Core", "PUBLIC Qt6::Core GreenPulse::pipeline"),
        "the CMakeLists link greenpulse_* libraries in a cycle: ",
    ),
]


def copy_tree(source, dest):
    def ignore(folder, names):
        return [
            n
            for n in names
            if n.startswith(".")
            or os.path.exists(os.path.join(folder, n, "CMakeCache.txt"))
        ]

    shutil.copytree(source, dest, ignore=ignore)


def run_checker(tree, build=None):
    command = [sys.executable, CHECKER, "--source", tree, "--quiet"]
    if build:
        command += ["--build", build]
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return done.returncode, done.stdout


def plant(tree, path, change):
    full = os.path.join(tree, path)
    with open(full, encoding="utf-8") as f:
        original = f.read()
    if isinstance(change, tuple):
        old, new = change
        if old not in original:
            raise RuntimeError(f"{path} no longer contains {old!r}: update the self-test")
        text, line = original.replace(old, new, 1), None
    else:
        text = original if original.endswith("\n") else original + "\n"
        line = text.count("\n") + 1
        text += change
    with open(full, "w", encoding="utf-8") as f:
        f.write(text)
    return original, line


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", default=os.path.normpath(os.path.join(HERE, "..", "..")))
    parser.add_argument("--build", help="also plant a cycle and check cmake --graphviz sees it")
    args = parser.parse_args(argv)
    failures = 0
    with tempfile.TemporaryDirectory(prefix="layering-selftest-") as tmp:
        tree = os.path.join(tmp, "src")
        copy_tree(args.source, tree)
        code, out = run_checker(tree)
        if code != 0:
            print(f"FAIL: the unchanged tree does not pass (exit {code}):\n{out}")
            return 1
        print("ok   the unchanged tree passes")
        for what, path, change, expected in PLANTS:
            original, line = plant(tree, path, change)
            code, out = run_checker(tree)
            expected = expected.format(line=line)
            if code == 1 and expected in out:
                print(f"ok   {what}: reported")
            else:
                failures += 1
                print(f"FAIL {what}: exit {code}, expected a line with\n  {expected}\n{out}")
            with open(os.path.join(tree, path), "w", encoding="utf-8") as f:
                f.write(original)

        if args.build:
            # The same cycle, seen by cmake --graphviz on a configure of the planted tree (the
            # link-table check is silenced by linking through a variable it cannot follow).
            plant(
                tree,
                "core/base/CMakeLists.txt",
                ("PUBLIC Qt6::Core", 'PUBLIC Qt6::Core ${GREENPULSE_PLANTED}'),
            )
            plant(
                tree,
                "core/CMakeLists.txt",
                ("add_subdirectory(base)", "set(GREENPULSE_PLANTED GreenPulse::pipeline)\n"
                 "add_subdirectory(base)"),
            )
            build = os.path.join(tmp, "build")
            shutil.copytree(args.build, build, ignore=lambda f, n: [
                x for x in n if f == args.build and x != "CMakeCache.txt"])
            code, out = run_checker(tree, build)
            expected = "cmake --graphviz ("
            if code == 1 and expected in out and "greenpulse_base" in out:
                print("ok   a link cycle only cmake sees: reported by cmake --graphviz")
            else:
                failures += 1
                print(f"FAIL a link cycle only cmake sees: exit {code}\n{out}")
    if failures:
        print(f"test-check-layering: {failures} failure(s)")
        return 1
    print("test-check-layering: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
