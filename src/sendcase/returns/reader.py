"""Reading a SEN2 file as a stream: one person at a time, every problem with its line number.

lxml's iterparse reads the file incrementally; each Person is parsed into a record and
then cleared from the tree, so memory stays flat however many children the file holds.
A file that is not well-formed XML (broken, or cut short) still gets every problem found
before the break, plus the parser's own error with its line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from lxml import etree

from sendcase.returns import elements as E
from sendcase.returns.checks import Identifiers, check_person
from sendcase.returns.periods import Collection, reference_date
from sendcase.returns.records import PersonRec, Problem, parse, parse_date

_HEADER = E.MODULES["header"]
_FILE = E.MODULES["file"]


@dataclass
class Header:
    line: int | None = None
    collection: str | None = None
    year: int | None = None
    reference_date: str | None = None
    lea: str | None = None
    software: str | None = None
    datetime: str | None = None


@dataclass
class ReadResult:
    header: Header | None = None
    persons: int = 0
    problems: list[Problem] = field(default_factory=list)
    # False when the XML could not be read to its end (broken, cut short, empty, unreadable):
    # `persons` then counts only the children before the problem.
    complete: bool = True

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def collection(self) -> Collection | None:
        return Collection(self.header.year) if self.header and self.header.year else None


def _find(el: Any, *path: str) -> Any:
    for key in path:
        if el is None:
            return None
        el = el.find(E.name(key))
    return el


def _text(el: Any, *path: str) -> str | None:
    found = _find(el, *path)
    return (found.text or "").strip() if found is not None and found.text else None


def _header(el: Any, la_code: str | None, out: list[Problem]) -> Header:
    h = Header(line=el.sourceline)
    h.collection = _text(el, "collection_details", "collection")
    year = _text(el, "collection_details", "year")
    h.reference_date = _text(el, "collection_details", "reference_date")
    h.lea = _text(el, "source", "lea")
    h.software = _text(el, "source", "software_code")
    h.datetime = _text(el, "source", "datetime")

    def add(key: str, message: str, fix: str) -> None:
        found = _find(el, "collection_details", key)
        if found is None:  # (an element with no children is false: test for None)
            found = _find(el, "source", key)
        line = found.sourceline if found is not None else el.sourceline
        out.append(Problem(line, _HEADER, E.name(key), message, fix))

    if h.collection != "SEN2":
        add(
            "collection",
            f"Collection is ‘{h.collection or ''}’, not SEN2",
            "This must be a SEN2 return",
        )
    if year is None or not re.fullmatch(r"\d{4}", year):
        add(
            "year",
            f"Year ‘{year or ''}’ is not a collection year",
            "Enter the year of the census, e.g. 2026",
        )
    else:
        h.year = int(year)
        expected = reference_date(h.year)
        if h.reference_date is None or parse_date(h.reference_date) != expected:
            add(
                "reference_date",
                f"ReferenceDate ‘{h.reference_date or ''}’ is not the census date for {h.year}",
                f"The reference date for {h.year} is {expected.isoformat()} (third Thursday of January)",
            )
    if h.lea is None or not re.fullmatch(r"\d{3}", h.lea):
        add(
            "lea",
            f"LEA ‘{h.lea or ''}’ is not a council code",
            "Enter the council's 3-digit LA code",
        )
    elif la_code and h.lea != la_code:
        add(
            "lea",
            f"This return is for council {h.lea}, but SENDcase is set up for council {la_code}",
            "Check you chose this council's return (or set SENDCASE_LA_CODE)",
        )
    return h


class Reader:
    """Iterate the persons of a SEN2 file; `result` holds the header and every problem."""

    def __init__(self, source: str | IO[bytes], *, la_code: str | None = None) -> None:
        self.source = source
        self.la_code = la_code
        self.result = ReadResult()

    def persons(self) -> Iterator[PersonRec]:
        out = self.result.problems
        collection: Collection | None = None
        header_missing_reported = False
        identifiers = Identifiers()
        # libxml2 keeps one error log per thread: clear it, or a worker that checked another
        # file (perhaps another person's) would report that file's errors with this one's.
        etree.clear_error_log()
        context = etree.iterparse(
            self.source,
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            huge_tree=False,
            remove_comments=True,
        )
        root_seen = False
        try:
            for event, el in context:
                if event == "start":
                    if not root_seen:
                        root_seen = True
                        if el.tag != E.name("message"):
                            out.append(
                                Problem(
                                    el.sourceline,
                                    _FILE,
                                    str(el.tag),
                                    f"The file starts with {el.tag}, not {E.name('message')}",
                                    "Upload the SEN2 XML file as exported for COLLECT",
                                )
                            )
                    continue
                parent = el.getparent()
                if parent is None:
                    continue
                if el.tag == E.name("header") and parent.getparent() is None:
                    self.result.header = _header(el, self.la_code, out)
                    if self.result.header.year:
                        collection = Collection(self.result.header.year)
                    el.clear(keep_tail=True)
                elif el.tag == E.name("person"):
                    if parent.tag != E.name("persons"):
                        out.append(
                            Problem(
                                el.sourceline,
                                _FILE,
                                el.tag,
                                f"Person is inside {parent.tag}",
                                "Put each Person inside Persons",
                            )
                        )
                    if self.result.header is None and not header_missing_reported:
                        header_missing_reported = True
                        out.append(
                            Problem(
                                el.sourceline,
                                _HEADER,
                                E.name("header"),
                                "The Header is missing before the first Person",
                                "Start the file with the Header",
                            )
                        )
                    self.result.persons += 1
                    person_problems: list[Problem] = []
                    rec = parse(el, "person", person_problems)
                    assert isinstance(rec, PersonRec)  # noqa: S101
                    rec.index = self.result.persons
                    person_problems.extend(check_person(rec, collection))
                    person_problems.extend(identifiers.check(rec))
                    for p in person_problems:
                        p.person, p.upn, p.uln = rec.label(), rec.upn or "", rec.uln or ""
                    out.extend(person_problems)
                    el.clear(keep_tail=True)
                    while el.getprevious() is not None:
                        del parent[0]
                    yield rec
                elif parent.getparent() is None and el.tag not in (E.name("persons"),):
                    out.append(
                        Problem(
                            el.sourceline,
                            _FILE,
                            str(el.tag),
                            f"{el.tag} is not part of a SEN2 return",
                            f"Remove {el.tag}",
                        )
                    )
                elif parent.tag == E.name("persons") and el.tag != E.name("person"):
                    out.append(
                        Problem(
                            el.sourceline,
                            _FILE,
                            str(el.tag),
                            f"{el.tag} is not a Person",
                            f"Remove {el.tag} from Persons",
                        )
                    )
        except etree.XMLSyntaxError as exc:
            self.result.complete = False
            seen: set[tuple[int, str]] = set()
            log: Any = exc.error_log
            entries = [e for e in log if e.level >= etree.ErrorLevels.ERROR]
            if not entries:
                out.append(Problem(exc.lineno, _FILE, "", *_plain(str(exc.msg), exc.lineno)))
            for entry in entries:
                key = (entry.line, entry.message)
                if key in seen:
                    continue
                seen.add(key)
                out.append(Problem(entry.line, _FILE, "", *_plain(entry.message, entry.line)))
        except OSError as exc:
            self.result.complete = False
            out.append(
                Problem(None, _FILE, "", f"The file cannot be read: {exc}", "Choose the file again")
            )
        if root_seen and self.result.header is None and not header_missing_reported:
            out.append(
                Problem(
                    None,
                    _HEADER,
                    E.name("header"),
                    "The file has no Header",
                    "Start the file with the Header",
                )
            )
        if not root_seen and not out:
            self.result.complete = False
            out.append(Problem(None, _FILE, "", "The file is empty", "Choose the SEN2 XML file"))


_SYNTAX_FIX = (
    "The file is not well-formed XML: export it again from the system it came from, "
    "or correct it at this line"
)
_CHOOSE_AGAIN = "Choose the SEN2 XML file exported for COLLECT (it starts with <?xml or <Message>)"


def _plain(message: str, line: int | None) -> tuple[str, str]:
    """libxml2's message in plain words, and how to fix it."""
    message = message.strip().rstrip(".")
    if "Document is empty" in message or message == "no element found":
        return "The file is empty or holds no XML", _CHOOSE_AGAIN
    if "Start tag expected" in message and (line or 1) <= 1:
        return "This is not an XML file: it does not start with an XML tag", _CHOOSE_AGAIN
    if "Premature end of data" in message or "EndTag" in message and "end" in message.lower():
        return f"The file ends too early: it may have been cut short ({message})", (
            "Export the file again from the system it came from: the whole file is needed"
        )
    return f"The XML cannot be read: {message}", _SYNTAX_FIX


def validate(source: str | IO[bytes], *, la_code: str | None = None) -> ReadResult:
    """Read the whole file and return the header, the number of persons and every problem."""
    reader = Reader(source, la_code=la_code)
    for _ in reader.persons():
        pass
    return reader.result
