"""Run every benchmark: each writes its table to benchmarks/results/<name>.md, and all
their figures go to benchmarks/results/benchmarks.json, with the machine, its load and
how long each took. performance_run.md says the same in one paragraph for the docs.

Run it:  python -m benchmarks [--quick] [--out FOLDER] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import sys
import time
from pathlib import Path

from benchmarks.report import RESULTS, describe_machine, load_average

# In this order: the torch benchmark last, as it sets torch's thread count while it
# runs, and the cheapest first.
BENCHMARKS = [
    "performance_targets",
    "metrics_log_cost",
    "performance_calls",
    "performance_media",
    "media_cost",
    "performance_artifacts",
    "check_wandb_speed",
    "lightning_training_run_cost",
    "metrics_gradients",
]


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, to check")
    parser.add_argument("--out", type=Path, default=RESULTS, help="the folder")
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, help="run these")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    args = parse(argv)
    names = [name for name in BENCHMARKS if not args.only or name in args.only]
    command = " ".join(
        ["python -m benchmarks"]
        + (["--quick"] if args.quick else [])
        + (["--only", *names] if args.only else [])
    )
    report: dict = {
        "command": command,
        "quick": args.quick,
        "machine": describe_machine(
            "torch", "numpy", "pillow", "moviepy", "pydantic", load=False
        ),
        "python": platform.python_version(),
        "load_average_start": load_average(),
        "benchmarks": {},
    }
    started = time.perf_counter()
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        begun = time.perf_counter()
        argv_one = ["--out", str(args.out / f"{name}.md")]
        table, data = module.main(argv_one + (["--quick"] if args.quick else []))
        report["benchmarks"][name] = {
            "seconds": time.perf_counter() - begun,
            "table": table,
            "data": data,
        }
    report["seconds"] = time.perf_counter() - started
    report["load_average_end"] = load_average()
    (args.out / "benchmarks.json").write_text(json.dumps(report, indent=1) + "\n")
    (args.out / "performance_run.md").write_text(summary(report))
    print(summary(report), file=sys.stderr)
    return report


def summary(report: dict) -> str:
    start, end = report["load_average_start"], report["load_average_end"]
    load = (
        f"; the load average (processes running or waiting for one of the cores, over "
        f"a minute) was {start:.1f} at the start and {end:.1f} at the end"
        if start is not None and end is not None
        else ""
    )
    each = ", ".join(
        f"{name} {result['seconds']:.0f} s"
        for name, result in report["benchmarks"].items()
    )
    return (
        f"`{report['command']}` ran {len(report['benchmarks'])} "
        f"benchmark{'s' if len(report['benchmarks']) != 1 else ''} in "
        f"{report['seconds']:.0f} s ({each}) on {report['machine']}{load}.\n"
    )


if __name__ == "__main__":
    main()
