"""Statistical disclosure control: no FOI answer shows a count under 5, directly or by
subtraction. An independent attacker (integer programming, scipy's HiGHS) takes what is
published and what a reader knows, and solves for each hidden cell's least and greatest
possible value: if they are equal, the cell has been worked out."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from sendcase.information.disclosure import FEWER, HIDDEN, PRIMARY, THRESHOLD, protect


def _attack(table) -> dict[tuple[int, int], tuple[int, int]]:
    """For each hidden cell of the grid (rows then the totals row; the totals column last),
    the least and greatest value consistent with the published table."""
    grid = table.grid()
    r, c = len(grid) - 1, len(grid[0]) - 1
    hidden = [(i, j) for i in range(r + 1) for j in range(c + 1) if grid[i][j].suppressed]
    index = {p: k for k, p in enumerate(hidden)}
    n = len(hidden)
    lines: list[list[tuple[int, int]]] = [
        [(i, j) for j in range(c)] + [(i, c)] for i in range(r + 1)
    ]
    lines += [[(i, j) for i in range(r)] + [(r, j)] for j in range(c + 1)]
    a_rows, rhs = [], []
    for line in lines:
        coef = np.zeros(n)
        known = 0
        *parts, total = line
        for p, sign in [*((q, 1) for q in parts), (total, -1)]:
            cell = grid[p[0]][p[1]]
            if cell.suppressed:
                coef[index[p]] += sign
            else:
                known += sign * cell.value
        if coef.any():
            a_rows.append(coef)
            rhs.append(-known)
    lo = np.array([0 if grid[i][j].suppressed == PRIMARY else THRESHOLD for i, j in hidden])
    hi = np.array(
        [THRESHOLD - 1 if grid[i][j].suppressed == PRIMARY else np.inf for i, j in hidden]
    )
    cons = [LinearConstraint(np.array(a_rows), rhs, rhs)] if a_rows else []
    out = {}
    for k, p in enumerate(hidden):
        bounds = []
        for sense in (1, -1):
            obj = np.zeros(n)
            obj[k] = sense
            res = milp(obj, constraints=cons, integrality=np.ones(n), bounds=Bounds(lo, hi))
            if not res.success:
                # The true table is always a solution, so the only failure is a maximum
                # without bound: the cell can be as large as anyone likes.
                assert sense == -1, res.message
                bounds.append(10**9)
                continue
            bounds.append(round(sense * res.fun))
        out[p] = (bounds[0], bounds[1])
    return out


tables = st.integers(1, 4).flatmap(
    lambda rows: st.integers(1, 4).flatmap(
        lambda cols: st.lists(
            st.lists(
                st.one_of(st.integers(0, 6), st.integers(0, 60)), min_size=cols, max_size=cols
            ),
            min_size=rows,
            max_size=rows,
        )
    )
)


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_hidden_cell_can_be_worked_out(values: list[list[int]]) -> None:
    table = protect(values)
    for cell in table.all_cells():
        if cell.value < THRESHOLD:
            assert cell.suppressed, "a count under 5 is shown"
        if cell.suppressed:
            assert cell.shown in (FEWER, HIDDEN)
        else:
            assert cell.shown == f"{cell.value:,}"
    for (i, j), (least, most) in _attack(table).items():
        actual = table.grid()[i][j].value
        assert least <= actual <= most
        assert least < most, f"cell {(i, j)} = {actual} can be worked out from {values}"


@settings(max_examples=100, deadline=None)
@given(tables)
def test_the_totals_add_up(values: list[list[int]]) -> None:
    table = protect(values)
    assert [c.value for c in table.row_totals] == [sum(row) for row in values]
    assert [c.value for c in table.column_totals] == [sum(col) for col in zip(*values, strict=True)]
    assert table.total.value == sum(map(sum, values))


def test_a_lone_small_cell_is_protected_by_a_rectangle() -> None:
    table = protect([[3, 20, 30], [40, 50, 60], [70, 80, 90]])
    hidden = [
        (i, j) for i, row in enumerate(table.grid()) for j, c in enumerate(row) if c.suppressed
    ]
    assert table.cells[0][0].shown == FEWER
    # the small cell, and three others that make a rectangle with it; no totals
    assert len(hidden) == 4
    assert table.total.shown == f"{3 + 20 + 30 + 40 + 50 + 60 + 70 + 80 + 90:,}"
    assert all(not c.suppressed for c in table.row_totals + table.column_totals)


def test_a_table_with_no_small_counts_is_shown_whole() -> None:
    table = protect([[10, 20], [30, 40]], ["a", "b"], ["x", "y"])
    assert not any(c.suppressed for c in table.all_cells())
    assert table.row_labels == ("a", "b")


def test_a_table_whose_total_would_give_zeros_away() -> None:
    """Found by hypothesis: 43 in one cell and zeros elsewhere; the maximum of a hidden cell is
    unbounded for the attacker, which is safe."""
    table = protect([[43, 0], [0, 0]])
    assert table.cells[0][1].shown == FEWER
    assert all(least < most for least, most in _attack(table).values())


@pytest.mark.parametrize("bad", [[], [[]], [[1, 2], [3]], [[-1]]])
def test_bad_tables_are_refused(bad: list[list[int]]) -> None:
    with pytest.raises(ValueError, match="."):
        protect(bad)
