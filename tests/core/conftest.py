"""Fixtures for the core tests."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django import forms

import sendcase


@pytest.fixture(scope="session")
def form_classes() -> list[type[forms.BaseForm]]:
    """Every form class in SENDcase's `forms` modules."""
    found = []
    for info in pkgutil.walk_packages(sendcase.__path__, "sendcase."):
        if not info.name.endswith(".forms"):
            continue
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == info.name:
                found.append(cls)
    return found
