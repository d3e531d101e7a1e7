"""Finding a child: by any part of their name, UPN, ULN, NHS number, date of birth or case
reference,
within the cases the person may see (accounts.roles.case_scope).

On PostgreSQL a name is matched with pg_trgm (typo-tolerant: "Smtih" finds Smith), served by the
trigram index of migration 0006; on SQLite by case-insensitive "contains". A child who matches
but whose cases the person may not see is never named: the page says only that the council knows
the child, and whom to ask (KNOWN_ELSEWHERE).

Every search is audited: the query terms, and one view entry per child shown.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection, transaction
from django.db.models import Exists, F, Func, Lookup, OuterRef, Q, TextField

from sendcase.accounts.models import Role
from sendcase.accounts.roles import case_scope
from sendcase.casework.models import Case, Child
from sendcase.core import identity
from sendcase.core.actors import RequestUser
from sendcase.core.audit import audit, audit_each
from sendcase.core.codes import ULN_FORMAT, UPN_FORMAT
from sendcase.core.models import AuditEntry

# In the words of the known-child check at registration (casework.domain.children.KNOWN_ELSEWHERE):
# the same first sentence, and whom to ask. A team manager has no manager in the service to ask:
# they ask the head of service, who sees every case.
KNOWN_ELSEWHERE = (
    "The council already knows a child with these details. Ask your team manager to look them up."
)
KNOWN_ELSEWHERE_TOO = (
    "The council also knows other children with these details. Ask your team manager to look "
    "them up."
)
ASK_INSTEAD: dict[str, tuple[str, str]] = {
    Role.TEAM_MANAGER.value: ("your team manager", "the head of service")
}
MAX_CHILDREN = 50
TYPED_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
NAME_PARTS = ("forename", "surname", "preferred_name")
WORD_SIMILARITY = 0.3


class SearchError(ValueError):
    """A query that cannot be searched, in GOV.UK words."""


@dataclass
class ChildResult:
    child: Child
    cases: list[Case] = field(default_factory=list)


@dataclass
class Outcome:
    kind: str  # name, upn, uln, nhs_number, reference, date_of_birth
    children: list[ChildResult]
    known_elsewhere: bool
    more: bool  # more children matched than are shown
    role: str = ""

    @property
    def message(self) -> str:
        if not self.known_elsewhere:
            return ""
        words = KNOWN_ELSEWHERE_TOO if self.children else KNOWN_ELSEWHERE
        if self.role in ASK_INSTEAD:
            words = words.replace(*ASK_INSTEAD[self.role])
        return words


def typed_date(text: str) -> dt.date | None:
    """A date typed as dd/mm/yyyy (or with dots or dashes); None if the text is not one."""
    m = TYPED_DATE.match(text.strip())
    if m is None:
        return None
    day, month, year = (int(x) for x in m.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise SearchError("Date of birth must be a real date") from None


class _ILikeContains(Lookup[bool]):
    """`column ILIKE '%text%'`: unlike Django's icontains (UPPER(column) LIKE ...), a trigram GIN
    index on the column serves it."""

    lookup_name = "ilike_contains"

    def as_sql(self, compiler: Any, conn: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, conn)
        rhs, rhs_params = self.process_rhs(compiler, conn)
        return f"{lhs} ILIKE {rhs}", (*lhs_params, *rhs_params)


def _like_pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_name(prefix: str = "") -> Func:
    """forename, surname and preferred name as one text, exactly as migration 0006 indexes it
    (so the trigram index serves the match)."""
    return Func(
        *(F(f"{prefix}{part}") for part in NAME_PARTS),
        template="(%(expressions)s)",
        arg_joiner=" || ' ' || ",
        output_field=TextField(),
    )


def _name_match(words: list[str]) -> Q:
    """Every word matches some part of the name: on PostgreSQL a stretch of the name like the word
    ("Rosalynd": Rosalind, "Featherston": Featherstonehaugh) or the word inside it; on SQLite the
    word inside the forename, surname or preferred name."""
    match = Q()
    for word in words:
        if connection.vendor == "postgresql":
            name = search_name()
            match &= Q(TrigramWordSimilar(name, word)) | Q(
                _ILikeContains(name, _like_pattern(word))
            )
        else:
            either = Q()
            for part in NAME_PARTS:
                either |= Q(**{f"{part}__icontains": word})
            match &= either
    return match


def child_match(text: str, date_of_birth: dt.date | None) -> tuple[str, Q]:
    """What kind of query the text is, and the children it matches (a filter on Child)."""
    text = " ".join(text.split())
    code = text.upper().replace(" ", "")
    typed = typed_date(text)
    kind, match = "date_of_birth", Q()
    if typed is not None:
        date_of_birth = typed
    elif not text:
        pass
    elif UPN_FORMAT.match(code):
        kind, match = "upn", Q(upn=code)
    elif ULN_FORMAT.match(code.replace("-", "")):
        # 10 digits: an NHS number if its check digit says so (a ULN's never fits it too:
        # core.identity), searched on its index; otherwise a ULN.
        code = code.replace("-", "")
        if identity.is_nhs_number(code):
            kind, match = "nhs_number", Q(nhs_number=code)
        else:
            kind, match = "uln", Q(uln=code)
    elif any(ch.isdigit() for ch in code):
        kind, match = "reference", Q(cases__reference=code)
    else:
        kind, match = "name", _name_match([w for w in text.split(" ") if w])
    if date_of_birth is not None:
        match &= Q(date_of_birth=date_of_birth)
    elif not text:
        raise SearchError("Enter a name, UPN, ULN, NHS number, date of birth or case reference")
    return kind, match


def search(user: RequestUser, text: str, date_of_birth: dt.date | None = None) -> Outcome:
    """The children matching the query whose cases this person may see, each with those cases;
    and whether children they may not see also match (never which). Two queries (and, for a
    name on PostgreSQL, the typo tolerance set for this transaction)."""
    kind, match = child_match(text, date_of_birth)
    with transaction.atomic():
        if kind == "name" and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # pg_trgm's default (0.6) misses a swapped pair of letters in a short name
                # ("Smtih" is 0.33 like "Smith"); the best matches are ranked first anyway.
                cursor.execute(
                    "SET LOCAL pg_trgm.word_similarity_threshold = %s", [WORD_SIMILARITY]
                )
        return _search(user, kind, match, text)


def _search(user: RequestUser, kind: str, match: Q, text: str) -> Outcome:
    """One query for the results: the first MAX_CHILDREN + 1 matching children who have a case
    this person may see (best match first), chosen in a subquery before anything is joined, then
    those children's visible cases with their officers and teams. A common surname matches
    thousands of children; only the ones shown are joined, ranked twice and built in Python."""
    scope = case_scope(user)
    if scope is None:
        return Outcome(kind, [], False, False)
    matching = Child.objects.filter(match)
    visible = Case.objects.filter(scope)
    ranked = kind == "name" and connection.vendor == "postgresql"
    shown = matching.filter(Exists(visible.filter(child=OuterRef("pk"))))
    if ranked:
        shown = shown.annotate(rank=TrigramWordSimilarity(text, search_name())).order_by(
            "-rank", "surname", "forename", "pk"
        )
    else:
        shown = shown.order_by("surname", "forename", "pk")
    cases = visible.filter(child__in=shown.values("pk")[: MAX_CHILDREN + 1]).select_related(
        "child", "officer", "team"
    )
    if ranked:
        cases = cases.annotate(rank=TrigramWordSimilarity(text, search_name("child__"))).order_by(
            "-rank", "child__surname", "child__forename", "child_id", "-opened_on", "pk"
        )
    else:
        cases = cases.order_by("child__surname", "child__forename", "child_id", "-opened_on", "pk")
    by_child: dict[int, ChildResult] = {}
    more = False
    for case in cases:
        result = by_child.get(case.child_id)
        if result is None:
            if len(by_child) == MAX_CHILDREN:
                more = True
                break
            result = by_child[case.child_id] = ChildResult(case.child)
        result.cases.append(case)
    known_elsewhere = False
    if scope != Q():
        # Correlated (anti-)semi-joins on the case's child index, from the few children the
        # name index finds: not a scan of the children against every case in scope.
        known_elsewhere = (
            matching.filter(Exists(Case.objects.filter(child=OuterRef("pk"))))
            .exclude(Exists(visible.filter(child=OuterRef("pk"))))
            .exists()
        )
    return Outcome(kind, list(by_child.values()), known_elsewhere, more, getattr(user, "role", ""))


def audit_search(
    user: RequestUser, text: str, date_of_birth: dt.date | None, outcome: Outcome
) -> None:
    """The search in the audit log (its terms and what it found), and one view entry per child
    shown, on that child's most recent case the person may see."""
    terms = {"query": text, "date_of_birth": date_of_birth.isoformat() if date_of_birth else ""}
    with transaction.atomic():
        audit(
            user,
            AuditEntry.Action.VIEW,
            None,
            f"Searched for a child ({outcome.kind.replace('_', ' ')})",
            payload={
                **terms,
                "kind": outcome.kind,
                "children_shown": [r.child.pk for r in outcome.children],
                "known_elsewhere": outcome.known_elsewhere,
            },
        )
        audit_each(
            user,
            AuditEntry.Action.VIEW,
            "casework.child",
            [(r.child.pk, r.cases[0].pk) for r in outcome.children],
            "Shown in the results of a search",
            payload=terms,
        )
