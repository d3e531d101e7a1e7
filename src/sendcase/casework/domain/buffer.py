"""Buffered writes for a bulk import: the action functions run unchanged, their rows are written together.

An import of a council's history runs tens of thousands of actions in one transaction. Row by row,
each action costs a dozen round trips to the database; inside `deferred_deadlines(buffered=True)`
the rows an action creates are instead given their primary keys up front (reserved from the
table's sequence on PostgreSQL, or by moving SQLite's AUTOINCREMENT counter on, in blocks) and
kept in memory, then inserted together, table by table, when the caller
calls `flush()` or the block ends.

While a row is buffered it is the only copy: later actions in the block read and change that same
object. The helpers below are what the action functions use for that:

* `create(Model, **fields)` makes a row (buffered, or saved at once outside a buffered block);
* `save(obj, update_fields)` saves a changed row, or does nothing if it is buffered (its final
  state is what gets inserted);
* `related(parent, Model, "fk")` lists the rows of Model that point at `parent`, from the buffer
  when the parent is buffered (nothing of it is in the database yet), else from the database.

Once flushed, rows are ordinary database rows again and the helpers read them from the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from sendcase.core.bulk import Table

M = TypeVar("M", bound=Model)

RESERVE = 1000  # primary keys reserved from a PostgreSQL sequence at a time


class WriteBuffer:
    """Rows created inside a buffered block, not yet inserted."""

    def __init__(self) -> None:
        # Unflushed rows by model, in creation order; models in the order first seen, which is an
        # order parents come before children (a row can only point at a row that already exists).
        self.rows: dict[type[Model], list[Model]] = {}
        self.held: dict[tuple[type[Model], int], Model] = {}
        # (model, fk attname, parent pk) -> unflushed rows of model pointing at that parent
        self.index: dict[tuple[type[Model], str, Any], list[Model]] = defaultdict(list)
        self._free: dict[type[Model], list[int]] = {}
        self.size = 0

    # -- primary keys ----------------------------------------------------------------------

    def _allocate(self, model: type[Model]) -> int:
        free = self._free.get(model)
        if not free:
            free = self._free[model] = self._reserve(model)
        return free.pop()

    @staticmethod
    def _reserve(model: type[Model]) -> list[int]:
        """RESERVE primary keys nobody else will be given, largest first.

        PostgreSQL: taken from the table's sequence. SQLite (tables are AUTOINCREMENT): the
        table's counter in sqlite_sequence is moved on past them, inside this transaction."""
        table = model._meta.db_table
        column = str(model._meta.pk.column)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [connection.ops.quote_name(table), column, RESERVE],
                )
                return sorted((row[0] for row in cursor.fetchall()), reverse=True)
            qn = connection.ops.quote_name
            cursor.execute(f"SELECT MAX({qn(column)}) FROM {qn(table)}")  # noqa: S608 - names from the model
            largest = cursor.fetchone()[0] or 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            start = max(largest, row[0] if row else 0)
            if row:
                cursor.execute(
                    "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [start + RESERVE, table]
                )
            else:
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                    [table, start + RESERVE],
                )
        return list(range(start + RESERVE, start, -1))

    # -- rows ------------------------------------------------------------------------------

    @staticmethod
    def _keys(obj: Model) -> list[tuple[type[Model], str, Any]]:
        model = type(obj)
        keys = []
        for attname in _foreign_keys(model):
            value = getattr(obj, attname)
            if value is not None:
                keys.append((model, attname, value))
        return keys

    def add(self, obj: Model) -> Model:
        model = type(obj)
        if obj.pk is None:
            obj.pk = self._allocate(model)
        self.rows.setdefault(model, []).append(obj)
        self.held[(model, obj.pk)] = obj
        for key in self._keys(obj):
            self.index[key].append(obj)
        self.size += 1
        return obj

    def holds(self, obj: Model) -> bool:
        return (type(obj), obj.pk) in self.held

    def get(self, model: type[M], pk: Any) -> M | None:
        """The buffered row of this model with this key, if it is still waiting."""
        return self.held.get((model, pk))  # type: ignore[return-value]

    def related(self, model: type[Model], attname: str, parent_pk: Any) -> list[Model]:
        return list(self.index.get((model, attname, parent_pk), ()))

    def mark(self) -> dict[type[Model], int]:
        """Where the buffer stands, to undo back to (see rollback_to)."""
        return {model: len(rows) for model, rows in self.rows.items()}

    def rollback_to(self, mark: dict[type[Model], int]) -> None:
        """Drop the rows added since mark (the caller's savepoint was rolled back)."""
        for model, rows in self.rows.items():
            keep = mark.get(model, 0)
            for obj in reversed(rows[keep:]):
                self.held.pop((model, obj.pk), None)
                for key in self._keys(obj):
                    listed = self.index.get(key)
                    if listed and obj in listed:
                        listed.remove(obj)
                self.size -= 1
            del rows[keep:]

    def flush(self) -> None:
        """Insert every buffered row, parents first; they are ordinary rows from then on."""
        now = timezone.now()
        for model, rows in self.rows.items():
            Table(model, now).write_objects(rows)
        self.rows = {model: [] for model in self.rows}
        self.held.clear()
        self.index.clear()
        self.size = 0


@cache
def _foreign_keys(model: type[Model]) -> tuple[str, ...]:
    """The attnames of a model's foreign keys (the buffer's index is by them)."""
    return tuple(f.attname for f in model._meta.concrete_fields if f.is_relation)


_active: ContextVar[WriteBuffer | None] = ContextVar("write_buffer", default=None)


def current() -> WriteBuffer | None:
    """The enclosing buffered block's buffer, or None."""
    return _active.get()


@contextmanager
def buffering(buffer: WriteBuffer | None) -> Iterator[None]:
    """Within this block the helpers below use `buffer` (None: write at once). The import block
    (`deferred.deferred_deadlines(buffered=True)`) opens it."""
    token = _active.set(buffer)
    try:
        yield
    finally:
        _active.reset(token)


def create(model: type[M], **fields: Any) -> M:
    """A new row: buffered inside a buffered block, else inserted now."""
    buffer = current()
    if buffer is None:
        return model._default_manager.create(**fields)
    obj = model(**fields)
    buffer.add(obj)
    return obj


def add(obj: M) -> M:
    """Buffer (or insert now) a row already built."""
    buffer = current()
    if buffer is None:
        obj.save(force_insert=True)
    else:
        buffer.add(obj)
    return obj


def save(obj: Model, update_fields: list[str] | None = None) -> None:
    """Save a changed row; a buffered row is left to be inserted as it stands when flushed."""
    buffer = current()
    if buffer is not None and buffer.holds(obj):
        return
    obj.save(update_fields=update_fields)


def is_buffered(obj: Model) -> bool:
    buffer = current()
    return buffer is not None and buffer.holds(obj)


def related(parent: Model, model: type[M], fk: str) -> list[M]:
    """The rows of `model` whose foreign key `fk` points at `parent`, oldest first."""
    buffer = current()
    attname = f"{fk}_id"
    if buffer is None:
        return list(model._default_manager.filter(**{attname: parent.pk}).order_by("pk"))
    waiting: list[M] = buffer.related(model, attname, parent.pk)  # type: ignore[assignment]
    if buffer.holds(parent):  # nothing of a buffered parent is in the database yet
        return waiting
    stored = list(model._default_manager.filter(**{attname: parent.pk}).order_by("pk"))
    return stored + waiting
