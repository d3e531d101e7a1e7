"""How the domain modules depend on each other: by public names only, and the deferred import
block above the modules it uses, not tangled with them."""

from __future__ import annotations

import ast
from pathlib import Path

import sendcase

SRC = Path(sendcase.__file__).parent
DOMAIN = SRC / "casework" / "domain"
# Django's own underscored API, used on models and their managers.
DJANGO_PRIVATE = {"_meta", "_default_manager", "_base_manager"}


def _module(path: Path) -> str:
    return ".".join(path.relative_to(SRC.parent).with_suffix("").parts)


def _imports(tree: ast.AST) -> list[tuple[str, str]]:
    """(module, name) for each `from sendcase... import name`, and (module, "") for `import`."""
    found: list[tuple[str, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sendcase"):
            found.extend((node.module or "", alias.name) for alias in node.names)
        elif isinstance(node, ast.Import):
            found.extend(
                (alias.name, "") for alias in node.names if alias.name.startswith("sendcase")
            )
    return found


def test_no_module_uses_another_modules_private_names() -> None:
    offences = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        bound = set()
        for module, name in _imports(tree):
            if name.startswith("_"):
                offences.append(f"{_module(path)} imports {module}.{name}")
            bound.add(name or module.split(".")[0])
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in bound
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and node.attr not in DJANGO_PRIVATE
            ):
                offences.append(f"{_module(path)} uses {node.value.id}.{node.attr}")
    assert offences == []


def _domain_imports(name: str) -> set[str]:
    tree = ast.parse((DOMAIN / f"{name}.py").read_text())
    return {module for module, _ in _imports(tree)} | {
        f"{module}.{imported}" for module, imported in _imports(tree)
    }


def test_the_import_block_sits_above_deadlines_refresh_and_buffer() -> None:
    """deferred.py uses deadlines, refresh and buffer; none of them imports it (or the kernel)
    back, even inside a function, so there is no cycle to hide."""
    above = {"sendcase.casework.domain.deferred", "sendcase.casework.domain.kernel"}
    for name in ("deadlines", "refresh", "buffer"):
        imported = _domain_imports(name)
        assert not any(
            m in above or m.startswith(tuple(f"{a}." for a in above)) for m in imported
        ), name
        assert "sendcase.casework.domain.deferred.deferring" not in imported
    assert not any(m.startswith("sendcase.casework") for m in _domain_imports("buffer"))
    assert not any(
        m.startswith(("sendcase.casework.domain.refresh", "sendcase.casework.domain.buffer"))
        for m in _domain_imports("deadlines")
    )
    uses = _domain_imports("deferred")
    for name in ("deadlines", "refresh", "buffer"):
        assert f"sendcase.casework.domain.{name}" in uses


def test_every_action_module_says_what_its_actions_do() -> None:
    """Each part of the law's module lists, in its docstring, every action it defines."""
    for name in (
        "assessment",
        "plan",
        "reviews",
        "phase_and_cease",
        "transfers",
        "appeals",
        "children",
        "contacts",
        "placements",
        "assignment",
        "tasks",
    ):
        tree = ast.parse((DOMAIN / f"{name}.py").read_text())
        doc = ast.get_docstring(tree) or ""
        actions = [
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef)
            and any(
                isinstance(d, ast.Attribute) and d.attr == "action" for d in node.decorator_list
            )
        ]
        assert actions, name
        missing = [a for a in actions if f"`{a}`" not in doc]
        assert missing == [], name
