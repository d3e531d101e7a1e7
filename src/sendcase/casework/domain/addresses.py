"""The ONE way to get an address for a letter or a document: `address_for_letter(subject,
recipient=...)`.

An address its holder asked not to share ("do not share this address") is given only in a letter
to that holder, never to another parent or anyone else; nor is the child's address, where it is
the withheld one.

A leaf: it reads the casework models and nothing else, so the letters (``documents.actions``)
can use it while the casework actions use the letters, with no cycle. No side effects.
"""

from __future__ import annotations

from sendcase.casework.models import Child, FamilyContact


def _compact(postcode: str) -> str:
    return "".join(postcode.split()).upper()


def _lines(address: str, postcode: str) -> list[str]:
    lines = [line.strip() for line in address.splitlines() if line.strip()]
    if postcode and not any(_compact(line) == _compact(postcode) for line in lines):
        lines.append(postcode)
    return lines


def address_for_letter(
    subject: FamilyContact | Child, *, recipient: FamilyContact | None
) -> list[str]:
    """The lines of `subject`'s address (a contact's, or the child's) that may appear in a
    letter or document sent to `recipient` (a family contact; None for anyone else: a school,
    a professional, the tribunal), postcode last; [] where it must not appear.

    Every letter, notice and document that shows an address must get it here. A contact's
    address marked "do not share this address" is given only in a letter to that contact. The
    child's address is withheld the same way where it is (by postcode or first line) the address
    of a current contact who asked not to share it: the child lives with them.
    """
    if isinstance(subject, FamilyContact):
        if subject.withhold_address and (recipient is None or recipient.pk != subject.pk):
            return []
        return _lines(subject.address, subject.postcode)
    lines = _lines(subject.address, subject.postcode)
    if not lines:
        return []
    first, code = lines[0].casefold(), _compact(subject.postcode)
    for holder in subject.contacts.filter(withhold_address=True, ended_on__isnull=True):
        if recipient is not None and recipient.pk == holder.pk:
            continue
        theirs = _lines(holder.address, holder.postcode)
        same_code = code and _compact(holder.postcode) == code
        same_first = theirs and theirs[0].casefold() == first
        if same_code or same_first:
            return []
    return lines
