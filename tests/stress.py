"""Run the tests that start child processes or send signals many times in a row, on a
loaded machine, and stop at the first failure: a flaky test shows itself here.

    python -m tests.stress                 # 20 runs, a busy loop on every core
    python -m tests.stress --runs 5 --load 0 tests/test_failures.py

Each run is one `pytest -n auto` of the selection, as `make test` runs it: by default
the signal, killed-run, restart and network-guard tests; name others
(tests/test_snippets_run.py, the DDP test) to add them. The busy loops are this
command's own children and end with it. Prints one line a run and a total.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT = [  # the tests that signal a child process or time one
    "tests/test_failures.py",
    "tests/test_readback.py::test_a_killed_run_reads_back_as_unfinished",
    "tests/test_offline.py",
    "tests/test_network_guard.py",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs in a row (20)")
    parser.add_argument(
        "--load",
        type=int,
        default=os.cpu_count() or 1,
        help="busy loops running meanwhile (default: one a core)",
    )
    parser.add_argument("--workers", default="auto", help="pytest -n (auto)")
    parser.add_argument("tests", nargs="*", default=DEFAULT, help="pytest selection")
    args = parser.parse_args(argv)
    busy = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"])
        for _ in range(args.load)
    ]
    passed = 0
    try:
        for run in range(1, args.runs + 1):
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
                + ["-n", args.workers, *args.tests],
                cwd=REPO,
                capture_output=True,
                text=True,
            )
            seconds = time.perf_counter() - start
            last = (done.stdout.strip().splitlines() or ["(no output)"])[-1]
            print(f"run {run}/{args.runs}: {last} ({seconds:.0f} s)", flush=True)
            if done.returncode != 0:
                print(done.stdout[-6000:], done.stderr[-3000:], sep="\n")
                break
            passed += 1
    finally:
        for loop in busy:
            loop.kill()
            loop.wait()
    print(f"{passed} of {args.runs} runs passed, with {args.load} busy loops")
    return 0 if passed == args.runs else 1


if __name__ == "__main__":
    sys.exit(main())
