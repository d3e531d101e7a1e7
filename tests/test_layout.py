"""tests/ mirrors src/sendcase/ (issue 10, item 6), so the tests of a module are found beside its path.

The rule: `tests/<path>/test_<name>.py` tests `src/sendcase/<path>/<module>.py`, where <name> is
the module's name, or the module's name, an underscore and a topic:

    src/sendcase/casework/domain/plan.py        tests/casework/domain/test_plan.py
    src/sendcase/casework/views.py              tests/casework/test_views_person.py (the person pages)
    src/sendcase/demo/management/commands/demo-sign-in.py
                                                tests/demo/management/commands/test_demo_sign_in.py
    src/sendcase/casework/migrations/0009_contacts_never_asked.py
                                                tests/casework/migrations/test_0009_contacts_never_asked.py

A command's hyphens read as underscores. A module may have several test modules; a test module that
tests several source modules sits with the one it tests most (never split one to fit the rule).
conftest.py and helper modules (anything not named test_*.py) may sit in any folder of tests/.

A few test modules test no one module: they are in NOT_MIRRORED, each with its reason. Keep it short.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

import sendcase

SRC = Path(sendcase.__file__).parent
TESTS = Path(__file__).parent

# Test modules (or, ending in "/", folders) that mirror no one source module, and why.
NOT_MIRRORED: dict[str, str] = {
    "browser/": "real Chromium walks pages across every app (test_browser_<area>.py)",
    "test_layout.py": "this rule itself",
    "casework/domain/test_module_layout.py": "the import graph of the whole domain package",
    "core/test_backup_drill.py": "the backup drill of docs/operations.md, over every table",
    "inspection/test_access_matrix.py": "one access matrix over the information and inspection pages",
    "returns/test_sen2_agrees_with_report.py": "the SEN2 return agrees with the report (two apps)",
    "statutory/test_clock_corpus.py": "tests bench/clock_corpus.py, which is not in src/",
}


def _names(folder: Path) -> set[str]:
    """The module and package names in a source folder, a command's hyphens as underscores."""
    if not folder.is_dir():
        return set()
    names = {p.stem.replace("-", "_") for p in folder.glob("*.py") if p.stem != "__init__"}
    names |= {p.name for p in folder.iterdir() if (p / "__init__.py").is_file()}
    return names


def source_module(test: str) -> str | None:
    """The source module (a path under src/sendcase/) that the test module `test` mirrors, if any.

    `test` is a path under tests/, with "/" between folders. The longest matching name wins, so
    test_plan_editor.py mirrors plan_editor.py, not plan.py."""
    *folders, filename = test.split("/")
    name = filename.removeprefix("test_").removesuffix(".py")
    folder = SRC.joinpath(*folders)
    matches = [m for m in _names(folder) if name == m or name.startswith(m + "_")]
    if not matches:
        return None
    return "/".join([*folders, max(matches, key=len)])


def allowed(test: str) -> bool:
    return any(
        test == entry or (entry.endswith("/") and test.startswith(entry)) for entry in NOT_MIRRORED
    )


def _uses(text: str) -> Counter[str]:
    """What a test module uses of each sendcase module (a path under src/sendcase/): a point per
    name imported, per `reverse("app:page")` (the app's views) and per `call_command("name")`."""
    counts: Counter[str] = Counter()
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return counts
    commands = {p.stem: p for p in SRC.glob("*/management/commands/*.py")}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sendcase."):
            module = (node.module or "").removeprefix("sendcase.").replace(".", "/")
            counts[module] += len(node.names)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            called, first = ast.unparse(node.func), node.args[0].value
            if not isinstance(first, str):
                continue
            if called.endswith("reverse") and re.fullmatch(r"[a-z_]+:[a-z0-9_-]+", first):
                counts[f"{first.split(':')[0]}/views"] += 1
            elif called.endswith("call_command") and first in commands:
                counts[commands[first].relative_to(SRC).with_suffix("").as_posix()] += 3
    return counts


