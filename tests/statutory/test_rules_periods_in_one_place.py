"""Every statutory period is counted by the rules table (statutory/rules.py), nowhere else.

An AST scan of src/ for a period written as a literal number outside the rules table and the
date arithmetic it uses (statutory/dates.py):
  * a call to a month, week or working-day counter with a literal count
    (add_months(x, 12), add_weeks(x, 6), add_working_days(x, 15), _weeks(20), ...);
  * timedelta(weeks=N) with a literal N;
  * timedelta(days=N) where N is the length in days of a period in the table (42, 140, 15, ...);
  * date(year, month, day) on a fixed date of the table (15 February, 31 March);
  * a constant whose name has DAYS, WEEKS or MONTHS as a word (WEEKS_TO_ISSUE, NOTICE_DAYS)
    set to a literal number;
  * timedelta(weeks=NAME), or timedelta(days=NAME) on a statutory length, where NAME is a
    constant of the module set to a literal number (a period restated under another name).
Each exception below says why it is not a statutory period. Ask the table instead:
rules.period_end(key, trigger), rules.period(key).words, rules.length_days(key).
"""

from __future__ import annotations

import ast
import pathlib
import re

from sendcase.statutory.rules import DEADLINE_RULES, PARTS, STAGES

SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "sendcase"
HOME = {"statutory/rules.py", "statutory/dates.py"}

# (file under src/sendcase, the line as written) -> why it is not a statutory period
ALLOWED: dict[tuple[str, str], str] = {
    ("finance/actions.py", "MAX_WEEKS = 52"): "the weeks in a year a fee can be paid for",
    (
        "finance/costing.py",
        "FULL_YEAR_WEEKS = 52",
    ): "a weekly fee with no weeks given is paid all year: money, not a statutory period",
    (
        "finance/costing.py",
        "return dt.date(year + 1, 3, 31)",
    ): "the last day of a financial year (1 April to 31 March): not a statutory period",
    (
        "reporting/queries.py",
        "return first_thursday + dt.timedelta(days=14)",
    ): "the SEN2 census day is the third Thursday of January: a calendar rule, not a period",
    (
        "casework/queries.py",
        "DEFAULT_WARNING_DAYS = 14",
    ): "how early the queue warns of a deadline: the council's setting, not a statutory period",
    (
        "casework/domain/contacts.py",
        "DEFAULT_RESPONSE_WORKING_DAYS = 10",
    ): "the council's own reply time for a logged contact (a setting), not a statutory period",
    (
        "demo/generator.py",
        "self.flow_start = max(add_months(self.start, -12), EHC_START)",
    ): "the demo's simulation starts requests a year early: not a statutory period",
    (
        "demo/generator.py",
        "s.not_issued = max(s.not_issued, s.dta + dt.timedelta(days=28))",
    ): "the demo's simulation leaves 4 weeks between deciding to assess and not to issue",
    (
        "demo/generator.py",
        "if candidate > start + dt.timedelta(days=30):",
    ): "the demo's simulation: a cease review at least a month into the plan",
    (
        "demo/generator.py",
        "earliest = latest - dt.timedelta(days=30)",
    ): "the demo's simulation: a legacy plan's earliest issue date",
    # casework/scenarios.py builds worked example cases for tests and screenshots: how far
    # along each step is, not a statutory period
    (
        "casework/scenarios.py",
        "decided = min(received + dt.timedelta(weeks=4), today)",
    ): "a worked scenario: decided 4 weeks after the request",
    (
        "casework/scenarios.py",
        "received_on=min(asked + dt.timedelta(weeks=5), today),",
    ): "a worked scenario: advice back after 5 weeks",
    (
        "casework/scenarios.py",
        "min(received + dt.timedelta(weeks=16), today - dt.timedelta(weeks=2)), decided",
    ): "a worked scenario: the draft 16 weeks after the request, or 2 weeks ago if sooner",
    (
        "casework/scenarios.py",
        "meeting: dt.date = min(issued + dt.timedelta(weeks=50), today)",
    ): "a worked scenario: the review meeting 50 weeks after the plan",
    (
        "casework/scenarios.py",
        "decided_on=min(meeting + dt.timedelta(weeks=2), today),",
    ): "a worked scenario: the review decided 2 weeks after the meeting",
}

_CONSTANT = re.compile(r"(^|_)(DAYS|WEEKS|MONTHS)(_|$)")
_COUNTER = re.compile(r"(month|week|working_day|days_inclusive)", re.IGNORECASE)


