"""The built site as a reader meets it, in a real browser with no network.

The site is built strictly and served on 127.0.0.1; Debian's chromium, driven headless by
Playwright, opens every page at 1400x1000. Any request that would leave the machine is
blocked and fails the test, as does a console error. Each code block must have a copy
button and fit its column, every internal link and anchor must resolve, search must find
each topic page, dark mode must toggle, and links must keep a WCAG AA contrast (4.5:1)
in both schemes. Screenshots of the home page and the media page, light and dark, are
written to build/test-output/browser/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import xml.etree.ElementTree as ET
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from tests.sections import REPO

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("site")]

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium")
NO_CHROMIUM = (
    "the browser tests need Debian's chromium: apt-get install -y chromium, "
    "or set CHROMIUM=/path/to/chromium"
)
if not CHROMIUM and os.environ.get("CI", "").lower() not in ("true", "1", "yes"):
    pytest.skip(  # one line in the summary; under CI=true they run and fail instead
        f"{NO_CHROMIUM} (CI=true makes a missing chromium a failure)",
        allow_module_level=True,
    )

SHOTS = REPO / "build" / "test-output" / "browser"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# A term from each topic page, and the page search must list for it.
SEARCHES = {
    "finish_previous": "init/",
    "log_finite": "metrics/",
    "pixel_boxes": "media/",
    "artifact_dir": "artifacts/",
    "link_model": "registry/",
    "WandbLogger": "lightning_training/",
    "log_uniform_values": "sweep/",
    "resume": "offline/",
    "SIGKILL": "failures/",
    "read_offline_run": "readback/",
}
AA = 4.5


@pytest.fixture(scope="module")
def site(built_site) -> str:
    """The site, built for and served at http://127.0.0.1:PORT/."""
    return built_site.serve()


@pytest.fixture(scope="module")
def browser(site: str, tmp_path_factory: pytest.TempPathFactory):
    """A fresh headless chromium whose every request off 127.0.0.1 is blocked and kept."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, NO_CHROMIUM  # under CI: the browser checks never stop silently
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 1000},
            service_workers="block",
        )
        context.set_default_timeout(10_000)
        context.off_machine = []  # requests to anywhere but the served site

        def only_local(route) -> None:
            host = urlsplit(route.request.url).hostname
            if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
                route.continue_()
            else:
                context.off_machine.append(route.request.url)
                route.abort()

        context.route("**/*", only_local)
        yield context
        context.close()


def pages(site: str) -> list[str]:
    with open_url(urljoin(site, "sitemap.xml")) as response:
        tree = ET.fromstring(response.read())
    urls = [el.text for el in tree.iter() if el.tag.endswith("loc")]
    assert all(url.startswith(site) for url in urls), urls
    return sorted(urls)


def open_url(url: str):
    from urllib.request import urlopen

    return urlopen(url, timeout=10)  # 127.0.0.1 only: checked by the caller


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two CSS colours given as rgb()/rgba()."""

    def luminance(colour: str) -> float:
        r, g, b = (int(v) for v in re.findall(r"[\d.]+", colour)[:3])
        channels = []
        for c in (r / 255, g / 255, b / 255):
            channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_is_computed_as_wcag_defines_it():
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21)
    assert contrast("rgb(255, 193, 7)", "rgb(255, 255, 255)") == pytest.approx(
        1.63, abs=0.01
    )  # Material's amber on white: the palette this site had


COPY = "'.md-code__button[data-md-type=copy], .md-clipboard'"  # Material 9.8, older
COPY_BUTTONS_ADDED = """() => [...document.querySelectorAll('.md-content pre > code')]
  .every(c => c.parentElement.querySelector(COPY))""".replace("COPY", COPY)
PAGE_FACTS = """() => {
  const codes = [...document.querySelectorAll('.md-content pre > code')];
  return {
    ids: [...document.querySelectorAll('[id]')].map(e => e.id),
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    blocks: codes.length,
    copyButtons: codes.filter(c => c.parentElement.querySelector(COPY)).length,
    overflowing: codes.filter(c => c.scrollWidth > c.clientWidth + 1)
      .map(c => c.textContent.split('\\n').sort((a, b) => b.length - a.length)[0]),
    linkColour: (() => {
      const a = document.querySelector('.md-content article a[href]:not(.headerlink)');
      return a ? getComputedStyle(a).color : null;
    })(),
    background: getComputedStyle(document.body).backgroundColor,
    scheme: document.body.getAttribute('data-md-color-scheme'),
  };
}""".replace("COPY", COPY)


