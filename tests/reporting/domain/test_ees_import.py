"""Importing DfE's release: idempotent, all-or-nothing, clear errors."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sendcase.reporting.domain.ees_import import TABLES, ReleaseError, import_release
from sendcase.reporting.models import EESArea, EESFigure, EESRelease
from sendcase.reporting.queries import comparison_areas, need_shares, setting_shares

REAL = (
    Path(__file__).resolve().parents[2]
    / "src/sendcase/demo/data/education-health-and-care-plans_2025.zip"
)
GEO = [
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "new_la_code",
    "old_la_code",
    "la_name",
    "breakdown_topic",
    "breakdown",
]
AREAS = [
    ("National", "", "", "", "", ""),
    ("Regional", "E12000004", "East Midlands", "", "", ""),
    ("Local authority", "E12000004", "East Midlands", "E06000017", "857", "Rutland"),
    ("Local authority", "E12000004", "East Midlands", "E06000018", "892", "Nottingham"),
]


def make_zip(
    path: Path,
    value: Any = lambda table, col, i: str(10 + i),
    *,
    drop_table: str = "",
    drop_column: str = "",
    period: str = "",
) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for table, columns in TABLES.items():
            if table == drop_table:
                continue
            cols = [c for c in columns if c != drop_column]
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(GEO + cols)
            census = table in ("caseload", "sen_needs_all_plans")
            for year in (2023, 2024):
                tp = period or (f"{year}{(year + 1) % 100:02d}" if census else str(year))
                for i, (level, rcode, rname, lcode, old, lname) in enumerate(AREAS):
                    geo = [
                        tp,
                        "Calendar year",
                        level,
                        "E92000001",
                        "England",
                        rcode,
                        rname,
                        lcode,
                        old,
                        lname,
                        "All",
                        "All",
                    ]
                    writer.writerow(geo + [value(table, c, i) for c in cols])
                    # A breakdown row, which the import must skip.
                    writer.writerow(geo[:10] + ["Age", "Aged 10"] + ["999"] * len(cols))
            zf.writestr(f"data/{table}.csv", "\ufeff" + out.getvalue())
    return path


def snapshot() -> list[tuple[Any, ...]]:
    return sorted(
        EESFigure.objects.values_list(
            "table", "time_period", "area_code", "measure", "value", "release_id"
        )
    )


def test_import_keeps_the_all_rows_for_england_regions_and_councils(
    db: None, tmp_path: Path
) -> None:
    outcome = import_release(make_zip(tmp_path / "r.zip"))
    assert outcome.created and outcome.areas == 4
    assert set(EESArea.objects.values_list("code", "level")) == {
        ("E92000001", "national"),
        ("E12000004", "regional"),
        ("E06000017", "local"),
        ("E06000018", "local"),
    }
    assert EESArea.objects.get(code="E06000017").la_code == "857"
    rutland = EESFigure.objects.get(
        table="timeliness_20_week",
        time_period="2024",
        area_code="E06000017",
        measure="pc_plans_issued_within_20_weeks",
    )
    assert rutland.value == 12.0
    assert not EESFigure.objects.filter(value=999).exists()


def test_importing_twice_changes_nothing(db: None, tmp_path: Path) -> None:
    path = make_zip(tmp_path / "r.zip")
    import_release(path)
    before = (snapshot(), list(EESRelease.objects.values_list("pk", "sha256", "imported_at")))
    again = import_release(path)
    assert not again.created
    assert "nothing changed" in again.message()
    assert (
        snapshot(),
        list(EESRelease.objects.values_list("pk", "sha256", "imported_at")),
    ) == before


def test_a_newer_release_updates_figures_in_place(db: None, tmp_path: Path) -> None:
    import_release(make_zip(tmp_path / "a.zip"))
    count = EESFigure.objects.count()
    import_release(make_zip(tmp_path / "b.zip", lambda t, c, i: str(50 + i)))
    assert EESFigure.objects.count() == count
    assert set(EESFigure.objects.values_list("value", flat=True)) == {50.0, 51.0, 52.0, 53.0}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"drop_table": "requests"}, "it has no requests table"),
        (
            {"drop_column": "pc_decsion_4weeks"},
            "the annual_reviews table has no column pc_decsion_4weeks",
        ),
        ({"period": "2024/25"}, "which is not a year such as 2024"),
    ],
)
def test_a_malformed_release_writes_nothing(
    db: None, tmp_path: Path, kwargs: dict[str, str], message: str
) -> None:
    path = make_zip(tmp_path / "bad.zip", **kwargs)
    with pytest.raises(ReleaseError, match=message):
        import_release(path)
    assert (
        not EESFigure.objects.exists()
        and not EESArea.objects.exists()
        and not EESRelease.objects.exists()
    )


def test_the_command_gives_a_clear_error_for_a_file_that_is_not_a_zip(
    db: None, tmp_path: Path
) -> None:
    path = tmp_path / "notes.zip"
    path.write_text("hello")
    with pytest.raises(CommandError, match="is not a zip file DfE published"):
        call_command("ees-import", str(path))
    with pytest.raises(CommandError, match="There is no file"):
        call_command("ees-import", str(tmp_path / "missing.zip"))
    assert not EESRelease.objects.exists()


def test_the_older_2022_release_is_refused_plainly(db: None) -> None:
    older = REAL.with_name("education-health-and-care-plans_2022.zip")
    if not older.exists():
        pytest.skip("the 2022 release is not on this machine")
    with pytest.raises(CommandError, match="it has no requests, timeliness_20_week"):
        call_command("ees-import", str(older))


FIGURE = st.one_of(
    st.integers(min_value=0, max_value=10**6).map(str),
    st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda f: f"{f:.1f}"),
    st.sampled_from(["c", "x", "z", "low", ""]),
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.lists(FIGURE, min_size=4, max_size=4))
def test_every_figure_round_trips_and_suppressed_ones_become_none(
    db: None, tmp_path: Path, values: list[str]
) -> None:
    EESFigure.objects.all().delete()
    EESRelease.objects.all().delete()
    path = make_zip(tmp_path / "p.zip", lambda t, c, i: values[i])
    import_release(path)
    for i, (_level, rcode, _rn, lcode, _old, _ln) in enumerate(AREAS):
        code = lcode or rcode or "E92000001"
        got = EESFigure.objects.get(
            table="newplans", time_period="2024", area_code=code, measure="new_ehc_plans"
        ).value
        expected = None if values[i] in ("c", "x", "z", "low", "") else float(values[i])
        assert got == expected


@pytest.mark.skipif(not REAL.exists(), reason="DfE's 2025 release is not on this machine")
def test_the_real_2025_release(db: None, settings: Any, head: Any) -> None:
    outcome = import_release(REAL)
    assert outcome.areas > 150
    england = EESFigure.objects.get(
        table="timeliness_20_week",
        time_period="2024",
        area_code="E92000001",
        measure="pc_plans_issued_within_20_weeks",
    )
    assert england.value == 45.9  # DfE: 45.9% of plans issued in 2024 within 20 weeks
    assert (
        EESFigure.objects.get(
            table="caseload", time_period="202425", area_code="E92000001", measure="ehcplans"
        ).value
        == 638745
    )
    assert (
        EESFigure.objects.get(
            table="annual_reviews",
            time_period="2024",
            area_code="E92000001",
            measure="pc_decsion_4weeks",
        ).value
        == 44.4
    )
    settings.SENDCASE_LA_CODE = "857"
    areas = comparison_areas(head)
    assert [a.name for a in areas] == ["England", "East Midlands", "Rutland"]
    needs = need_shares(["E92000001"], 2024)["E92000001"]
    assert needs["ASD"] == 31.5
    shares = setting_shares(["E92000001"], 2024)["E92000001"]
    assert abs(sum(v for v in shares.values() if v is not None) - 100) < 0.5
