"""Writing many rows at once: COPY on PostgreSQL, executemany on SQLite.

Django's bulk_create spends most of its time preparing each value; a council's history (a
million events and deadlines for the demo, a whole SEN2 return for an import) needs the
database's own bulk path. Values are converted by field type exactly as Django stores them;
fields left out take the model's defaults, and auto_now and auto_now_add fields take the
writer's timestamp. No model's save() runs (there are no signals on these tables).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model

Row = dict[str, Any]


class Table:
    """Raw inserts for one model."""

    def __init__(self, model: type[Model], now: dt.datetime) -> None:
        self.model = model
        fields = [f for f in model._meta.concrete_fields]
        self.fields = fields
        self.names = [f.attname for f in fields]
        self.defaults: list[Any] = []
        self.stamped: list[bool] = []
        for f in fields:
            stamped = bool(getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False))
            self.stamped.append(stamped)
            if stamped:
                self.defaults.append(now)
            elif f.primary_key:
                self.defaults.append(None)
            else:
                self.defaults.append(f.get_default())
        self.kinds = [f.get_internal_type() for f in fields]
        self.pg = connection.vendor == "postgresql"
        self.now = now
        self.now_sqlite = connection.ops.adapt_datetimefield_value(now) if not self.pg else now

    def _converter(self, kind: str) -> Callable[[Any], Any] | None:
        if kind == "JSONField":
            return json.dumps
        if self.pg:
            return None
        if kind == "DateField":
            return dt.date.isoformat
        if kind == "DateTimeField":
            now = self.now_sqlite
            return lambda _value: now
        if kind == "BooleanField":
            return int
        return None

    def write(self, rows: list[Row]) -> int:
        """Insert rows given as {attname: value}; an "id" in the first row means every row has one."""
        if not rows:
            return 0
        with_id = "id" in rows[0]
        keep = [i for i, name in enumerate(self.names) if with_id or name != "id"]
        pairs = [(self.names[i], self.defaults[i]) for i in keep]
        return self._insert(keep, ([row.get(name, d) for name, d in pairs] for row in rows))

    def write_objects(self, objs: Sequence[Model]) -> int:
        """Insert model instances as they stand now: all with primary keys, or none (the database
        numbers them, and they are not read back). Their auto_now fields are stamped with the
        writer's timestamp."""
        if not objs:
            return 0
        with_id = objs[0].pk is not None
        keep = [i for i, name in enumerate(self.names) if with_id or name != "id"]
        names = [self.names[i] for i in keep]
        stamps = [self.names[i] for i in keep if self.stamped[i]]
        for obj in objs:
            for name in stamps:
                setattr(obj, name, self.now)
        written = self._insert(keep, ([getattr(obj, n) for n in names] for obj in objs))
        for obj in objs:
            obj._state.adding = False
            obj._state.db = connection.alias
        return written

    def _insert(self, keep: list[int], values: Iterable[list[Any]]) -> int:
        convert = [
            (n, c)
            for n, c in enumerate(self._converter(self.kinds[i]) for i in keep)
            if c is not None
        ]
        tuples = []
        for row in values:
            for n, c in convert:
                v = row[n]
                if v is not None:
                    row[n] = c(v)
            tuples.append(row)
        qn = connection.ops.quote_name
        cols = ", ".join(qn(str(self.fields[i].column)) for i in keep)
        table = qn(str(self.model._meta.db_table))
        with connection.cursor() as cursor, connection.wrap_database_errors:
            if self.pg:
                with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for t in tuples:
                        copy.write_row(t)
            else:
                marks = ", ".join(["%s"] * len(keep))
                # identifiers quoted by the backend, values bound as parameters
                sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"  # noqa: S608
                for start in range(0, len(tuples), 5000):
                    cursor.executemany(sql, tuples[start : start + 5000])
        return len(tuples)
