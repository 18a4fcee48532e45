"""MkDocs hooks (mkdocs.yml `hooks:`): what the site shows from outside docs/.

- `<!-- SKILL.md: Heading -->` on a page is replaced by the body of SKILL.md's section
  `## Heading`, so the site shows SKILL.md's own text, never a copy. Names of the
  guide's helpers in it (`start_run`) become links to the reference page.
- A build with no `repo_url` (set by the environment) gets no edit links.
- SKILL.md itself is published raw at the site's root, for agents (`/SKILL.md`), and
  every module of snippets/ whole at `snippets/<name>.py`, so a page's download link to
  its module is a link the strict build checks.
- The media page's picture is drawn at build time from an offline run
  (scripts/render_media.py), kept in build/media-pictures/ (or $SITE_PICTURE_CACHE)
  while its sources are unchanged.
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

REPO = Path(__file__).resolve().parent.parent
SKILL = REPO / "SKILL.md"
MARKER = re.compile(r"^<!-- SKILL\.md: (?P<heading>.+?) -->$", re.MULTILINE)
PICTURES = {"assets/media-examples.png": "media-examples.png"}  # site path -> output
PICTURE_SOURCES = [
    "scripts/render_media.py",
    "snippets/media.py",
    "snippets/init.py",
    "snippets/readback.py",
]
SKIP_LINKS = {"main"}  # defined in every module


def skill_section(heading: str, text: str | None = None) -> str:
    """The lines under `## heading` in SKILL.md, up to the next `## ` heading."""
    lines = (SKILL.read_text() if text is None else text).splitlines()
    try:
        start = lines.index(f"## {heading}") + 1
    except ValueError:
        raise PluginError(f"SKILL.md has no section '## {heading}'") from None
    end = next(
        (i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines)
    )
    return "\n".join(lines[start:end]).strip("\n")


def helper_names() -> dict[str, str]:
    """Top-level functions and classes defined in exactly one snippets module, by name,
    with their reference identifier (`snippets.init.start_run`)."""
    found: dict[str, list[str]] = {}
    for path in sorted((REPO / "snippets").glob("*.py")):
        if path.stem.startswith("_"):
            continue
        for node in ast.parse(path.read_text()).body:
            if (
                isinstance(node, ast.FunctionDef | ast.ClassDef)
                and not node.name.startswith("_")
                and node.name not in SKIP_LINKS
            ):
                found.setdefault(node.name, []).append(
                    f"snippets.{path.stem}.{node.name}"
                )
    return {name: where[0] for name, where in found.items() if len(where) == 1}


def link_helpers(markdown: str, names: dict[str, str]) -> str:
    """`start_run` -> [`start_run`][snippets.init.start_run], for the guide's names."""

    def link(match: re.Match[str]) -> str:
        name = match[1]
        return f"[`{name}`][{names[name]}]" if name in names else match[0]

    return re.sub(r"(?<![\[\w])`(\w+)`(?!\])", link, markdown)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """edit_uri means nothing without repo_url, which only a published build has."""
    if not config.repo_url:
        config.edit_uri = None
    return config


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files):
    if not MARKER.search(markdown):
        return markdown
    names = helper_names()
    return MARKER.sub(
        lambda m: link_helpers(skill_section(m["heading"]), names), markdown
    )


class RawFile(File):
    """A file copied to the site as it is, even a Markdown one."""

    def is_documentation_page(self) -> bool:
        return False


def pictures_folder() -> Path:
    """The folder of the media page's pictures, rendered anew when a source changed."""
    digest = hashlib.sha256()
    for source in PICTURE_SOURCES:
        digest.update((REPO / source).read_bytes())
    cache = os.environ.get("SITE_PICTURE_CACHE") or REPO / "build" / "media-pictures"
    folder = Path(cache) / digest.hexdigest()[:16]  # the same sources draw the same
    if all((folder / name).is_file() for name in PICTURES.values()):
        return folder
    python_path = [str(REPO), os.environ.get("PYTHONPATH", "")]
    # Drawn into a folder of this process's own, then renamed into place: two builds
    # at once (parallel tests) never read each other's half-written pictures.
    partial = folder.with_name(f"{folder.name}.{os.getpid()}.partial")
    done = subprocess.run(
        [sys.executable, "-m", "scripts.render_media", str(partial)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, python_path))},
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise PluginError(f"scripts/render_media.py failed:\n{done.stderr}")
    try:
        partial.rename(folder)
    except OSError:  # another build got there first, with the same pictures
        shutil.rmtree(partial, ignore_errors=True)
    return folder


def on_files(files: Files, config: MkDocsConfig) -> Files:
    files.append(RawFile.generated(config, "SKILL.md", abs_src_path=str(SKILL)))
    for module in sorted((REPO / "snippets").glob("*.py")):
        if not module.stem.startswith("_"):
            uri = f"snippets/{module.name}"
            files.append(File.generated(config, uri, abs_src_path=str(module)))
    folder = pictures_folder()
    for site_path, name in PICTURES.items():
        files.append(File.generated(config, site_path, abs_src_path=str(folder / name)))
    return files
