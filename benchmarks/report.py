"""What every benchmark shares: its command line, the machine line, and where results
go.

Each script writes a Markdown table to benchmarks/results/<name>.md, which a docs page
includes, and prints it. `--quick` runs tiny sizes (the tests use it); `--out` writes
elsewhere.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
from importlib import metadata
from pathlib import Path

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


def describe_machine(*packages: str) -> str:
    """e.g. 'AMD EPYC, 2 cores, Linux, Python 3.11.7, wandb 0.31.0; measured
    2026-11-26'."""
    versions = ", ".join(f"{p} {_version(p)}" for p in ("wandb", *packages))
    return (
        f"{_cpu_model()}, {os.cpu_count()} cores, {platform.system()}, "
        f"Python {platform.python_version()}, {versions}; measured "
        f"{datetime.date.today()}"
    )


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


def publish(text: str, out: Path) -> str:
    """Write a result table where the docs include it, and print it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(text)
    return text
