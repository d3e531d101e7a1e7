"""The SEN2 XML vocabulary: every element name in ONE table, and the SEN2-only code lists.

There is no public XSD. Names follow COLLECT's XML download; where the spelling is
uncertain (SENsetting/SENSetting, PlanWBP/PlanWPB, WBP/WPB) the export writes the
name in NAMES and the import also accepts every spelling in ALIASES. Correcting a
name is a one-line change to NAMES.
"""

from __future__ import annotations

from dataclasses import dataclass

from sendcase.core.codes import (
    CeaseReason,
    NeedType,
    PlanResidential,
    RequestSource,
    ReviewOutcome,
    SENSetting,
    UPNUnknown,
)

# key -> element name as written in the export.
NAMES: dict[str, str] = {
    # header
    "message": "Message",
    "header": "Header",
    "collection_details": "CollectionDetails",
    "collection": "Collection",
    "year": "Year",
    "reference_date": "ReferenceDate",
    "source": "Source",
    "source_level": "SourceLevel",
    "lea": "LEA",
    "software_code": "SoftwareCode",
    "release": "Release",
    "serial_no": "SerialNo",
    "datetime": "DateTime",
    "persons": "Persons",
    # module 1: the child or young person
    "person": "Person",
    "surname": "Surname",
    "forename": "Forename",
    "birth_date": "PersonBirthDate",
    "sex": "Sex",
    "ethnicity": "Ethnicity",
    "postcode": "PostCode",
    "upn": "UPN",
    "uln": "UniqueLearnerNumber",
    "upn_unknown": "UPNunknown",
    # module 2: requests
    "request": "Requests",
    "received_date": "ReceivedDate",
    "request_source": "RequestSource",
    "rya": "RYA",
    "request_outcome_date": "RequestOutcomeDate",
    "request_outcome": "RequestOutcome",
    "request_mediation": "RequestMediation",
    "request_tribunal": "RequestTribunal",
    "exported": "Exported",
    # module 3: assessment
    "assessment": "Assessment",
    "assessment_outcome": "AssessmentOutcome",
    "assessment_outcome_date": "AssessmentOutcomeDate",
    "assessment_mediation": "AssessmentMediation",
    "assessment_tribunal": "AssessmentTribunal",
    "other_mediation": "OtherMediation",
    "other_tribunal": "OtherTribunal",
    "week20": "Week20",
    # module 4a/4b: the plan and the placements it names
    "plan": "NamedPlan",
    "start_date": "StartDate",
    "plan_res": "PlanRes",
    "plan_wbp": "PlanWBP",
    "pb": "PB",
    "oa": "OA",
    "dp": "DP",
    "cease_date": "CeaseDate",
    "cease_reason": "CeaseReason",
    "plan_detail": "PlanDetail",
    "urn": "URN",
    "ukprn": "UKPRN",
    "sen_setting": "SENsetting",
    "sen_setting_other": "SENsettingOther",
    "placement_rank": "PlacementRank",
    "sen_unit": "SENunitIndicator",
    "resourced": "ResourcedProvisionIndicator",
    # module 5a/5b/5c: plans active on the reference date
    "active": "ActivePlans",
    "transfer_la": "TransferLA",
    "review_meeting": "ReviewMeeting",
    "review_outcome": "ReviewOutcome",
    "review_draft": "ReviewDraft",
    "phase_transfer_due": "PhaseTransferDueDate",
    "phase_transfer_final": "PhaseTransferFinalDate",
    "last_review": "LastReview",
    "placement": "PlacementDetail",
    "entry_date": "EntryDate",
    "leaving_date": "LeavingDate",
    "res": "RES",
    "wbp": "WBP",
    "need": "SENneed",
    "sen_type": "SENtype",
    "sen_type_rank": "SENtypeRank",
}

# Other spellings the import accepts (the uncertain names).
ALIASES: dict[str, tuple[str, ...]] = {
    "sen_setting": ("SENSetting",),
    "sen_setting_other": ("SENSettingOther",),
    "plan_wbp": ("PlanWPB",),
    "wbp": ("WPB",),
}

KEY_FOR_TAG: dict[str, str] = {name: key for key, name in NAMES.items()}
for _key, _names in ALIASES.items():
    for _name in _names:
        KEY_FOR_TAG[_name] = _key


def name(key: str) -> str:
    return NAMES[key]


# --- Code lists SEN2 has and the rest of the product does not ------------------------------

