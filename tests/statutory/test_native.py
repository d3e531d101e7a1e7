"""Which engine runs the clock: the compiled build only while it was built from the sources on
disk, engine.py otherwise (with one warning) and whenever SENDCASE_PURE_CLOCK=1 says so.

Each case runs in its own Python process over a copy of the package in a temporary folder, so
this process's engine is never swapped. A stand-in for the compiled build (a file of the
extension module's name that is no extension module) shows that a stale build is never even
opened; the real build, where `make setup` made one, is copied too.
"""

from __future__ import annotations

import importlib.machinery
import json
import os
import pathlib
import shutil
import subprocess
import sys
from typing import Any

import pytest

from sendcase import statutory
from sendcase.statutory import native

SO = "engine" + importlib.machinery.EXTENSION_SUFFIXES[0]  # engine.cpython-311-...so

# Imports the package from the copy, computes one case, and reports what ran.
PROBE = """
import json, warnings
from datetime import date
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    from sendcase import statutory
    from sendcase.statutory import native
    events = statutory.parse_events([{"type": "request_received", "date": "2025-01-06"}])
    rows = statutory.compute_deadlines(events, date(2025, 3, 1))
print(json.dumps({
    "build": statutory.ENGINE_BUILD,
    "file": statutory.engine.__file__,
    "warnings": [str(w.message) for w in caught if w.category is native.StaleEngineWarning],
    "rows": [r.key for r in rows],
}))
"""


def _copy(tmp_path: pathlib.Path, real_build: bool = False) -> pathlib.Path:
    """The sendcase package's __init__ and the whole statutory package, in tmp_path."""
    folder = tmp_path / "sendcase" / "statutory"
    folder.mkdir(parents=True)
    shutil.copy(native.PACKAGE.parent / "__init__.py", folder.parent)
    for path in native.PACKAGE.glob("*.py"):
        shutil.copy(path, folder)
    if real_build:
        for path in native.PACKAGE.glob("engine*.so"):
            shutil.copy(path, folder)
        shutil.copy(native.PACKAGE / native.DIGEST_FILE, folder)
    return folder


def _probe(folder: pathlib.Path, pure: bool = False) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != native.PURE_SWITCH}
    env["PYTHONPATH"] = str(folder.parents[1])
    if pure:
        env[native.PURE_SWITCH] = "1"
    done = subprocess.run(  # noqa: S603 - this Python, a fixed script
        [sys.executable, "-c", PROBE],
        env=env,
        cwd=folder.parents[1],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    assert result["rows"][0] == "decision_to_assess", result  # the clock counted
    return result


def _fake_build(folder: pathlib.Path, digest: str) -> None:
    (folder / SO).write_bytes(b"not an extension module")
    (folder / native.DIGEST_FILE).write_text(digest + "\n", encoding="ascii")


def test_without_a_build_engine_py_runs_and_nothing_is_said(tmp_path: pathlib.Path) -> None:
    folder = _copy(tmp_path)
    result = _probe(folder)
    assert result == {**result, "build": "python", "warnings": []}
    assert result["file"] == str(folder / "engine.py")


def test_a_stale_build_is_not_opened_engine_py_runs_with_one_warning(
    tmp_path: pathlib.Path,
) -> None:
    folder = _copy(tmp_path)
    _fake_build(folder, native.source_digest(folder))
    with (folder / "engine.py").open("a", encoding="utf-8") as f:
        f.write("# edited since the build\n")
    result = _probe(folder)
    assert result["build"] == "python" and result["file"] == str(folder / "engine.py")
    [warning] = result["warnings"]
    assert f"{SO} was built from other sources" in warning and "make setup" in warning


def test_an_edit_to_a_module_the_build_read_makes_it_stale(tmp_path: pathlib.Path) -> None:
    folder = _copy(tmp_path)
    before = native.source_digest(folder)
    for name in native.SOURCES:
        path = folder / name
        text = path.read_bytes()
        path.write_bytes(text + b"\n")
        assert native.source_digest(folder) != before, name
        path.write_bytes(text)
    assert native.source_digest(folder) == before


def test_a_build_without_its_digest_is_stale(tmp_path: pathlib.Path) -> None:
    folder = _copy(tmp_path)
    _fake_build(folder, native.source_digest(folder))
    (folder / native.DIGEST_FILE).unlink()
    result = _probe(folder)
    assert result["build"] == "python" and len(result["warnings"]) == 1


def test_a_current_build_that_does_not_load_gives_way_to_engine_py(
    tmp_path: pathlib.Path,
) -> None:
    folder = _copy(tmp_path)
    _fake_build(folder, native.source_digest(folder))
    result = _probe(folder)
    assert result["build"] == "python" and result["file"] == str(folder / "engine.py")
    [warning] = result["warnings"]
    assert f"{SO} does not load" in warning


def test_the_switch_runs_engine_py_without_a_word(tmp_path: pathlib.Path) -> None:
    folder = _copy(tmp_path)
    _fake_build(folder, native.source_digest(folder))
    result = _probe(folder, pure=True)
    assert result == {**result, "build": "python", "warnings": []}


def test_the_build_says_which_engine_this_process_runs() -> None:
    assert statutory.ENGINE_BUILD == native.build_of(statutory.engine)
    assert statutory.engine.__file__ is not None
    assert statutory.engine.__file__.endswith(".py") == (statutory.ENGINE_BUILD == "python")


@pytest.mark.skipif(
    native.compiled_engine(native.PACKAGE) is None or not native.built_from_sources(native.PACKAGE),
    reason="there is no current compiled build of the engine (make native-clock)",
)
def test_the_real_build_runs_until_engine_py_is_edited(tmp_path: pathlib.Path) -> None:
    folder = _copy(tmp_path, real_build=True)
    result = _probe(folder)
    assert result["build"] == "compiled" and result["warnings"] == []
    assert result["file"].startswith(str(folder))
    assert _probe(folder, pure=True)["build"] == "python"
    with (folder / "engine.py").open("a", encoding="utf-8") as f:
        f.write("# edited since the build\n")
    result = _probe(folder)
    assert result["build"] == "python" and len(result["warnings"]) == 1
