"""Mediation and tribunal appeals in the demo council: how many, and how they go.

The shares are the demo's assumptions (docs/demo.md), not DfE figures, checked loosely on a
1,300-plan council generated in memory. That every appeal's dates pass the actions' own checks
is proved by the equivalence test, which replays appeals through casework.domain.appeals; the
database side (Case.disputed exactly when an appeal is live) is in test_load_consistency.py.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import cache

from sendcase.demo import calibration
from sendcase.demo.generator import (
    ASK_MEDIATION,
    DISPUTE_RATES,
    ENDINGS,
    REGISTERED,
    UPHELD,
    Council,
    appealable_decisions,
)

TODAY = dt.date(2025, 11, 24)


@cache
def measured() -> dict[str, Counter[str]]:
    council = Council(calibration.load(), plans=1300, seed=2, today=TODAY)
    notices: Counter[str] = Counter()
    disputed: Counter[str] = Counter()
    how: Counter[str] = Counter()
    endings: Counter[str] = Counter()
    compliance: Counter[str] = Counter()
    for h in council.histories():
        found = appealable_decisions(h.steps)
        notices.update(found.values())
        for name, _when, kw in h.steps:
            if name == "record_mediation_decision":
                disputed[found[kw["notice_on"]]] += 1
                how["mediation" if kw["wants_mediation"] else "declined"] += 1
            elif name == "record_appeal_registered":
                how["registered"] += 1
                if not any(
                    n == "record_mediation_decision" and k["notice_on"] == kw["notice_on"]
                    for n, _, k in h.steps
                ):
                    disputed[found[kw["notice_on"]]] += 1
                    how["school named only"] += 1
            elif name == "record_no_appeal":
                how["no appeal"] += 1
            elif name == "record_tribunal_decision":
                endings[kw["outcome"]] += 1
                endings[f"order:{kw['order_kind']}"] += 1
            elif name == "record_order_complied":
                compliance[kw["_kind"]] += 1
    return {
        "notices": notices,
        "disputed": disputed,
        "how": how,
        "endings": endings,
        "compliance": compliance,
    }


def test_the_share_of_each_decision_taken_to_mediation_or_appeal() -> None:
    m = measured()
    for kind, rate in DISPUTE_RATES.items():
        assert m["notices"][kind] > 30, kind
        share = m["disputed"][kind] / m["notices"][kind]
        # plans' appeals are not started in the last months before the plan ends: a little less
        assert 0.5 * rate <= share <= 1.3 * rate, (kind, share, rate)


def test_how_disagreements_go() -> None:
    m = measured()
    how, endings = m["how"], m["endings"]
    disputes = sum(m["disputed"].values())
    assert disputes > 150
    assert abs(how["mediation"] / disputes - ASK_MEDIATION) < 0.08
    assert how["declined"] > how["mediation"] and how["school named only"] > 0
    ended = how["registered"] + how["no appeal"]
    assert abs(how["registered"] / ended - REGISTERED) < 0.08
    decided = endings["withdrawn"] + endings["conceded"] + endings["upheld"] + endings["dismissed"]
    assert abs(endings["withdrawn"] / decided - ENDINGS["withdrawn"]) < 0.1
    assert abs(endings["conceded"] / decided - ENDINGS["conceded"]) < 0.1
    upheld = endings["upheld"] / (endings["upheld"] + endings["dismissed"])
    assert abs(upheld - UPHELD) < 0.06
    # every kind of order appears, and orders are complied with
    # (make_plan is rare: about 1 in 40 decisions not to issue; the equivalence test has one)
    for kind in ("assess", "amend", "setting", "continue"):
        assert endings[f"order:{kind}"] > 0, kind
        assert m["compliance"][kind] > 0, kind
