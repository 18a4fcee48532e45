"""SKILL.md: its code matches the snippets (cog), its frontmatter passes the Agent Skills
reference validator, it stays short, and every link in it leads somewhere."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
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

# Exercises every name the blocks define, as a training script would after pasting them.
DRIVER = """
import os
import numpy as np
with start_run(True, project="pasted", config={"lr": 0.1}) as run:
    assert run.config["lr"] == 0.1
    dropped = log_finite(run, {"loss": float("nan"), "acc": 0.5}, step=0)
    assert dropped == ["loss"], dropped
    group = pixel_boxes([[1.0, 2.0, 5.0, 6.0]], np.array([1]), {1: "cat"}, [0.9])
    assert group["box_data"][0]["domain"] == "pixel"
    assert group["box_data"][0]["box_caption"] == "cat 0.90"
    if os.environ.get("EXPECT") == "wandb":
        import wandb
        image = wandb.Image(np.zeros((8, 8, 3), np.uint8), boxes={"predictions": group})
        run.log({"image": image}, step=1)
    assert type(run).__name__ == os.environ["EXPECT_RUN"], type(run)
print("pasted blocks ran")
"""


def skill_blocks() -> list[str]:
    from tests.test_docs import fences

    return [content for _, info, content in fences(SKILL) if info[0] == "python"]


def pasted(tmp_path):
    """SKILL.md's code blocks pasted in order into one file, as an agent would."""
    path = tmp_path / "pasted.py"
    path.write_text("\n\n".join(skill_blocks()) + "\n")
    return path


def test_pasted_blocks_define_every_name_they_use_and_import_nothing_unused(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated"]
        + ["--select", "F821,F401,F404", str(pasted(tmp_path))],
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


# Imports every module of a copy of snippets/ named mytracking (argv), each in turn.
IMPORT_THE_COPY = """
import importlib, sys, traceback
for module in sys.argv[1:]:
    try:
        importlib.import_module(module)
    except Exception:
        print("FAILED", module, traceback.format_exc())
    assert "snippets" not in sys.modules, module  # nothing reached the original
print("the copy imported")
"""


@pytest.fixture(scope="module")
def pasted_without_wandb(tmp_path_factory) -> subprocess.CompletedProcess[str]:
    """One Python where wandb is not installed: SKILL.md's pasted blocks and the
    driver, then every module of snippets/ copied into a package of another name. One
    Python for both, as each start imports Lightning."""
    from tests.harness import assert_no_network, guarded_env, python_command

    root = tmp_path_factory.mktemp("without-wandb")
    package = root / "mytracking"
    shutil.copytree(REPO / "snippets", package, ignore=shutil.ignore_patterns("__py*"))
    modules = sorted(p.stem for p in package.glob("*.py") if p.stem[0] != "_")
    assert len(modules) > 10
    code = pasted(root).read_text() + DRIVER + IMPORT_THE_COPY
    env = {**guarded_env(root, "disabled"), "EXPECT_RUN": "NoRun", "EXPECT": "none"}
    base = tmp_path_factory.getbasetemp()
    cmd = python_command(
        "-c",
        code,
        *(f"mytracking.{m}" for m in modules),
        wandb_installed=False,
        base=base,
    )
    done = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
    assert_no_network(root)
    return done


@pytest.mark.slow
@pytest.mark.xdist_group("skill-without-wandb")
def test_pasted_blocks_run_with_wandb_absent(pasted_without_wandb):
    done = pasted_without_wandb
    assert "pasted blocks ran" in done.stdout, done.stdout + done.stderr


@pytest.fixture(scope="module")
def pasted_under_pytest(tmp_path_factory) -> subprocess.CompletedProcess[str]:
    """The pasted file, with the driver at its end, run by pytest with W&B disabled:
    the driver runs as pytest imports the file, then the read-back block's own test
    runs. One Python for both, as each start imports Lightning (SKILL.md's
    make_logger needs it at the top of the file)."""
    from tests.harness import python_env

    tmp_path = tmp_path_factory.mktemp("pasted")
    path = pasted(tmp_path)
    # W&B keeps the driver's settings (WANDB_MODE too) until torn down, as the
    # harness tears it down between tests; the example test then runs offline.
    teardown = "\nimport wandb\nwandb.teardown()\n"
    path.write_text(path.read_text() + DRIVER + teardown)
    env = python_env(tmp_path / "sandbox", "disabled")
    env.update(EXPECT_RUN="NoopRun", EXPECT="wandb", PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-s",
            "-p",
            "no:cacheprovider",
            str(path),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.mark.slow
@pytest.mark.xdist_group("skill-pytest")
def test_pasted_blocks_run_with_wandb_disabled(pasted_under_pytest):
    done = pasted_under_pytest
    assert "pasted blocks ran" in done.stdout, done.stdout + done.stderr


@pytest.mark.slow
@pytest.mark.xdist_group("skill-pytest")
def test_the_pasted_example_test_passes_under_pytest(pasted_under_pytest):
    """The read-back block's own pytest test, run from the pasted file."""
    done = pasted_under_pytest
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


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
@pytest.mark.xdist_group("skill-without-wandb")
def test_a_copy_of_the_snippets_folder_runs_under_another_name(pasted_without_wandb):
    """An engineer copies snippets/ into their own package: nothing to edit. Every
    module imports, with wandb not installed, and none reaches the original."""
    done = pasted_without_wandb
    assert done.returncode == 0, done.stdout + done.stderr
    assert "FAILED" not in done.stdout, done.stdout
    assert done.stdout.endswith("the copy imported\n"), done.stdout


def test_the_tables_checkpoint_filename_is_the_modules():
    """The Wrong/right row's ModelCheckpoint filename is the one the Lightning tests run."""
    filename = 'filename="epoch{epoch:02d}-val_loss{val/loss:.4f}"'
    assert filename in SKILL.read_text()
    assert filename in (REPO / "snippets" / "lightning_training.py").read_text()
