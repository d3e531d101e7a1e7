"""`sendcase gias-import`: the register from a GIAS download with DfE's columns and encoding."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sendcase.casework.scenarios import build_case
from sendcase.core.actors import SystemActor
from sendcase.core.codes import SettingType
from sendcase.core.models import AuditEntry
from sendcase.finance.gias import GiasError, import_gias
from sendcase.finance.testing import HEADER, Row, write_gias_file
from sendcase.placements.models import Placement, Setting

FIXTURE = Path(__file__).parent / "data" / "gias_establishments.csv"
ACTOR = SystemActor("test")

pytestmark = pytest.mark.django_db


def _register() -> list[tuple[Any, ...]]:
    return list(
        Setting.objects.order_by("urn").values_list(
            "urn", "name", "kind", "phase", "status", "la_code", "postcode", "ukprn",
            "opened_on", "closed_on", "placeholder",
        )
    )  # fmt: skip


@pytest.fixture
def register(officer: Any) -> dict[str, Any]:
    """A placeholder an SEN2 import added (with a placement), a setting with an old name, a
    setting GIAS says has closed (with a placement still open), and one GIAS does not list."""
    placeholder = Setting.objects.create(
        name="Setting with URN 100003 (not in the register)",
        urn="100003",
        kind=Setting.Kind.MAINTAINED_MAINSTREAM,
        phase="all_through",
        placeholder=True,
    )
    renamed = Setting.objects.create(
        name="St Marys Primary", urn="100001", kind=Setting.Kind.MAINTAINED_MAINSTREAM,
        phase="primary", la_code="999",
    )  # fmt: skip
    closed = Setting.objects.create(
        name="Old Mill Junior School", urn="100004", kind=Setting.Kind.MAINTAINED_MAINSTREAM,
        phase="primary", la_code="999",
    )  # fmt: skip
    Setting.objects.create(
        name="A setting GIAS does not list", urn="999999", kind=Setting.Kind.ACADEMY,
        phase="primary",
    )  # fmt: skip
    placements = {}
    for name, setting in (("placeholder", placeholder), ("closed", closed)):
        case = build_case(stage="plan", officer=officer, weeks_ago=40)
        placements[name] = Placement.objects.create(
            plan=case.plan,
            setting=setting,
            entry_date=dt.date(2024, 9, 1),
            setting_type=SettingType.OTHER,
        )
    return {"placeholder": placeholder, "renamed": renamed, "placements": placements}


def test_the_fixture_is_cp1252_with_gias_columns() -> None:
    raw = FIXTURE.read_bytes()
    assert b"St Mary\x92s" in raw  # a curly apostrophe, as cp1252 writes it
    assert raw.decode("cp1252").splitlines()[0].split(",")[:5] == list(HEADER[:5])


def test_import_updates_completes_adds_and_flags(register: dict[str, Any]) -> None:
    outcome = import_gias(FIXTURE, actor=ACTOR)

    placeholder = Setting.objects.get(urn="100003")
    assert placeholder.name == "Brook Green Special School"
    assert placeholder.kind == Setting.Kind.MAINTAINED_SPECIAL
    assert placeholder.phase == "all_through"  # "Not applicable" keeps what the setting had
    assert not placeholder.placeholder
    assert placeholder.opened_on == dt.date(1980, 1, 1)
    # The placeholder's placement takes the completed setting's type.
    register["placements"]["placeholder"].refresh_from_db()
    assert register["placements"]["placeholder"].setting_type == SettingType.MAINTAINED_SPECIAL

    renamed = Setting.objects.get(urn="100001")
    assert renamed.name == "St Mary\u2019s C of E Primary School"  # read as cp1252
    assert (renamed.ukprn, renamed.postcode) == ("10012345", "AB1 1AA")

    closed = Setting.objects.get(urn="100004")
    assert (closed.status, closed.closed_on) == (Setting.Status.CLOSED, dt.date(2025, 8, 31))
    case_id = register["placements"]["closed"].plan.case_id
    assert outcome.closed_placements == [(case_id, "Old Mill Junior School", "2025-08-31")]

    added = set(Setting.objects.filter(placeholder=False).values_list("urn", flat=True))
    # Own area: every open type the register holds; elsewhere: special settings only.
    assert {"100002", "100005", "100006", "200007", "300001"} <= added
    assert {"200001", "200002", "200003"} <= added
    assert not added & {"200004", "200005", "200006"}
    assert Setting.objects.get(urn="100006").status == Setting.Status.CLOSING
    assert Setting.objects.get(urn="200003").kind == Setting.Kind.SPECIALIST_POST16
    assert Setting.objects.get(urn="200003").phase == "post_16"

    assert (len(outcome.completed), len(outcome.updated), outcome.not_in_file) == (1, 2, 1)
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.IMPORT, summary__contains="Get Information about Schools"
    ).exists()
    assert AuditEntry.objects.filter(
        object_type="placements.setting", object_id=str(placeholder.pk), action="update"
    ).exists()


def test_a_second_run_changes_nothing(register: dict[str, Any]) -> None:
    import_gias(FIXTURE, actor=ACTOR)
    before = _register()
    settings_audit = AuditEntry.objects.filter(object_type="placements.setting").count()
    again = import_gias(FIXTURE, actor=ACTOR)
    assert (again.completed, again.updated, again.added) == ([], [], [])
    assert _register() == before
    assert AuditEntry.objects.filter(object_type="placements.setting").count() == settings_audit


def test_a_dry_run_counts_the_same_and_writes_nothing(register: dict[str, Any]) -> None:
    before, audit = _register(), AuditEntry.objects.count()
    dry = import_gias(FIXTURE, actor=ACTOR, dry_run=True)
    assert (_register(), AuditEntry.objects.count()) == (before, audit)
    assert "dry run: nothing was written" in dry.message()
    real = import_gias(FIXTURE, actor=ACTOR)
    assert (dry.completed, dry.updated, dry.added) == (real.completed, real.updated, real.added)
    assert dry.closed_placements == real.closed_placements


def test_the_command_reports_in_plain_words(register: dict[str, Any]) -> None:
    out = io.StringIO()
    call_command("gias-import", str(FIXTURE), "--dry-run", stdout=out)
    assert "1 placeholder settings would be completed" in out.getvalue()
    assert "placements are at settings that have closed" in out.getvalue()
    out = io.StringIO()
    call_command("gias-import", str(FIXTURE), "--no-add", stdout=out)
    assert "0 settings were added" in out.getvalue()
    assert not Setting.objects.filter(urn="200001").exists()


@pytest.mark.parametrize(
    ("content", "says"),
    [
        pytest.param(
            "LA,Name,Type\n999,Somewhere,School\n",
            "is not a Get Information about Schools establishment download",
            id="other-columns",
        ),
        pytest.param(
            '<?xml version="1.0"?><Message><Header/></Message>\n',
            "It has no column 'URN'",
            id="an-xml-file",
        ),
        pytest.param("", "is empty", id="empty"),
    ],
)
def test_a_file_of_the_wrong_shape_is_refused(
    tmp_path: Path, register: dict[str, Any], content: str, says: str
) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text(content, encoding="cp1252")
    before, audit = _register(), AuditEntry.objects.count()
    with pytest.raises(CommandError, match=says):
        call_command("gias-import", str(path))
    assert (_register(), AuditEntry.objects.count()) == (before, audit)


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        (Row("12AB", "Bad URN School"), "Line 4: URN '12AB' is not a URN"),
        (Row("100009", "Bad Date School", opened="31/02/2020"), "OpenDate '31/02/2020'"),
        (Row("100009", "Bad Status", status="Open"), None),  # a control: this row is fine
    ],
)
def test_a_bad_row_anywhere_writes_nothing(
    tmp_path: Path, register: dict[str, Any], bad: Row, says: str | None
) -> None:
    rows = [Row("100001", "A new name"), Row("100002", "Added Academy", "Academy converter"), bad]
    path = write_gias_file(tmp_path / "bad.csv", rows)
    before = _register()
    if says is None:
        import_gias(path, actor=ACTOR)
        assert _register() != before
        return
    with pytest.raises(GiasError, match=says):
        import_gias(path, actor=ACTOR)
    assert _register() == before


def test_a_short_row_is_refused(tmp_path: Path, register: dict[str, Any]) -> None:
    path = write_gias_file(tmp_path / "short.csv", [Row("100001", "A new name")])
    with open(path, "a", encoding="cp1252") as handle:
        handle.write("100002,999\n")
    with pytest.raises(GiasError, match="Line 3 has 2 columns where the header has"):
        import_gias(path, actor=ACTOR)


NAMES = (
    st.text(
        alphabet=st.characters(
            codec="cp1252",
            blacklist_categories=("Cc", "Cs", "Zl", "Zp"),
            blacklist_characters="\r\n",
        ),
        min_size=1,
        max_size=60,
    )
    .map(str.strip)
    .filter(bool)
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(names=st.lists(NAMES, min_size=1, max_size=6))
def test_any_names_import_once_and_then_change_nothing(tmp_path: Path, names: list[str]) -> None:
    Setting.objects.all().delete()
    rows = [Row(str(400000 + i), name, "Community special school") for i, name in enumerate(names)]
    path = write_gias_file(tmp_path / "names.csv", rows)
    import_gias(path, actor=ACTOR)
    assert sorted(Setting.objects.values_list("name", flat=True)) == sorted(names)
    before = _register()
    assert import_gias(path, actor=ACTOR).updated == []
    assert _register() == before
