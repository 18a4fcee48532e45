"""What every benchmark shares: its command line, the machine line, and where results
go.

Each script writes a Markdown table to benchmarks/results/<name>.md, which a docs page
includes, and prints it. `--quick` runs tiny sizes (the tests use it); `--out` writes
elsewhere. `python -m benchmarks` runs them all and writes their figures to one JSON
file.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
from importlib import metadata
from pathlib import Path
from typing import Any, NamedTuple

RESULTS = Path(__file__).parent / "results"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def load_average() -> float | None:
    """The machine's load over the last minute (processes running or waiting for a
    core), or None where the system does not say."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def describe_machine(*packages: str, load: bool = True) -> str:
    """e.g. 'AMD EPYC, 2 cores, Linux, Python 3.11.7, wandb 0.31.0; measured
    2026-11-26, load average 0.4' (the load over the last minute)."""
    versions = ", ".join(f"{p} {_version(p)}" for p in ("wandb", *packages))
    average = load_average() if load else None
    return (
        f"{_cpu_model()}, {os.cpu_count()} cores, {platform.system()}, "
        f"Python {platform.python_version()}, {versions}; measured "
        f"{datetime.date.today()}"
        + (f", load average {average:.1f}" if average is not None else "")
    )


def made_by(name: str, quick: bool, *packages: str) -> str:
    """The line a table ends with: the command that wrote it, and the machine."""
    command = f"python -m benchmarks.{name}{' --quick' if quick else ''}"
    return f"`{command}` on {describe_machine(*packages)}\n"


def benchmark_args(
    doc: str, name: str, argv: list[str] | None = None
) -> argparse.Namespace:
    """--quick (tiny sizes, to check the script runs) and --out (default:
    results/<name>.md)."""
    parser = argparse.ArgumentParser(description=doc.strip().splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="tiny sizes, to check it runs"
    )
    parser.add_argument("--out", type=Path, default=RESULTS / f"{name}.md")
    return parser.parse_args(argv)


class Published(NamedTuple):
    """What a benchmark wrote: its Markdown table and the figures behind it."""

    table: str
    data: Any


def publish(text: str, out: Path, data: Any = None) -> Published:
    """Write a result table where the docs include it, and print it; `data` (numbers,
    not formatted) goes to the JSON file that `python -m benchmarks` writes."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(text)
    return Published(text, data)
