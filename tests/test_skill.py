"""SKILL.md: its code matches the snippets (cog), its frontmatter passes the Agent Skills
reference validator, it stays short, and every link in it leads somewhere."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import skills_ref

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


def test_body_is_under_500_lines():
    body = SKILL.read_text().split("\n---\n", 1)[1]
    assert len(body.splitlines()) < 500


def test_links_lead_to_files_in_the_repository():
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", SKILL.read_text())
    assert links
    for link in links:
        assert (REPO / link).is_file(), (
            f"SKILL.md links to {link}, which does not exist"
        )
    for path in re.findall(r"`((?:snippets|docs)/[\w/.-]+)`", SKILL.read_text()):
        assert (REPO / path).is_file(), f"SKILL.md names {path}, which does not exist"
