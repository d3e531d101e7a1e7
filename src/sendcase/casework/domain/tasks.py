"""Officers' tasks on a case (chase the advice, call the parent), each with a due date.

Both actions run in one transaction (`kernel.action`) and change no statutory state: no event,
no deadlines, no change to the case's version, no message.

* `add_task`: a CaseTask; one audit entry.
* `set_task_done`: the task marked done (today) or not done again; one audit entry.
"""

from __future__ import annotations

import datetime as dt

from sendcase.casework.domain import kernel
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import Case, CaseTask
from sendcase.core.actors import Actor, user_of
from sendcase.core.audit import audit
from sendcase.statutory.dates import format_date


@kernel.action
def add_task(case: Case, *, title: str, due_on: dt.date, actor: Actor) -> CaseTask:
    """Add a task to the case. Any due date is allowed: a task may be noted late."""
    title = " ".join(title.split())
    if not title:
        raise ActionError("Enter what needs doing", field="title")
    task = CaseTask.objects.create(case=case, title=title, due_on=due_on, created_by=user_of(actor))
    audit(
        actor,
        "create",
        task,
        f"Task added: {title} (due {format_date(due_on)})",
        case=case,
        payload={"title": title, "due_on": due_on.isoformat()},
    )
    return task


@kernel.action
def set_task_done(
    task: CaseTask, *, done: bool, actor: Actor, today: dt.date | None = None
) -> CaseTask:
    """Mark the task done today, or not done again."""
    locked = CaseTask.objects.select_for_update().get(pk=task.pk)
    if done == (locked.done_on is not None):
        raise ActionError(
            "This task is already marked as done" if done else "This task is not marked as done"
        )
    locked.done_on = kernel.local_today(today) if done else None
    locked.save(update_fields=["done_on"])
    audit(
        actor,
        "update",
        locked,
        f"Task {'done' if done else 'marked as not done'}: {locked.title}",
        case=task.case,
        payload={"done_on": locked.done_on.isoformat() if locked.done_on else None},
    )
    return locked
