"""Fixtures for the SEN2 tests; helpers and strategies live in sen2_helpers.py beside this file."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from sen2_helpers import sample_persons, write_file  # noqa: E402,F401