def where_it_should_go(test: str, text: str | None = None) -> str:
    """A path for a test module that mirrors nothing, keeping its name (less the app's) as the topic:
    beside the module its name already names, else the module its first word begins, else beside the module of its app it uses most,
    else beside its app's views. An old folder such as casework_domain/ reads as casework/domain/."""
    *folders, filename = test.split("/")
    guess = "/".join(folders)
    if not (SRC / guess).is_dir():
        guess = guess.replace("_", "/")
    while guess and not (SRC / guess).is_dir():
        guess = guess.rpartition("/")[0]
    app = guess.split("/")[0]
    topic = filename.removeprefix("test_").removesuffix(".py")
    topic = topic.removeprefix(f"{app}_") if topic != app else ""
    for folder in dict.fromkeys([guess, app]):
        if topic and source_module(f"{folder}/test_{topic}.py"):
            return f"tests/{folder}/test_{topic}.py" if folder else f"tests/test_{topic}.py"
    first, _, rest = topic.partition("_")
    for folder in dict.fromkeys([guess, app]):
        # test_correct_every_step.py -> test_correction_routes_every_step.py (the first, in order,
        # of the modules whose names begin "correct")
        alike = sorted(m for m in _names(SRC / folder) if len(first) >= 4 and m.startswith(first))
        if alike:
            name = f"{alike[0]}_{rest}" if rest else alike[0]
            return f"tests/{folder}/test_{name}.py" if folder else f"tests/test_{name}.py"
    if text is None:
        text = (TESTS / test).read_text(encoding="utf-8")
    ignore = {"models", "scenarios", "apps", "urls", "admin", "errors"}
    ranked = [
        m
        for m, _ in _uses(text).most_common()
        if m.startswith(f"{guess}/")
        and m.split("/")[-1] not in ignore
        and not m.endswith("testing")
        and (SRC / f"{m}.py").is_file()
    ]
    views = f"{app}/views" if (SRC / app / "views.py").is_file() else f"{guess}/<module>"
    module = ranked[0] if ranked else views
    *where, stem = module.split("/")
    stem = stem.replace("-", "_")
    if topic == stem or topic.startswith(stem + "_"):
        name = topic
    else:
        name = f"{stem}_{topic}" if topic else stem
    return "/".join(["tests", *where, f"test_{name}.py"])


def _test_modules() -> list[str]:
    return sorted(
        p.relative_to(TESTS).as_posix()
        for p in TESTS.rglob("test_*.py")
        if "__pycache__" not in p.parts
    )


def test_every_test_module_mirrors_a_source_module() -> None:
    lost = [t for t in _test_modules() if not allowed(t) and source_module(t) is None]
    advice = [
        f"tests/{t} mirrors no module of src/sendcase/{t.rsplit('/', 1)[0] if '/' in t else ''}:"
        f" move it (git mv) to tests/<path>/test_<module>[_<topic>].py beside the module it"
        f" tests, probably {where_it_should_go(t)}; or, if it tests no one module, add it to"
        f" NOT_MIRRORED in tests/test_layout.py with the reason"
        for t in lost
    ]
    assert not advice, "\n".join(
        ["tests/ must mirror src/sendcase/ (see tests/test_layout.py):"] + advice
    )


def test_every_exception_still_exists() -> None:
    stale = [entry for entry in NOT_MIRRORED if not (TESTS / entry).exists()]
    assert not stale, f"NOT_MIRRORED names test modules that are gone: {stale}"


@pytest.mark.parametrize(
    ("test", "module"),
    [
        pytest.param("casework/domain/test_plan.py", "casework/domain/plan", id="same name"),
        pytest.param("casework/test_views_person.py", "casework/views", id="module and topic"),
        pytest.param("casework/test_plan_views.py", "casework/plan_views", id="longest name wins"),
        pytest.param(
            "demo/management/commands/test_demo_sign_in.py",
            "demo/management/commands/demo_sign_in",
            id="command with hyphens",
        ),
        pytest.param(
            "casework/migrations/test_0009_contacts_never_asked.py",
            "casework/migrations/0009_contacts_never_asked",
            id="migration",
        ),
        pytest.param("test_settings_sqlite_path.py", "settings", id="top level"),
        pytest.param("casework_domain/test_corrections.py", None, id="no such source folder"),
        pytest.param("casework/test_casework_rules.py", None, id="app name as prefix"),
        pytest.param("casework/test_planning.py", None, id="a prefix without underscore"),
    ],
)
def test_the_rule(test: str, module: str | None) -> None:
    assert source_module(test) == module


def test_the_advice_names_the_mirrored_place() -> None:
    """Where a test module added in an old place today would go: beside what it imports most."""
    text = "from sendcase.casework.domain.buffer import flush\nfrom sendcase.casework.models import Case\n"
    assert where_it_should_go("casework_domain/test_buffer.py", text) == (
        "tests/casework/domain/test_buffer.py"
    )
    assert where_it_should_go("casework_domain/test_write_buffer.py", text) == (
        "tests/casework/domain/test_buffer_write_buffer.py"
    )
    pages = 'reverse("casework:case-detail")\nreverse("casework:queue")\n'
    assert where_it_should_go("casework/test_casework_known_child.py", pages) == (
        "tests/casework/test_views_known_child.py"
    )
    assert where_it_should_go("portal/test_portal_work_access.py", "") == (
        "tests/portal/test_work_access.py"
    )
    # "correct" begins corrections.py and correction_routes.py: the advice names one of them.
    assert where_it_should_go("casework_domain/test_correct_every_step.py", "") == (
        "tests/casework/domain/test_correction_routes_every_step.py"
    )
    commands = "from sendcase.demo.management.commands.demo import Command\n"
    assert where_it_should_go("demo/test_demo_command.py", commands) == (
        "tests/demo/management/commands/test_demo_command.py"
    )