REQUEST_OUTCOMES = {
    "Y": "Decided to assess",
    "N": "Decided not to assess",
    "A": "Decision yet to be made",
    "W": "Withdrawn or ceased before a decision",
    "H": "Historical",
}
ASSESSMENT_OUTCOMES = {
    "Y": "Plan to be issued or issued",
    "N": "Decided not to issue a plan",
    "A": "Decision yet to be made",
    "W": "Withdrawn",
    "H": "Historical",
}
UPN_UNKNOWN = tuple(UPNUnknown.values)
SEX = {"M": "Male", "F": "Female", "U": "Not known"}
RANKS = {"1": "Primary", "2": "Secondary"}
# ReviewOutcome (item 5.5, new in 2024): M maintain, A amend, C cease the plan. The reference
# gives no code list; these letters are the ones a supplier's SEN2 tool documents for item 5.5
# (Capita One, "Item 5.5 Annual review decision").
REVIEW_OUTCOME_CODES: dict[str, str] = {
    "M": ReviewOutcome.MAINTAIN,
    "A": ReviewOutcome.AMEND,
    "C": ReviewOutcome.CEASE,
}
REVIEW_OUTCOME_FOR: dict[str, str] = {v: k for k, v in REVIEW_OUTCOME_CODES.items()}


@dataclass(frozen=True)
class Item:
    """One data item: its kind and, for codes, the allowed values."""

    key: str
    kind: str  # "text", "date", "flag", "code"
    codes: tuple[str, ...] = ()
    max_length: int = 0


def _codes(values: object) -> tuple[str, ...]:
    return tuple(str(v) for v in values)  # type: ignore[attr-defined]


_T = Item
PERSON_ITEMS = (
    _T("surname", "text", max_length=100),
    _T("forename", "text", max_length=100),
    _T("birth_date", "date"),
    _T("sex", "code", tuple(SEX)),
    _T("ethnicity", "text", max_length=4),
    _T("postcode", "text", max_length=10),
    _T("upn", "text", max_length=13),
    _T("uln", "text", max_length=10),
    _T("upn_unknown", "code", UPN_UNKNOWN),
)
REQUEST_ITEMS = (
    _T("received_date", "date"),
    _T("request_source", "code", _codes(RequestSource.values)),
    _T("rya", "flag"),
    _T("request_outcome_date", "date"),
    _T("request_outcome", "code", tuple(REQUEST_OUTCOMES)),
    _T("request_mediation", "flag"),
    _T("request_tribunal", "flag"),
    _T("exported", "flag"),
)
ASSESSMENT_ITEMS = (
    _T("assessment_outcome", "code", tuple(ASSESSMENT_OUTCOMES)),
    _T("assessment_outcome_date", "date"),
    _T("assessment_mediation", "flag"),
    _T("assessment_tribunal", "flag"),
    _T("other_mediation", "flag"),
    _T("other_tribunal", "flag"),
    _T("week20", "flag"),
)
PLAN_ITEMS = (
    _T("start_date", "date"),
    _T("plan_res", "code", _codes(PlanResidential.values)),
    _T("plan_wbp", "flag"),
    _T("pb", "flag"),
    _T("oa", "flag"),
    _T("dp", "flag"),
    _T("cease_date", "date"),
    _T("cease_reason", "code", _codes(CeaseReason.values)),
)
_SETTING_ITEMS = (
    _T("urn", "text", max_length=8),
    _T("ukprn", "text", max_length=8),
    _T("sen_setting", "code", _codes(SENSetting.values)),
    _T("sen_setting_other", "text", max_length=200),
    _T("placement_rank", "code", tuple(RANKS)),
)
PLAN_DETAIL_ITEMS = (
    *_SETTING_ITEMS,
    _T("sen_unit", "flag"),
    _T("resourced", "flag"),
)
ACTIVE_ITEMS = (
    _T("transfer_la", "text", max_length=3),
    _T("review_meeting", "date"),
    _T("review_outcome", "code", tuple(REVIEW_OUTCOME_CODES)),
    _T("review_draft", "date"),
    _T("phase_transfer_due", "date"),
    _T("phase_transfer_final", "date"),
    _T("last_review", "date"),
)
PLACEMENT_ITEMS = (
    *_SETTING_ITEMS,
    _T("entry_date", "date"),
    _T("leaving_date", "date"),
    _T("sen_unit", "flag"),
    _T("resourced", "flag"),
    _T("res", "flag"),
    _T("wbp", "flag"),
)
NEED_ITEMS = (
    _T("sen_type", "code", _codes(NeedType.values)),
    _T("sen_type_rank", "code", tuple(RANKS)),
)

MODULES = {
    "header": "Header",
    "person": "Module 1 (child or young person)",
    "request": "Module 2 (request for assessment)",
    "assessment": "Module 3 (assessment)",
    "plan": "Module 4a (EHC plan)",
    "plan_detail": "Module 4b (placement named in the plan)",
    "active": "Module 5a (plan active on the reference date)",
    "placement": "Module 5b (placement)",
    "need": "Module 5c (special educational need)",
    "file": "File",
}
