from __future__ import annotations


class ActionError(Exception):
    """A step that cannot be recorded, with a plain-English message for the person recording it.

    `field` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class StaleCase(ActionError):
    """Someone else saved the case after this person opened it (optimistic locking)."""

    def __init__(self, message: str, *, changes: list[str]) -> None:
        super().__init__(message)
        self.changes = changes


STALE_MESSAGE = (
    "Someone else saved this case while you were working on it. Check their changes below, "
    "then save again: what you entered is still in the form."
)
