# The harness (fixtures and hooks) lives in tests/harness.py; loading it here, at the
# root, makes it apply to the code fences of SKILL.md and docs/ as well as to tests/.
# tests/site_build.py holds the site's one build a session, tests/python_runs.py the one
# Python a mode that runs pages, SKILL.md and modules as a reader would.
pytest_plugins = ["tests.harness", "tests.site_build", "tests.python_runs"]
