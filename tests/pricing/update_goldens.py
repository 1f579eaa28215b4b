"""Regenerate the pricing golden files: ``.venv/bin/python tests/pricing/update_goldens.py``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

if __name__ == "__main__":
    env = dict(os.environ, CLOUDWRIGHT_UPDATE_GOLDENS="1")
    test = Path(__file__).with_name("test_golden.py")
    raise SystemExit(
        subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", str(test)], env=env)
    )
