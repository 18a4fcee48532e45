"""SKILL.md: its code matches the snippets (cog), its frontmatter passes the Agent Skills
reference validator, it stays short, and every link in it leads somewhere."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
import skills_ref

from tests.python_runs import pasted_skill, skill_blocks
from tests.sections import REPO

SKILL = REPO / "SKILL.md"


def test_code_blocks_match_the_snippets():
    done = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "--diff", "SKILL.md"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, (
        f"run `make skill` to regenerate SKILL.md\n{done.stdout}"
    )


def test_frontmatter_passes_the_reference_validator(tmp_path):
    skill_dir = (
        tmp_path / "wandb-tracking"
    )  # the validator wants the folder named as the skill
    skill_dir.mkdir()
    shutil.copy(SKILL, skill_dir / "SKILL.md")
    assert skills_ref.validate(skill_dir) == []
    props = skills_ref.read_properties(skill_dir)
    assert props.name == "wandb-tracking"
    assert len(props.description) < 1024
    assert props.description.startswith(
        "Adds "
    )  # third person: says what the skill does
    assert "Use it when" in props.description  # and when to use it
    assert props.license and props.compatibility


def test_the_validator_rejects_a_mismatched_name(tmp_path):
    skill_dir = tmp_path / "other-name"
    skill_dir.mkdir()
    shutil.copy(SKILL, skill_dir / "SKILL.md")
    assert any("other-name" in error for error in skills_ref.validate(skill_dir))


def test_links_lead_to_files_in_the_repository():
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", SKILL.read_text())
    assert links
    for link in links:
        assert (REPO / link).is_file(), (
            f"SKILL.md links to {link}, which does not exist"
        )
    for path in re.findall(r"`((?:snippets|docs)/[\w/.-]+)`", SKILL.read_text()):
        assert (REPO / path).is_file(), f"SKILL.md names {path}, which does not exist"


# --- SKILL.md as agents use it: pasted in order, short, and copyable -------------------

BUDGET_LINES, BUDGET_CHARS = 400, 24_000


def test_pasted_blocks_define_every_name_they_use_and_import_nothing_unused(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated"]
        + ["--select", "F821,F401,F404", str(pasted_skill(tmp_path))],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout
    assert "snippets" not in "".join(
        line
        for block in skill_blocks()
        for line in block.splitlines()
        if line.startswith(("import ", "from "))
    ), "a SKILL.md block imports from the guide's modules: define the name instead"


# SKILL.md pasted runs in tests/python_runs.py's Pythons: as a script with wandb absent,
# and under pytest with wandb disabled.


@pytest.mark.slow
@pytest.mark.xdist_group("scripts-absent")
def test_pasted_blocks_run_with_wandb_absent(python_runs):
    ran = python_runs("absent")["skill:pasted"]
    assert ran.error is None, ran.report()
    assert "pasted blocks ran" in ran.stdout, ran.report()


@pytest.mark.slow
@pytest.mark.xdist_group("scripts-disabled")
def test_pasted_blocks_run_with_wandb_disabled(python_runs):
    """The pasted file, with the driver at its end, run by pytest with W&B disabled:
    the driver runs as pytest imports the file."""
    ran = python_runs("disabled")["skill:pytest"]
    assert "pasted blocks ran" in ran.stdout, ran.report()


@pytest.mark.slow
@pytest.mark.xdist_group("scripts-disabled")
def test_the_pasted_example_test_passes_under_pytest(python_runs):
    """The read-back block's own pytest test, run from the pasted file."""
    ran = python_runs("disabled")["skill:pytest"]
    assert ran.error is None, ran.report()
    assert "1 passed" in ran.stdout, ran.report()


def test_skill_stays_within_its_budget():
    text = SKILL.read_text()
    body = text.split("\n---\n", 1)[1]
    assert len(body.splitlines()) < BUDGET_LINES
    assert len(text) < BUDGET_CHARS


def test_the_tables_one_line_fixes_do_what_they_say():
    """The Wrong/right table's inline conversions, run on the layouts they fix."""
    import numpy as np
    import wandb

    text = SKILL.read_text()
    image_fix = '(x.transpose(1, 2, 0) * 255).round().astype("uint8")'
    video_fix = "frames.transpose(0, 3, 1, 2)"
    assert image_fix in text and video_fix in text
    x = np.random.default_rng(0).random((3, 5, 7))  # CHW floats in [0, 1]
    pixels = eval(image_fix)
    image = wandb.Image(pixels)
    assert image.image.size == (7, 5)  # PIL: (width, height)
    assert np.asarray(image.image)[2, 3].tolist() == np.rint(x[:, 2, 3] * 255).tolist()
    frames = np.zeros((4, 6, 10, 3), np.uint8)  # noqa: F841  # (T, H, W, C), for eval
    assert eval(video_fix).shape == (4, 3, 6, 10)  # the (T, C, H, W) wandb reads


@pytest.mark.slow
@pytest.mark.xdist_group("scripts-absent")
def test_a_copy_of_the_snippets_folder_runs_under_another_name(python_runs):
    """An engineer copies snippets/ into their own package: nothing to edit. Every
    module imports, with wandb not installed, and none reaches the original."""
    ran = python_runs("absent")["skill:copy"]
    assert ran.error is None, ran.report()
    assert "FAILED" not in ran.stdout, ran.stdout
    assert ran.stdout.endswith("the copy imported\n"), ran.stdout


def test_the_tables_checkpoint_filename_is_the_modules():
    """The Wrong/right row's ModelCheckpoint filename is the one the Lightning tests run."""
    filename = 'filename="epoch{epoch:02d}-val_loss{val/loss:.4f}"'
    assert filename in SKILL.read_text()
    assert filename in (REPO / "snippets" / "lightning_training.py").read_text()
