"""Python loads this at start-up when its folder is on PYTHONPATH, as the harness puts it
for every Python a test starts: the network guard then applies in that process too."""

import importlib.util
from pathlib import Path

_path = Path(__file__).resolve().parent.parent / "network_guard.py"
_spec = importlib.util.spec_from_file_location("_network_guard", _path)
_guard = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_guard)
_guard.install_from_env()
