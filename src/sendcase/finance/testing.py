"""Files shaped like Get Information about Schools downloads, for tests and the benchmark.

The columns are the download's own, in its order (a subset of its 130-odd: the import reads
by name, so the others only have to be there), and the file is written in cp1252, as DfE's is.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sendcase.finance.gias import ENCODING

HEADER = (
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (code)",
    "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (code)",
    "EstablishmentTypeGroup (name)",
    "EstablishmentStatus (code)",
    "EstablishmentStatus (name)",
    "ReasonEstablishmentOpened (name)",
    "OpenDate",
    "ReasonEstablishmentClosed (name)",
    "CloseDate",
    "PhaseOfEducation (code)",
    "PhaseOfEducation (name)",
    "StatutoryLowAge",
    "StatutoryHighAge",
    "Boarders (name)",
    "Gender (name)",
    "SchoolCapacity",
    "NumberOfPupils",
    "UKPRN",
    "Street",
    "Town",
    "Postcode",
    "SchoolWebsite",
    "TelephoneNum",
    "SEN1 (name)",
)

STATUS_CODES = {"Open": 1, "Closed": 2, "Open, but proposed to close": 3, "Proposed to open": 4}
GROUPS = {
    "Community school": "Local authority maintained schools",
    "Academy converter": "Academies",
    "Community special school": "Special schools",
    "Academy special converter": "Academies",
    "Non-maintained special school": "Special schools",
    "Other independent special school": "Independent schools",
    "Other independent school": "Independent schools",
    "Further education": "Colleges",
    "Special post 16 institution": "Special schools",
    "Pupil referral unit": "Local authority maintained schools",
    "Higher education institutions": "Universities",
}


@dataclass(frozen=True)
class Row:
    urn: str
    name: str
    type_name: str = "Community school"
    la_code: str = "999"
    phase: str = "Primary"
    status: str = "Open"
    ukprn: str = ""
    postcode: str = "AB1 2CD"
    opened: str = ""  # DD-MM-YYYY, as GIAS writes dates
    closed: str = ""


def write_gias_file(path: str | Path, rows: Iterable[Row]) -> Path:
    path = Path(path)
    with open(path, "w", encoding=ENCODING, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for r in rows:
            writer.writerow(
                [
                    r.urn,
                    r.la_code,
                    "Demo Council",
                    r.urn[-4:],
                    r.name,
                    "",
                    r.type_name,
                    "",
                    GROUPS.get(r.type_name, "Other types"),
                    STATUS_CODES[r.status],
                    r.status,
                    "Not applicable",
                    r.opened,
                    "Not applicable" if not r.closed else "Closure",
                    r.closed,
                    "",
                    r.phase,
                    "4",
                    "11",
                    "No boarders",
                    "Mixed",
                    "420",
                    "401",
                    r.ukprn,
                    "1 School Lane",
                    "Sometown",
                    r.postcode,
                    "",
                    "01234 567890",
                    "",
                ]
            )
    return path
