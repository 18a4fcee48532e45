"""One line that says what machine and versions a measurement came from."""

from __future__ import annotations

import datetime
import os
import platform
from importlib import metadata


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
    """e.g. 'AMD EPYC, 2 cores, Linux, Python 3.11.7, wandb 0.31.0; measured 2026-11-26'."""
    versions = ", ".join(f"{p} {_version(p)}" for p in ("wandb", *packages))
    return (
        f"{_cpu_model()}, {os.cpu_count()} cores, {platform.system()}, "
        f"Python {platform.python_version()}, {versions}; measured {datetime.date.today()}"
    )