def _int(node: ast.AST) -> int | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _int(node.operand)
        return None if inner is None else -inner
    return None


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def statutory_day_counts() -> set[int]:
    """The lengths in days of the table's periods (weeks x 7, days, calendar days)."""
    counts: set[int] = set()
    periods = [r.period for r in DEADLINE_RULES.values()] + list(PARTS.values())
    for p in periods:
        if p.length is None or p.length < 2:
            continue
        if p.unit in ("weeks", "weeks_before"):
            counts.add(7 * p.length)
        elif p.unit == "days":
            counts |= {p.length, p.length - 1}
        elif p.unit == "calendar_days":
            counts.add(p.length)
    counts |= {7 * weeks for stages in STAGES.values() for _s, weeks, _w in stages if weeks > 1}
    return counts


def fixed_dates() -> set[tuple[int, int]]:
    return {r.fixed for r in DEADLINE_RULES.values() if r.fixed is not None}


def literal_periods(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, what) for every period written as a literal in this module."""
    days, fixed = statutory_day_counts(), fixed_dates()
    found: list[tuple[int, str]] = []
    constants: dict[str, int] = {}
    for node in ast.walk(tree):
        value = (
            _int(node.value or ast.Pass()) if isinstance(node, ast.Assign | ast.AnnAssign) else None
        )
        if value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]  # type: ignore[union-attr]
            for target in targets:
                if isinstance(target, ast.Name) and target.id.isupper():
                    constants[target.id] = value
                if _CONSTANT.search(_name(target)):
                    found.append((node.lineno, f"{_name(target)}, a period as a constant"))
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        args = [*node.args, *(k.value for k in node.keywords)]
        if _COUNTER.search(name) and any(_int(a) not in (None, 0) for a in args):
            found.append((node.lineno, f"{name}() with a literal count"))
        if name == "timedelta":
            for k in node.keywords:
                n = _int(k.value)
                if k.arg == "weeks" and n is not None:
                    found.append((node.lineno, f"timedelta(weeks={n})"))
                if k.arg == "days" and n is not None and abs(n) in days:
                    found.append((node.lineno, f"timedelta(days={n}), a statutory period"))
                named = _name(k.value) if isinstance(k.value, ast.Name) else ""
                if named in constants and (
                    k.arg == "weeks" or (k.arg == "days" and abs(constants[named]) in days)
                ):
                    found.append(
                        (node.lineno, f"timedelta({k.arg}={named}), a period as a constant")
                    )
        if name == "date" and len(node.args) == 3:
            md = (_int(node.args[1]), _int(node.args[2]))
            if md in fixed:
                found.append(
                    (node.lineno, f"date(..., {md[0]}, {md[1]}), a fixed date of the table")
                )
    return found


def scan() -> tuple[list[str], set[tuple[str, str]]]:
    offences: list[str] = []
    used: set[tuple[str, str]] = set()
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel in HOME or "/migrations/" in rel:
            continue
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for line, what in literal_periods(ast.parse(text)):
            key = (rel, lines[line - 1].strip())
            if key in ALLOWED:
                used.add(key)
            else:
                offences.append(f"src/sendcase/{rel}:{line}: {what}: {key[1]}")
    return offences, used


def test_no_literal_period_outside_the_rules_table() -> None:
    offences, used = scan()
    assert offences == [], "Ask statutory.rules (period_end, period, length_days):\n" + "\n".join(
        offences
    )
    assert set(ALLOWED) == used, f"allowed but no longer found: {set(ALLOWED) - used}"


def test_the_scan_finds_each_kind_of_literal_period() -> None:
    sample = """
import datetime as dt
due = add_months(issued_on, 12)
due = add_weeks(received, 6)
due = calendar.add_working_days(learned, 15)
limit = _weeks(20)
x = dt.timedelta(weeks=2)
y = on + dt.timedelta(days=140)
z = dt.date(year, 2, 15)
WINDOW_DAYS = 15
fine = dt.timedelta(days=1) + add_months(dob, 12 * years) + add_working_days(d, 0)
WEEKS_TO_ISSUE = 20
ISSUE = 20
due = opened + dt.timedelta(weeks=ISSUE)
NOT_A_PERIOD = 3
fine = dt.timedelta(days=NOT_A_PERIOD) + dt.timedelta(weeks=weeks_ago)
"""
    found = literal_periods(ast.parse(sample))
    assert sorted(line for line, _ in found) == [3, 4, 5, 6, 7, 8, 9, 10, 12, 14]
