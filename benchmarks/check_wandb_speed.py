"""How long scripts/check_wandb.py takes over a repository of 1,000 Python files.

The repository is made in a temporary folder: a quarter of its files use W&B (this
guide's own modules, tests and benchmarks, copied round), the rest are Python's
standard library modules, which mention no W&B name, so the checker reads them and
skips the parse (in the real code the checker's page lists, 165 of 723 files were
parsed). A second row parses every file: 1,000 files that all use W&B. Each row is the
fastest of 3 runs of the whole command, in a fresh Python, from start to exit.

Run it:  python -m benchmarks.check_wandb_speed [--quick] [--out PATH]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from benchmarks.report import Published, benchmark_args, made_by, publish

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "check_wandb.py"


def wandb_files() -> list[Path]:
    """This repository's Python files that use W&B."""
    folders = ("snippets", "tests", "benchmarks")
    return sorted(
        p
        for folder in folders
        for p in (ROOT / folder).glob("*.py")
        if "wandb" in p.read_text()
    )


def other_files() -> list[Path]:
    """Python's standard library modules: real code that uses no W&B."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    skip = ("test", "site-packages", "idlelib", "lib2to3", "tkinter")
    return sorted(
        p
        for p in stdlib.rglob("*.py")
        if not any(part in skip for part in p.relative_to(stdlib).parts)
    )


def make_repository(folder: Path, files: int, share_wandb: float) -> dict:
    """`files` Python files in `folder`, `share_wandb` of them using W&B."""
    with_wandb, others = wandb_files(), other_files()
    n_wandb = round(files * share_wandb)
    lines = 0
    for i in range(files):
        source = (
            with_wandb[i % len(with_wandb)] if i < n_wandb else others[i % len(others)]
        )
        target = folder / f"pkg{i // 100}" / f"m{i}.py"
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(source, target)
        lines += source.read_bytes().count(b"\n")
    return {"files": files, "wandb_files": n_wandb, "lines": lines}


def time_command(folder: Path, repeats: int) -> tuple[float, int]:
    """The fastest of `repeats` runs of the command, and its number of findings."""
    best, findings = float("inf"), 0
    for _ in range(repeats):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(SCRIPT), str(folder)], capture_output=True, text=True
        )
        best = min(best, time.perf_counter() - start)
        assert done.returncode in (0, 1), done.stderr
        findings = len(done.stdout.splitlines())
    return best, findings


def run_benchmark(files: int, repeats: int) -> list[dict]:
    rows = []
    for share in (0.25, 1.0):
        with tempfile.TemporaryDirectory() as tmp:
            row = make_repository(Path(tmp), files, share)
            row["seconds"], row["findings"] = time_command(Path(tmp), repeats)
        rows.append(row)
    return rows


def to_markdown(rows: list[dict], quick: bool) -> str:
    lines = [
        "| Python files | of them using W&B (parsed) | lines | seconds | findings |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['files']:,} | {r['wandb_files']:,} | {r['lines']:,} | "
            f"{r['seconds']:.2f} | {r['findings']} |"
        )
    return "\n".join(lines) + "\n\n" + made_by("check_wandb_speed", quick)


def main(argv: list[str] | None = None) -> Published:
    args = benchmark_args(__doc__, "check_wandb_speed", argv)
    rows = run_benchmark(80 if args.quick else 1000, 1 if args.quick else 3)
    return publish(to_markdown(rows, args.quick), args.out, data=rows)


if __name__ == "__main__":
    main()
