"""The site builds with --strict, and a broken include or link makes the build fail; what
the build adds from outside docs/ (SKILL.md's rules, SKILL.md itself, llms.txt, the
reference, the media page's picture) is there and comes from its source."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.sections import REPO
from tests.site_build import build, copy_of_the_site_sources

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("site")]


@pytest.fixture
def built(built_site) -> Path:
    return built_site.folder


def test_site_builds_strict(built):
    page = (built / "init" / "index.html").read_text()
    assert "finish_previous" in page  # include expanded
    assert "--8&lt;--" not in page and "--8<--" not in page


def test_the_rules_page_shows_skill_md_own_sections(built):
    from scripts.mkdocs_hooks import skill_section

    page = (built / "rules" / "index.html").read_text()
    assert "<!-- SKILL.md" not in page
    table = skill_section("Wrong / right")
    rows = [line for line in table.splitlines() if line.startswith("| ")]
    assert len(rows) > 10
    assert page.count("<tr>") == len(rows) - 1  # the header and every row
    assert "Steps only increase" in skill_section("Rules")
    assert "<strong>Steps only increase</strong>" in page
    assert 'href="../reference/#snippets.metrics.log_finite"' in page


def test_a_missing_skill_section_fails_the_build(tmp_path):
    # The rules page fails as it renders, after the pages before it: without llmstxt
    root = copy_of_the_site_sources(tmp_path, without_plugin="llmstxt")
    rules = root / "docs" / "rules.md"
    rules.write_text(rules.read_text().replace("SKILL.md: Rules", "SKILL.md: Rulez"))
    done = build(root, tmp_path / "site")
    assert done.returncode != 0
    assert "SKILL.md has no section '## Rulez'" in done.stderr


def test_agents_get_skill_md_raw_and_llms_txt(built):
    assert (built / "SKILL.md").read_bytes() == (REPO / "SKILL.md").read_bytes()
    llms = (built / "llms.txt").read_text()
    assert llms.startswith("# W&B tracking guide\n")
    for page in ("rules", "init", "media", "readback", "reference"):
        assert f"{page}/index.md)" in llms
    full = (built / "llms-full.txt").read_text()
    assert 'reinit="finish_previous"' in full and "def start_run(" in full


def test_the_reference_is_generated_from_the_docstrings(built):
    from snippets import init

    page = (built / "reference" / "index.html").read_text()
    assert 'id="snippets.init.start_run"' in page
    first_line = init.start_run.__doc__.strip().splitlines()[0]
    assert first_line.split()[0] in page


def test_the_quickstart_highlights_exactly_its_wandb_lines():
    """hl_lines on the home page names lines by number: they must be the W&B calls."""
    from tests.sections import section

    index = (REPO / "docs" / "index.md").read_text()
    [numbers] = re.findall(r'hl_lines="([\d ]+)"', index)
    lines = section("snippets/quickstart.py", "quickstart").splitlines()
    calls = {
        n
        for n, line in enumerate(lines, 1)
        if re.search(r"\brun\.\w|wandb\.init|import wandb", line)
    }
    assert {int(n) for n in numbers.split()} == calls


def test_the_media_picture_is_built_from_an_offline_run(built):
    from PIL import Image

    page = (built / "media" / "index.html").read_text()
    assert 'src="../assets/media-examples.png"' in page
    picture = Image.open(built / "assets" / "media-examples.png")
    assert picture.format == "PNG" and picture.width > 4 * 48 * 5


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        (
            '"snippets/init.py:start-run"',
            '"snippets/init.py:no-such-section"',
            "no-such-section",
        ),
        (
            '"snippets/init.py:start-run"',
            '"snippets/missing.py:start-run"',
            "missing.py",
        ),
    ],
)
def test_a_broken_include_fails_the_build(tmp_path, old, new, error):
    root = copy_of_the_site_sources(tmp_path)
    page = root / "docs" / "init.md"
    assert old in page.read_text()
    page.write_text(page.read_text().replace(old, new, 1))
    done = build(root, tmp_path / "site")
    assert done.returncode != 0
    assert error in done.stderr


def test_a_broken_link_or_anchor_fails_the_build_naming_each(tmp_path):
    """One build for both: strict mode reports every warning, then fails."""
    root = copy_of_the_site_sources(tmp_path, without_plugin="llmstxt")
    assert "llmstxt" not in (root / "mkdocs.yml").read_text()
    page = root / "docs" / "init.md"
    text = page.read_text()
    for old, new in [
        ("[Testing with offline runs](readback.md)", "[gone](gone.md)"),
        ("(sweep.md)", "(sweep.md#no-such-anchor)"),
    ]:
        assert old in text
        text = text.replace(old, new, 1)
    page.write_text(text)
    done = build(root, tmp_path / "site")
    assert done.returncode != 0
    warnings = [line for line in done.stderr.splitlines() if line.startswith("WARN")]
    assert len(warnings) == 2, done.stderr
    assert [
        w for w in warnings if "'gone.md'" in w or "'#no-such-anchor'" in w
    ] == warnings
    assert "'gone.md'" in "".join(warnings) and "'#no-such-anchor'" in "".join(warnings)


def test_ci_and_hosting_run_readmes_commands():
    readme = (REPO / "README.md").read_text()
    ci = (REPO / ".ci" / "run").read_text()
    test_workflow = (REPO / ".github" / "workflows" / "test.yml").read_text()
    pages_workflow = (REPO / ".github" / "workflows" / "pages.yml").read_text()
    assert "make test" in readme and "make site" in readme
    assert "\nmake test\n" in ci  # README's command, after the installs
    assert "apt-get install -y -qq chromium" in ci
    assert "run: bash .ci/run" in test_workflow
    assert "run: make site" in pages_workflow
    assert "site_url: !ENV [SITE_URL" in (REPO / "mkdocs.yml").read_text()
    assert "SITE_URL: ${{ steps.pages.outputs.base_url }}/" in pages_workflow


def test_every_snippet_module_is_published_whole(built):
    """Each topic page links its whole module for download: the site has it, as it is."""
    modules = [p for p in (REPO / "snippets").glob("*.py") if p.stem[0] != "_"]
    assert modules
    for module in modules:
        published = built / "snippets" / module.name
        assert published.read_bytes() == module.read_bytes(), module.name
    page = (built / "init" / "index.html").read_text()
    assert 'href="../snippets/init.py"' in page
