"""The engine's boundary (STYLE habit 1): importing it loads no Flask and no SQLAlchemy."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# `scoreboard/__init__.py` is the Flask app factory, so importing the real parent package would
# load Flask whatever the engine does. The child process stands in an empty parent package,
# which leaves only the engine's own imports (and anything they reach in `scoreboard`) to load.
PROBE = f"""
import sys, types
parent = types.ModuleType("scoreboard")
parent.__path__ = [{str(ROOT / "scoreboard")!r}]
sys.modules["scoreboard"] = parent
import scoreboard.engine
print(",".join(sorted(name for name in ("flask", "flask_sqlalchemy", "sqlalchemy") if name in sys.modules)))
print(",".join(sorted(
    name for name in sys.modules if name.startswith("scoreboard.") and not name.startswith("scoreboard.engine")
)))
"""


def test_engine_imports_no_flask_or_sqlalchemy():
    probe = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, cwd=ROOT)
    web_modules, other_scoreboard_modules = probe.stdout.split("\n")[:2]
    assert web_modules == ""
    assert other_scoreboard_modules == ""