def test_every_page_loads_cleanly_with_fitting_code_and_resolving_links(site, browser):
    page = browser.new_page()
    errors: list[str] = []
    page.on(
        "console",
        lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    ids: dict[str, set[str]] = {}
    links: dict[str, set[str]] = {}  # target url (no fragment) -> fragments wanted
    problems: list[str] = []
    total_blocks = 0
    for url in pages(site):
        response = page.goto(url, wait_until="load")
        assert response is not None and response.status == 200, url
        page.wait_for_function(COPY_BUTTONS_ADDED)
        facts = page.evaluate(PAGE_FACTS)
        ids[url] = set(facts["ids"])
        total_blocks += facts["blocks"]
        if facts["copyButtons"] != facts["blocks"]:
            problems.append(
                f"{url}: {facts['blocks'] - facts['copyButtons']} blocks lack a copy button"
            )
        problems += [
            f"{url}: a block scrolls sideways: {line!r}"
            for line in facts["overflowing"]
        ]
        for href in facts["links"]:
            target, fragment = urldefrag(href)
            if target.startswith(site):
                links.setdefault(target, set()).add(fragment)
    assert total_blocks > 40  # every topic page's code was looked at
    for target, fragments in sorted(links.items()):
        if target not in ids:  # not a page in the sitemap: SKILL.md, llms.txt, images
            with open_url(target) as response:
                assert response.status == 200, target
            continue
        problems += [
            f"{target}#{f}: no such anchor"
            for f in fragments
            if f and f not in ids[target]
        ]
    assert not problems, "\n".join(problems)
    assert not errors, "\n".join(errors)
    assert not browser.off_machine, browser.off_machine
    page.close()


def test_search_finds_each_topic_page(site, browser):
    page = browser.new_page()
    page.goto(site, wait_until="load")
    missing = []
    for term, expected in SEARCHES.items():
        results = page.locator(".md-search-result__item a.md-search-result__link")
        page.locator("input.md-search__input").click()
        page.fill("input.md-search__input", term)
        page.press("input.md-search__input", "End")  # search reads the query on keyup
        # wait for this term's results, not the last term's: links carry ?h=<term>
        page.locator(f'a.md-search-result__link[href*="h={term}" i]').first.wait_for()
        hrefs = [
            urlsplit(h).path.strip("/") + "/"
            for h in results.evaluate_all("links => links.map(a => a.href)")
        ]
        if expected not in hrefs:
            missing.append(f"{term!r}: {expected} not among {hrefs}")
    assert not missing, "\n".join(missing)
    assert not browser.off_machine, browser.off_machine
    page.close()


def test_dark_mode_toggles_links_pass_aa_and_screenshots_are_written(
    site, browser, capsys
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page()
    shots = []
    seen = {}
    for scheme in ("default", "slate"):
        for name, path in (("home", ""), ("media", "media/")):
            page.goto(urljoin(site, path), wait_until="load")
            facts = page.evaluate(PAGE_FACTS)
            assert facts["scheme"] == scheme, (name, facts["scheme"])
            assert facts["linkColour"], f"{name}: no link in the article"
            ratio = contrast(facts["linkColour"], facts["background"])
            seen[(scheme, name)] = (facts["linkColour"], facts["background"], ratio)
            assert ratio >= AA, f"{scheme} {name}: links {ratio:.2f}:1 {facts}"
            shot = SHOTS / f"{name}-{'light' if scheme == 'default' else 'dark'}.png"
            page.screenshot(path=str(shot))
            shots.append(shot)
        if scheme == "default":  # the toggle in the header switches to dark
            page.locator("form[data-md-component=palette] label:visible").click()
            page.wait_for_function(
                "document.body.getAttribute('data-md-color-scheme') === 'slate'"
            )
    assert seen[("default", "home")][1] != seen[("slate", "home")][1]
    assert all(shot.stat().st_size > 10_000 for shot in shots)
    with capsys.disabled():
        print("\nlink contrast:", {k: round(v[2], 2) for k, v in seen.items()})
        print("screenshots:", *shots, sep="\n  ")
    assert not browser.off_machine, browser.off_machine
    page.close()
