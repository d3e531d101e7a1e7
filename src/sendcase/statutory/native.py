"""Which engine runs the clock: engine.py itself, or its optional compiled build (mypyc).

`make setup` compiles engine.py with mypyc into extension modules beside it (engine.*.so,
engine__mypyc.*.so) and records, in engine.digest, a digest of the sources it compiled. Python
would load an extension module in preference to engine.py, so an engine.py edited since the
build would silently run the old code. So this module, imported first by the package's
__init__ (before anything imports the engine), sets ENGINE_BUILD by `choose_engine`: that
takes the compiled build only when the recorded digest is that of the sources on disk, and
otherwise loads engine.py explicitly and warns once.

SENDCASE_PURE_CLOCK=1 in the environment always runs engine.py. The pure-Python engine is the
reference: the compiled build must give the same output, byte for byte (tests/statutory/
test_clock_corpus.py checks both).

Run as a script (`python -P native.py FOLDER`), it prints the digest of FOLDER's sources; the
build (scripts/build-native-clock.sh) records it that way, so both sides count alike.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.machinery
import importlib.util
import os
import sys
import warnings
from pathlib import Path
from types import ModuleType
from typing import Literal

EngineBuild = Literal["compiled", "python"]

ENGINE = "sendcase.statutory.engine"
PACKAGE = Path(__file__).resolve().parent
# engine.py and the modules mypyc reads for the types it compiles against: an edit to any of
# them makes the build stale.
SOURCES = ("engine.py", "dates.py", "events.py", "rules.py")
DIGEST_FILE = "engine.digest"
PURE_SWITCH = "SENDCASE_PURE_CLOCK"


class StaleEngineWarning(UserWarning):
    """The compiled engine is not used: it was built from other sources, or does not load."""


def source_digest(folder: Path) -> str:
    """The SHA-256 of the sources the compiled engine is built from, names and contents."""
    h = hashlib.sha256()
    for name in SOURCES:
        data = (folder / name).read_bytes()
        h.update(f"{name} {len(data)}\n".encode())
        h.update(data)
    return h.hexdigest()


def compiled_engine(folder: Path) -> Path | None:
    """The compiled engine in `folder` that this Python would import, if there is one."""
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = folder / f"engine{suffix}"
        if path.is_file():
            return path
    return None


def build_of(module: ModuleType) -> EngineBuild:
    """Which build a loaded engine module is: "python" if loaded from a .py file, else
    "compiled" (an extension module)."""
    return "python" if str(getattr(module, "__file__", "")).endswith(".py") else "compiled"


def _load_source(folder: Path) -> ModuleType:
    """Load engine.py itself as the engine module, whatever else lies beside it."""
    path = folder / "engine.py"
    loader = importlib.machinery.SourceFileLoader(ENGINE, str(path))
    spec = importlib.util.spec_from_file_location(ENGINE, path, loader=loader)
    assert spec is not None  # noqa: S101 - a file location always gives a spec
    module = importlib.util.module_from_spec(spec)
    sys.modules[ENGINE] = module
    try:
        loader.exec_module(module)
    except BaseException:
        del sys.modules[ENGINE]
        raise
    return module


def _stale(message: str) -> None:
    warnings.warn(
        f"The compiled statutory clock is not used: {message}. The pure-Python engine "
        "(engine.py) runs instead; `make setup` rebuilds the compiled one.",
        StaleEngineWarning,
        stacklevel=4,
    )


def built_from_sources(folder: Path) -> bool:
    """Whether the digest recorded by the build is that of the sources now in `folder`."""
    digest = folder / DIGEST_FILE
    recorded = digest.read_text(encoding="ascii").strip() if digest.is_file() else ""
    return recorded == source_digest(folder)


def _choose(folder: Path) -> ModuleType:
    so = compiled_engine(folder)
    if so is None or os.environ.get(PURE_SWITCH, "") not in ("", "0"):
        return _load_source(folder)
    if not built_from_sources(folder):
        _stale(f"{so.name} was built from other sources than the {', '.join(SOURCES)} now there")
        return _load_source(folder)
    try:
        module = importlib.import_module(ENGINE)
    except ImportError as exc:
        _stale(f"{so.name} does not load ({exc})")
        return _load_source(folder)
    return module


def choose_engine() -> EngineBuild:
    """Load the engine module that is to run (once per process) and say which it is."""
    module = sys.modules.get(ENGINE)
    if module is None:
        module = _choose(PACKAGE)
        package = sys.modules.get(ENGINE.rpartition(".")[0])
        if package is not None:
            setattr(package, "engine", module)  # noqa: B010 - as an import would bind it
    return build_of(module)


if __name__ == "__main__":
    print(source_digest(Path(sys.argv[1])))
else:
    ENGINE_BUILD: EngineBuild = choose_engine()
