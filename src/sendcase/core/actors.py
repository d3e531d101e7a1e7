"""Who did something: a signed-in member of staff, or a run with no person behind it.

Every action function and every audit entry takes an `Actor`. A person is the `User` from the
request (an anonymous visitor never reaches an action: the views require sign-in). A command,
an import run without `--user` or the demo loader passes a `SystemActor` naming itself. Only a
`User` is stored as a foreign key (the audit log's actor, an event's `recorded_by`); for anyone
else the column is empty and the case history says "The system".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias, cast

if TYPE_CHECKING:  # the model is only named in annotations here
    from django.contrib.auth.models import AnonymousUser

    from sendcase.accounts.models import User


@dataclass(frozen=True)
class SystemActor:
    """A run with no signed-in person: an import from the command line, the demo loader."""

    name: str

    @property
    def is_authenticated(self) -> bool:
        return False

    def __str__(self) -> str:
        return self.name


Actor: TypeAlias = "User | AnonymousUser | SystemActor"

# Who made a web request (`request.user`): a member of staff, or a visitor not signed in. The
# rules and scopes that take one answer "nothing" for a visitor.
RequestUser: TypeAlias = "User | AnonymousUser"


def user_of(actor: Actor | None) -> User | None:
    """The member of staff to store against a record, or None for anyone else (only a `User` is
    ever authenticated)."""
    if actor is not None and actor.is_authenticated:
        return cast("User", actor)
    return None
