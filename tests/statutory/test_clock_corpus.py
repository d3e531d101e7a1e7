"""bench/clock_corpus.py, the before/after comparison of the clock, runs and can fail; and the
clock's whole output on 5,000 fixed histories is pinned by one digest.

A change made for speed must leave every deadline, date, status and explanation as it was,
byte for byte: test_the_clock_says_exactly_what_it_said fails if any of them moves. A change
that means to alter what the clock says (a new rule, new wording) updates FINGERPRINT here, in
the same commit, with the figure `.venv/bin/python bench/clock_corpus.py fingerprint` prints,
and says why. For a larger corpus (a whole demo council as well), compare before and after
with the `write`, `run` and `compare` steps of bench/clock_corpus.py.
"""

from __future__ import annotations

import importlib.util
import json
import os
import pathlib
import random
import subprocess
import sys
from types import ModuleType

import pytest

from sendcase import statutory
from sendcase.statutory import native

BENCH = pathlib.Path(__file__).resolve().parents[2] / "bench"


def _corpus_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("clock_corpus", BENCH / "clock_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["clock_corpus"] = module
    spec.loader.exec_module(module)
    return module


def test_the_comparison_finds_no_difference_and_then_one(tmp_path: pathlib.Path) -> None:
    cc = _corpus_module()
    rng = random.Random(7)  # noqa: S311 - test data
    corpus = tmp_path / "corpus.jsonl"
    docs = [cc.random_doc(rng) for _ in range(300)]
    corpus.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    before, after = tmp_path / "before.jsonl", tmp_path / "after.jsonl"
    cc.run(corpus, before)
    cc.run(corpus, after)
    assert cc.compare(before, after) == 0
    lines = after.read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if json.loads(line).get("deadlines"))
    changed = json.loads(lines[n])
    changed["deadlines"][0]["explanation"] += " (changed)"
    lines[n] = json.dumps(changed, sort_keys=True)
    after.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert cc.compare(before, after) == 1
    # the corpus covers refusals as well as deadlines
    outputs = [json.loads(line) for line in before.read_text(encoding="utf-8").splitlines()]
    assert any("refused" in o for o in outputs) and any(o.get("deadlines") for o in outputs)


FINGERPRINT = (5000, "d3fcbedb8ca92cc393696120ba2558735fc8f4d5c1b7c669a38954461a91b976")


def test_the_clock_says_exactly_what_it_said() -> None:
    cc = _corpus_module()
    assert cc.digest(cc.fingerprint_docs()) == FINGERPRINT


def test_the_other_engine_says_exactly_the_same() -> None:
    """engine.py (the reference) and its compiled build give the same fingerprint: this process
    checked the engine it runs; a second process checks the other, where there is one."""
    env = dict(os.environ)
    if statutory.ENGINE_BUILD == "compiled":
        env[native.PURE_SWITCH] = "1"
        other = "python"
    elif native.compiled_engine(native.PACKAGE) and native.built_from_sources(native.PACKAGE):
        env.pop(native.PURE_SWITCH, None)  # this process runs engine.py because it was asked to
        other = "compiled"
    else:
        pytest.skip("there is no current compiled build of the engine (make native-clock)")
    probe = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import clock_corpus as cc; "
        "from sendcase import statutory; "
        "print(json.dumps([statutory.ENGINE_BUILD, *cc.digest(cc.fingerprint_docs())]))"
    )
    done = subprocess.run(  # noqa: S603 - this Python, a fixed script
        [sys.executable, "-c", probe, str(BENCH)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    assert json.loads(done.stdout) == [other, *FINGERPRINT], done.stderr
    assert "not used" not in done.stderr  # the compiled build was current


def test_the_fingerprint_sees_a_change() -> None:
    cc = _corpus_module()
    docs = list(cc.fingerprint_docs(typical=20, randoms=0))
    before = cc.digest(iter(docs))
    docs[3]["today"] = docs[3]["events"][0]["date"]  # the day of one event: statuses move
    assert cc.digest(iter(docs)) != before
