# make docs: serve the site at http://127.0.0.1:8000   make test: run every check
# make site: strict build into site/                     make skill: regenerate SKILL.md's code
# make browser: the site in headless chromium, with screenshots in build/test-output/browser/
# The browser test needs Debian's chromium (apt-get install chromium; .ci/run installs it).
# Installs go into .venv and run again only when pyproject.toml changes (stamp files).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The torch the suite runs against; the CPU build where a local wheel exists.
TORCH ?= torch==2.13.0
export NO_MKDOCS_2_WARNING := 1

.PHONY: docs site test skill bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-docs: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[docs]"
	touch $@

$(VENV)/.installed-all: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet "$(TORCH)"
	$(BIN)/pip install --quiet -e ".[all]"
	touch $@ $(VENV)/.installed-docs

docs: $(VENV)/.installed-docs
	$(BIN)/mkdocs serve -a 127.0.0.1:8000

site: $(VENV)/.installed-docs
	$(BIN)/mkdocs build --strict -d site

test: $(VENV)/.installed-all
	$(BIN)/pytest -n auto  # a worker a core and one more (tests/harness.py)

bench: $(VENV)/.installed-all  # every benchmark: benchmarks/results/, under 2 minutes
	$(BIN)/python -m benchmarks

browser: $(VENV)/.installed-all
	$(BIN)/pytest -p no:cacheprovider tests/test_browser.py -s

skill: $(VENV)/.installed-all
	$(BIN)/cog -r SKILL.md

clean:
	rm -rf site build .pytest_cache .ruff_cache
