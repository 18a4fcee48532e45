"""The site's build for tests: one strict build a session, shared by tests/test_site.py and
tests/test_browser.py (both carry `xdist_group("site")`, so one worker builds it), and
copies of the sources for builds that must fail."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.sections import REPO


def build(
    root: Path, site: Path, site_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of the sources in `root` into `site`."""
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        # a copy of the sources draws the media picture the repository has drawn
        "SITE_PICTURE_CACHE": str(REPO / "build" / "media-pictures"),
    }
    if site_url:
        env["SITE_URL"] = site_url
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
    )


def copy_of_the_site_sources(tmp_path: Path, without_plugin: str = "") -> Path:
    """The site's sources in tmp_path/repo; `without_plugin` drops that plugin's block
    from mkdocs.yml (llmstxt, which turns every page back into Markdown, costs a build
    that checks links half its time)."""
    root = tmp_path / "repo"
    root.mkdir()
    config = (REPO / "mkdocs.yml").read_text()
    if without_plugin:
        lines = config.splitlines(keepends=True)
        start = lines.index(f"  - {without_plugin}:\n")
        end = next(
            i
            for i in range(start + 1, len(lines))
            if lines[i].startswith("  - ") or lines[i][:1].isalpha()
        )
        config = "".join(lines[:start] + lines[end:])
    (root / "mkdocs.yml").write_text(config)
    shutil.copy(REPO / "SKILL.md", root)
    for folder in ("docs", "snippets", "benchmarks", "scripts"):
        if (REPO / folder).exists():
            shutil.copytree(REPO / folder, root / folder)
    return root


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # the browser hung up
            super().handle_error(request, client_address)


@dataclass
class BuiltSite:
    """The built site in `folder`, built for `url` (http://127.0.0.1:PORT/), which
    `serve()` serves from then on."""

    folder: Path
    url: str
    server: Server
    serving: bool = False

    def serve(self) -> str:
        if not self.serving:
            threading.Thread(target=self.server.serve_forever, daemon=True).start()
            self.serving = True
        return self.url


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    """The repository's site, built once with --strict for the port it can be served
    on (the sitemap and canonical links name it)."""
    folder = tmp_path_factory.mktemp("built") / "site"
    folder.mkdir()
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = Server(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    done = build(REPO, folder, site_url=url)
    assert done.returncode == 0, done.stderr
    site = BuiltSite(folder, url, server)
    yield site
    if site.serving:
        server.shutdown()
    server.server_close()
