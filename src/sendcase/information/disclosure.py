"""Statistical disclosure control for published counts (FOI answers): pure Python.

A table of counts is published with its row totals, column totals and grand total. Every
count under the threshold (5), the totals included, is shown as "fewer than 5" (primary
suppression). Other cells are then hidden too (secondary suppression, shown as "[c]") until no
hidden cell can be worked out from what is published.

What a reader knows: every shown figure; that each line adds up to its total; that a
"fewer than 5" cell holds 0 to 4, and a "[c]" cell 5 or more (else it would say "fewer than
5"). A hidden cell is safe when another table, differing in that cell, fits all of that.

The method. Write the table with its margins as one grid in which the totals are negated,
so that every row and every column adds up to zero. Adding d to two opposite corners of a
rectangle of hidden cells and taking d from the other two keeps every line's sum, so it
gives another table that fits the published figures, provided each of the four cells stays
in the range a reader knows for it. Every hidden cell must lie on such a rectangle with a
move (d = +1 or -1) that stays in range; where one does not, the cheapest rectangle that
would (fewest totals, then the smallest counts) is hidden as well. A table where that is
impossible is withheld whole. tests/information/test_disclosure.py checks the result
against an integer-programming attacker who solves for each hidden cell's least and
greatest possible value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product

THRESHOLD = 5
FEWER = "fewer than 5"
HIDDEN = "[c]"
PRIMARY, SECONDARY = "primary", "secondary"


@dataclass(frozen=True)
class Cell:
    value: int
    suppressed: str = ""  # "", PRIMARY or SECONDARY

    @property
    def shown(self) -> str:
        if self.suppressed == PRIMARY:
            return FEWER
        if self.suppressed == SECONDARY:
            return HIDDEN
        return f"{self.value:,}"


@dataclass(frozen=True)
class ProtectedTable:
    """A table ready to publish: `cells[i][j]`, `row_totals[i]`, `column_totals[j]`, `total`."""

    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...]
    column_totals: tuple[Cell, ...]
    total: Cell
    withheld: bool = False

    def grid(self) -> list[list[Cell]]:
        """Rows with their total last, then the totals row (for templates and exports)."""
        out = [[*row, t] for row, t in zip(self.cells, self.row_totals, strict=True)]
        out.append([*self.column_totals, self.total])
        return out

    def all_cells(self) -> list[Cell]:
        return [c for row in self.grid() for c in row]


def _sign(i: int, j: int, r: int, c: int) -> int:
    """+1 for inner cells and the grand total, -1 for row and column totals."""
    return 1 if (i < r) == (j < c) else -1


def _in_range(actual: int, kind: str, threshold: int) -> bool:
    if kind == PRIMARY:
        return 0 <= actual < threshold
    return actual >= threshold


class _Grid:
    def __init__(self, values: Sequence[Sequence[int]], threshold: int) -> None:
        self.r, self.c = len(values), len(values[0])
        rows = [list(v) for v in values]
        rows = [[*row, sum(row)] for row in rows]
        rows.append([sum(col) for col in zip(*rows, strict=True)])
        self.actual = rows
        self.threshold = threshold
        self.kind = [["" for _ in row] for row in rows]
        for i, j in self.positions():
            if self.actual[i][j] < threshold:
                self.kind[i][j] = PRIMARY

    def positions(self) -> list[tuple[int, int]]:
        return list(product(range(self.r + 1), range(self.c + 1)))

    def moves(self, i: int, j: int, i2: int, j2: int) -> bool:
        """Whether a +-1 move round this rectangle (cells not yet hidden counted as [c])
        keeps all four cells in the range a reader would know for them."""
        corners = ((i, j, 1), (i, j2, -1), (i2, j, -1), (i2, j2, 1))
        for d in (1, -1):
            ok = True
            for a, b, parity in corners:
                delta = d * parity * _sign(a, b, self.r, self.c)
                kind = self.kind[a][b] or SECONDARY
                if not _in_range(self.actual[a][b] + delta, kind, self.threshold):
                    ok = False
                    break
            if ok:
                return True
        return False

    def safe(self, i: int, j: int) -> bool:
        for i2 in range(self.r + 1):
            for j2 in range(self.c + 1):
                if i2 == i or j2 == j:
                    continue
                hidden = self.kind[i][j2] and self.kind[i2][j] and self.kind[i2][j2]
                if hidden and self.moves(i, j, i2, j2):
                    return True
        return False

    def cheapest_cover(self, i: int, j: int) -> list[tuple[int, int]] | None:
        best: tuple[tuple[int, int, int], list[tuple[int, int]]] | None = None
        for i2 in range(self.r + 1):
            for j2 in range(self.c + 1):
                if i2 == i or j2 == j or not self.moves(i, j, i2, j2):
                    continue
                new = [(a, b) for a, b in ((i, j2), (i2, j), (i2, j2)) if not self.kind[a][b]]
                margins = sum(1 for a, b in new if a == self.r or b == self.c)
                cost = (margins, sum(self.actual[a][b] for a, b in new), len(new))
                if best is None or cost < best[0]:
                    best = (cost, new)
        return None if best is None else best[1]

    def protect(self) -> bool:
        """Hide cells until every hidden cell is safe; False if the table cannot be made safe."""
        while True:
            unsafe = next(
                ((i, j) for i, j in self.positions() if self.kind[i][j] and not self.safe(i, j)),
                None,
            )
            if unsafe is None:
                return True
            cover = self.cheapest_cover(*unsafe)
            if cover is None:
                return False
            for a, b in cover:
                self.kind[a][b] = SECONDARY


def protect(
    values: Sequence[Sequence[int]],
    row_labels: Sequence[str] = (),
    column_labels: Sequence[str] = (),
    *,
    threshold: int = THRESHOLD,
) -> ProtectedTable:
    """The table with its totals, every count under `threshold` and every cell that would
    give one away hidden. At least one row and one column; counts are whole and not negative."""
    if not values or not values[0] or any(len(row) != len(values[0]) for row in values):
        raise ValueError("A table needs at least one row and one column, all the same length.")
    if any(v < 0 for row in values for v in row):
        raise ValueError("Counts cannot be negative.")
    g = _Grid(values, threshold)
    withheld = not g.protect()
    if withheld:
        for i, j in g.positions():
            g.kind[i][j] = g.kind[i][j] or SECONDARY
    cells = [[Cell(g.actual[i][j], g.kind[i][j]) for j in range(g.c + 1)] for i in range(g.r + 1)]
    return ProtectedTable(
        row_labels=tuple(row_labels) or tuple(str(i + 1) for i in range(g.r)),
        column_labels=tuple(column_labels) or tuple(str(j + 1) for j in range(g.c)),
        cells=tuple(tuple(row[:-1]) for row in cells[:-1]),
        row_totals=tuple(row[-1] for row in cells[:-1]),
        column_totals=tuple(cells[-1][:-1]),
        total=cells[-1][-1],
        withheld=withheld,
    )
