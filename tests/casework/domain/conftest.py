"""Fixtures for the domain tests: the SEN2 import's two modes. Helpers are in cases.py."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from functools import partial

import pytest

from .cases import import_mode

ImportMode = Callable[..., AbstractContextManager[None]]


@pytest.fixture
def in_deferred_mode(db: None) -> ImportMode:
    """`with in_deferred_mode(TODAY):` one transaction, deadlines computed once at its end."""
    return partial(import_mode, buffered=False)


@pytest.fixture
def in_buffered_mode(db: None) -> ImportMode:
    """`with in_buffered_mode(TODAY):` as in_deferred_mode, and nothing written before its end."""
    return partial(import_mode, buffered=True)
