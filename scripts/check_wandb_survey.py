"""Run scripts/check_wandb.py over other people's code and count what it finds.

    python scripts/check_wandb_survey.py /tmp/realcode/*

Each argument is one repository's folder (a checkout, or files extracted from one). For
each it prints the commit (when the folder is a git checkout, or holds a file COMMIT),
the Python files read, those that mention a name the rules look for (the ones parsed),
the sweep configs found, and the findings per rule, as a Markdown table; then every
finding, to read and judge one by one. The repositories stay outside this one.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_wandb import KEYWORDS, RULES, check_paths, files  # noqa: E402


def commit_of(folder: Path) -> str:
    marker = folder / "COMMIT"
    if marker.exists():
        return marker.read_text().strip()[:12]
    done = subprocess.run(
        ["git", "-C", str(folder), "rev-parse", "HEAD"], capture_output=True, text=True
    )
    return done.stdout.strip()[:12] if done.returncode == 0 else "-"


def survey(folder: Path) -> tuple[dict, list]:
    paths = list(files([str(folder)]))
    python = [p for p in paths if p.suffix == ".py"]
    parsed = sum(
        any(word in p.read_text(errors="replace") for word in KEYWORDS) for p in python
    )
    found = check_paths([str(folder)])
    sweeps = {f.path for f in found if not f.path.endswith(".py")}
    row = {
        "repository": folder.name,
        "commit": commit_of(folder),
        "python": len(python),
        "parsed": parsed,
        "configs with findings": len(sweeps),
        "rules": Counter(f.rule for f in found),
    }
    return row, found


def main(argv: list[str]) -> int:
    rows, everything = [], []
    for name in argv:
        row, found = survey(Path(name))
        rows.append(row)
        everything += found
    used = sorted({rule for row in rows for rule in row["rules"]})
    print("| repository | commit | .py files | parsed | " + " | ".join(used) + " |")
    print("| --- | --- | ---: | ---: | " + " | ".join("---:" for _ in used) + " |")
    for row in rows:
        counts = " | ".join(str(row["rules"].get(rule, "")) for rule in used)
        print(
            f"| {row['repository']} | `{row['commit']}` | {row['python']:,} | "
            f"{row['parsed']:,} | {counts} |"
        )
    total = Counter(f.rule for f in everything)
    print(
        f"| all | | {sum(r['python'] for r in rows):,} | "
        f"{sum(r['parsed'] for r in rows):,} | "
        + " | ".join(str(total[rule]) for rule in used)
        + " |"
    )
    print()
    for rule in used:
        print(f"{rule} {RULES[rule].name}: {total[rule]}")
    print()
    for f in everything:
        print(f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
