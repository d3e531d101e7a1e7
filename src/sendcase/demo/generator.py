"""Simulating a council's SEND service over several years, in memory.

The generator produces, for a seed, a calibration and a size, the same council
every time: children, a register of fake settings, and for every case the list of
*steps* an officer would have taken, each step naming the action function it
stands for (``open_case_from_request``, ``record_decision_to_assess``, ...) with
the date it was recorded and its arguments. `load.py` writes those steps as the
rows the action functions would write; the equivalence test replays the same steps
through the real action functions.

Two phases keep memory small and the output deterministic:

1. `Council.skeletons`: one small record per case with the dates that the
   calibrated figures control (request, decision, plan issued, exception, ceasing
   and its reason). Yearly rates are hit by *quotas* (error diffusion), not coin
   flips, so even a small council's yearly figures are close to the published ones.
2. `Council.steps(case)`: the full history of one case (advice, drafts, reviews,
   amendments, phase transfers, placements), drawn from a random generator seeded
   by (seed, case), so it does not depend on the order cases are expanded.

Nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from faker import Faker

from sendcase import statutory
from sendcase.core.codes import (
    AdviceKind,
    CeaseReason,
    NeedType,
    RequestSource,
    SENSetting,
    SettingType,
)
from sendcase.demo.calibration import Calibration
from sendcase.demo.plan_content import (
    BUDGET_AMOUNT,
    BUDGET_TEXT,
    lawful_content,
    with_adulthood,
)
from sendcase.plans.checks import in_year_9_or_above
from sendcase.plans.content import PlanContent
from sendcase.statutory.dates import add_months
from sendcase.statutory.rules import (  # EHC plans replaced statements from EHC_START
    EHC_START,
    period_end,
    transfer_in_review_due,
)

DAY = dt.timedelta(days=1)
CASES_PER_OFFICER = 235  # the middle of the 200-270 range in the seed reports

Step = tuple[str, dt.date, dict[str, Any]]

# Mediation and tribunal appeals (casework.domain.appeals): the steps after an appealable
# decision. The demo's assumptions (docs/demo.md), not DfE figures: the share of each kind of
# decision the family takes to mediation or appeal, keyed as Appeal.DecisionType.
APPEAL_STEPS = frozenset(
    {
        "record_mediation_decision",
        "record_mediation_held",
        "record_mediation_certificate",
        "record_appeal_registered",
        "record_no_appeal",
        "record_tribunal_decision",
        "record_order_complied",
    }
)
DISPUTE_RATES: dict[str, float] = {
    "not_assess": 1 / 12,  # refusals to assess
    "not_issue": 1 / 8,  # decisions not to issue a plan
    "contents": 1 / 40,  # final plans and final amended plans
    "amend": 1 / 40,  # review decisions to maintain the plan unchanged
    "cease": 1 / 10,  # review decisions to cease the plan
}
ASK_MEDIATION = 1 / 3  # the family asks for mediation; the rest decline it or appeal the school
SCHOOL_ONLY = 0.4  # of contents appeals without mediation: only the school or college named
REGISTERED = 0.70  # disputes registered with the tribunal; the rest end with no appeal
ENDINGS = {"withdrawn": 0.35, "conceded": 0.20, "decided": 0.45}
UPHELD = 0.96  # decided appeals upheld (wholly or partly) with an order; the rest dismissed
ORDER_ON_TIME = 0.85  # orders complied with by their last stage's due date
# What the tribunal orders (reg 44) and what a council concedes (reg 45) for each decision.
ORDER_FOR = {
    "not_assess": "assess",
    "not_issue": "make_plan",
    "contents": "amend",
    "amend": "amend",
    "cease": "continue",
}
CONCEDED_FOR = {"not_assess": "assess", "contents": "amend", "amend": "amend"}
REOPENING = ("not_assess", "not_issue")  # decisions whose order reopens the case for assessment
# The stages of each order the demo complies with (their periods: statutory.rules.STAGES).
ORDER_STAGES: dict[str, tuple[str, ...]] = {
    "assess": ("notify", "final_plan"),
    "make_plan": ("draft", "final"),
    "amend": ("amended_plan",),
    "setting": ("amended_plan",),
    "continue": ("continue",),
}
# Decisions notified the same day: the one appeals.decision_type_on answers with.
DECISION_ORDER = ("not_assess", "not_issue", "contents", "amend", "cease")
LONGEST_APPEAL = dt.timedelta(days=560)  # notice to the last step of the slowest appeal


# --- Small helpers ------------------------------------------------------------------------


def _d(rng: random.Random, lo: int, hi: int) -> dt.timedelta:
    return dt.timedelta(days=rng.randint(lo, hi))


def _pick(rng: random.Random, weights: dict[Any, float]) -> Any:
    keys = list(weights)
    return rng.choices(keys, weights=[max(0.0, weights[k]) for k in keys])[0]


def _birthday(dob: dt.date, years: int) -> dt.date:
    return add_months(dob, 12 * years)


def age_on(dob: dt.date, on: dt.date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def school_year(dob: dt.date, september: int) -> int:
    """National Curriculum year group in the school year starting in September of `september`
    (Reception = 0): children born September to August start Reception together."""
    cohort = dob.year if dob.month >= 9 else dob.year - 1
    return september - (cohort + 5)


def _officers_for(cases: int) -> int:
    """The number of officers that brings a team's caseload closest to CASES_PER_OFFICER each."""
    return min(range(1, cases // 100 + 2), key=lambda k: abs(cases / k - CASES_PER_OFFICER))


class CategoryQuota:
    """Categorical draws that keep each stream's counts within about one of the mix."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.counts: dict[Any, Counter[Any]] = {}

    def draw(self, key: Any, mix: dict[Any, float]) -> Any:
        counts = self.counts.setdefault(key, Counter())
        n = sum(counts.values()) + 1
        deficits = {k: p * n - counts[k] for k, p in mix.items()}
        positive = {k: d for k, d in deficits.items() if d > 0}
        choice = _pick(self.rng, positive) if positive else _pick(self.rng, mix)
        counts[choice] += 1
        return choice


class TimelinessQuota:
    """On time or late, so that each issue year's share on time matches its target.

    The year a plan is issued depends on the choice (an on-time plan may be issued in
    December, the same plan late in February), so each choice goes to whichever of the
    two years' running counts is further behind its target, with a little noise."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.issued: Counter[tuple[int, bool]] = Counter()
        self.on_time: Counter[tuple[int, bool]] = Counter()

    def choose(
        self, soon_year: int, late_year: int, group: bool, target: Callable[[int], float]
    ) -> bool:
        a, b = (soon_year, group), (late_year, group)
        need_on_time = target(soon_year) * (self.issued[a] + 1) - self.on_time[a]
        need_late = (1 - target(late_year)) * (self.issued[b] + 1) - (
            self.issued[b] - self.on_time[b]
        )
        on_time: bool
        if (need_on_time > 0) != (need_late > 0):
            on_time = need_on_time > 0
        elif need_on_time > 0:
            on_time = need_on_time + self.rng.uniform(-0.5, 0.5) > need_late
        else:  # both years are ahead of target: no push either way
            on_time = self.rng.random() < target(soon_year)
        key = a if on_time else b
        self.issued[key] += 1
        self.on_time[key] += on_time
        return on_time


class Quota:
    """Yes/no decisions that hit a rate exactly over each stream (error diffusion).

    Each stream starts at a random phase, so which items say yes is random while the
    share that do is within one item of the rate."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.acc: dict[Any, float] = {}

    def draw(self, key: Any, p: float) -> bool:
        a = self.acc.get(key)
        if a is None:
            a = self.rng.random()
        a += min(max(p, 0.0), 1.0)
        hit = a >= 1.0
        self.acc[key] = a - 1.0 if hit else a
        return hit


# --- What the generator produces ----------------------------------------------------------


@dataclass(slots=True)
class ChildSpec:
    key: int
    forename: str
    surname: str
    dob: dt.date
    sex: str
    ethnicity: str
    address: str
    postcode: str
    upn: str
    parent_name: str
    relationship: str
    email: str
    phone: str
    # The whole person (issue 12.4): what SEN2 and Annex A ask, all recorded.
    first_language: str = "ENG"
    interpreter_needed: bool = False
    nhs_number: str = ""
    disability: str = "N"
    known_to_social_care: str = "N"
    social_care_team: str = ""
    gender: str = ""
    preferred_contact: str = "email"


@dataclass(slots=True)
class SettingSpec:
    key: int
    name: str
    urn: str
    ukprn: str
    kind: str
    phase: str
    postcode: str
    resourced: bool = False
    sen_unit: bool = False


@dataclass(slots=True)
class PlacementSpec:
    setting: int | None  # SettingSpec.key, or None with a SEN2 SENsetting code
    sen_setting: str
    setting_type: str
    entry: dt.date
    leaving: dt.date | None
    resourced: bool = False
    sen_unit: bool = False
    residential: bool = False


@dataclass(slots=True)
class Skeleton:
    """The calibrated dates of one case; `Council.steps` fills in the rest."""

    key: int
    child: int
    origin: str  # "request", "transfer_in" or "legacy" (a plan made before the window)
    opened: dt.date
    dta: dt.date | None = None
    assess: bool = True
    final: dt.date | None = None
    not_issued: dt.date | None = None
    exception: bool = False
    plan_start: dt.date | None = None
    last_review: dt.date | None = None  # transfer in
    cease: dt.date | None = None
    cease_reason: int | None = None
    needs: list[str] = field(default_factory=list)
    team: str = ""
    officer: int = 0  # index within the team


@dataclass
class CaseHistory:
    skeleton: Skeleton
    steps: list[Step]
    placements: list[PlacementSpec]
    residential: str = ""
    personal_budget: bool = False


TEAMS = (
    ("Assessment team", "New requests and EHC needs assessments"),
    ("Early years and primary team", "Plans for children up to Year 6"),
    ("Secondary team", "Plans for Years 7 to 11"),
    ("Post-16 team", "Plans for young people over compulsory school age"),
)

NEED_TEXT: dict[str, str] = {
    NeedType.ASD: "Autistic; finds changes of routine and busy rooms very hard",
    NeedType.SEMH: "Anxiety and low mood affect attendance and friendships",
    NeedType.SLCN: "Difficulty understanding spoken instructions and finding words",
    NeedType.MLD: "Learns new skills slowly across all areas of the curriculum",
    NeedType.SLD: "Severe learning difficulty; needs adult support for most tasks",
    NeedType.PMLD: "Profound and multiple learning difficulties with complex health needs",
    NeedType.SPLD: "Dyslexia: reading and spelling well below age expectations",
    NeedType.PD: "Physical disability; uses a wheelchair and needs help with personal care",
    NeedType.HI: "Moderate hearing loss; wears hearing aids",
    NeedType.VI: "Vision impairment; needs enlarged print and a mobility plan",
    NeedType.MSI: "Multi-sensory impairment",
    NeedType.OTH: "A rare genetic condition affecting learning and health",
    NeedType.DS: "Down syndrome",
}

ETHNICITY = {
    "WBRI": 68.0,
    "WIRI": 0.5,
    "WOTH": 5.0,
    "WROM": 0.5,
    "MWBC": 2.5,
    "MWBA": 1.0,
    "MWAS": 1.0,
    "MOTH": 2.5,
    "AIND": 2.5,
    "APKN": 3.5,
    "ABAN": 1.5,
    "BAFR": 3.5,
    "BCRB": 1.5,
    "BOTH": 0.5,
    "CHNE": 0.5,
    "AOTH": 1.5,
    "OOTH": 1.5,
    "WIRT": 0.5,
    "REFU": 0.5,
    "NOBT": 1.5,
}
# First language by ethnicity group (DfE codes): most children with plans speak English first.
LANGUAGES_BY_GROUP = {
    "W": {"ENG": 90.0, "POL": 4.0, "RMN": 2.0, "LIT": 1.5, "BUL": 1.0, "UKR": 1.5},
    "A": {"ENG": 55.0, "URD": 20.0, "PNJ": 10.0, "BNG": 10.0, "GUJ": 5.0},
    "B": {"ENG": 70.0, "SOM": 12.0, "YOR": 6.0, "TIG": 6.0, "ARA": 6.0},
    "C": {"ENG": 60.0, "CHI": 40.0},
    "O": {"ENG": 55.0, "ARA": 20.0, "PRS": 10.0, "KUR": 10.0, "PAS": 5.0},
}
SOCIAL_CARE_TEAMS = {
    "Children with disabilities team": 5.0,
    "Family help team": 3.0,
    "Children in care team": 2.0,
    "Child protection team": 1.0,
}
CONTACT_PREFERENCE = {"email": 55.0, "text": 20.0, "letter": 20.0, "phone": 5.0}


def demo_nhs_number(key: int) -> str:
    """A valid NHS number in the range the NHS keeps for tests (999 000 0000 to 999 999 9999),
    so no demo child ever has a real person's number."""
    body = 999000000 + key * 7 % 999999
    while True:
        digits = f"{body:09d}"
        remainder = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        check = (11 - remainder) % 11
        if check != 10:
            return f"{digits}{check}"
        body += 1


class Council:
    """One synthetic council: `skeletons`, `children`, `settings`, `steps(skeleton)`."""

    def __init__(
        self,
        calibration: Calibration,
        *,
        plans: int,
        seed: int,
        today: dt.date,
        years: int = 8,
    ) -> None:
        if plans < 1:
            raise ValueError("The number of plans must be 1 or more")
        if years < 1:
            raise ValueError("The number of years must be 1 or more")
        self.cal = calibration
        self.plans = plans
        self.seed = seed
        self.today = today
        self.years = years
        self.start = max(add_months(today, -12 * years), EHC_START)
        # Requests start a year earlier, so plans issued in the first year have whole histories.
        self.flow_start = max(add_months(self.start, -12), EHC_START)
        self.la_code = calibration.la_code or "999"
        self.rng = random.Random(f"{seed}/council")
        self.faker = Faker("en_GB")
        self.faker.seed_instance(seed)
        self.children: list[ChildSpec] = []
        self.skeletons: list[Skeleton] = []
        self.settings: list[SettingSpec] = []
        self._settings_by: dict[tuple[str, str], list[int]] = {}
        self._mix_cache: dict[int, dict[int, dict[str, float]]] = {}
        # Review timeliness is a quota over the whole council: expand histories in order.
        self._rq = Quota(random.Random(f"{seed}/reviews"))
        # So are the shares of decisions disputed and of each way a dispute goes.
        self._aq = Quota(random.Random(f"{seed}/appeals"))
        self._last_opened: dict[int, dt.date] | None = None  # by child, see _asked_again
        self._endings = CategoryQuota(random.Random(f"{seed}/appeal-endings"))
        self._calendar = statutory.default_calendar()
        self._last_decision = self.start
        self._reference = self._reference_caseload()
        self._build_register()
        self._simulate()
        self._assign_officers()

    # --- calibrated figures with defaults -----------------------------------------------

    def _caseload(self, year: float) -> float:
        """The target caseload at `year` (2025.0 = January 2025): the published January
        caseloads, scaled so that today's is `plans`."""
        return self.plans * self._published_caseload(year) / self._reference

    def _reference_caseload(self) -> float:
        t = self.today
        return self._published_caseload(t.year + (t.timetuple().tm_yday - 1) / 365.0)

    def _published_caseload(self, year: float) -> float:
        """January caseloads, interpolated; before and after the published years they grow
        at the first and the latest published yearly rate."""
        series = self.cal.caseload
        years = sorted(series)
        first, last = years[0], years[-1]
        if len(years) == 1:
            return series[first]
        if year >= last:
            growth = series[last] / series[last - 1] if last - 1 in series else 1.0
            later: float = series[last] * growth ** (year - last)
            return later
        if year <= first:
            growth = series[first + 1] / series[first] if first + 1 in series else 1.0
            earlier: float = series[first] / growth ** (first - year)
            return earlier
        lo = int(year)
        frac = year - lo
        a, b = series.get(lo, series[first]), series.get(lo + 1, series[last])
        between: float = a * (b / a) ** frac
        return between

    # --- the register of settings -------------------------------------------------------

    def _build_register(self) -> None:
        f, n = self.faker, self.plans
        plan = (
            ("maintained_mainstream", "primary", max(4, n // 30), "Primary School"),
            ("academy", "primary", max(4, n // 30), "Primary Academy"),
            ("maintained_mainstream", "secondary", max(2, n // 150), "High School"),
            ("academy", "secondary", max(2, n // 120), "Academy"),
            ("maintained_special", "all_through", max(2, n // 300), "Special School"),
            ("academy_special", "all_through", max(1, n // 350), "Special Academy"),
            ("independent_special", "all_through", max(2, n // 250), "School"),
            ("non_maintained_special", "all_through", max(1, n // 1500), "School for the Deaf"),
            ("specialist_post16", "post_16", max(1, n // 700), "Specialist College"),
            ("fe_college", "post_16", max(1, n // 800), "College"),
            ("sixth_form", "post_16", max(1, n // 1200), "Sixth Form College"),
            ("pru", "all_through", max(1, n // 1200), "Learning Centre"),
            ("early_years", "early_years", max(2, n // 150), "Nursery"),
        )
        used: set[str] = set()
        urn = itertools.count(900001)
        ukprn = itertools.count(19000001)
        for kind, phase, count, suffix in plan:
            for _ in range(count):
                while True:
                    stem = self.rng.choice(
                        (
                            f.last_name(),
                            f.city_prefix() + f.last_name().lower(),
                            f.street_name().split()[0],
                        )
                    )
                    name = f"{stem} {suffix}"
                    if name not in used:
                        used.add(name)
                        break
                post16 = phase == "post_16"
                spec = SettingSpec(
                    key=len(self.settings),
                    name=name,
                    urn="" if kind in ("fe_college", "specialist_post16") else str(next(urn)),
                    ukprn=str(next(ukprn)) if post16 or phase == "secondary" else "",
                    kind=kind,
                    phase=phase,
                    postcode=f.postcode(),
                    resourced=kind in ("maintained_mainstream", "academy")
                    and self.rng.random() < 0.2,
                    sen_unit=kind in ("maintained_mainstream", "academy")
                    and self.rng.random() < 0.1,
                )
                self.settings.append(spec)
                self._settings_by.setdefault((kind, phase), []).append(spec.key)

    def _age_mix(self, year: int, age: int) -> dict[str, float]:
        """The setting mix for an age in a census year: DfE's mix by age (published for
        recent years only), raked so that over this council's children of each age it
        gives the year's published overall mix."""
        if year not in self._mix_cache:
            self._mix_cache[year] = self._rake(year)
        return self._mix_cache[year].get(age) or self.cal.at("setting_mix", year)

    def _census_ages(self, year: int) -> Counter[int]:
        day = dt.date(year, 1, 15)
        ages: Counter[int] = Counter()
        for s in self.skeletons:
            if (
                s.plan_start is not None
                and s.plan_start <= day
                and (s.cease is None or s.cease > day)
            ):
                ages[min(max(age_on(self.children[s.child].dob, day), 0), 25)] += 1
        return ages

    def _rake(self, year: int) -> dict[int, dict[str, float]]:
        cal = self.cal
        by_age = cal.setting_mix_by_age
        overall = cal.at("setting_mix", year)
        if not by_age:
            return {}
        ref = min(by_age, key=lambda y: (abs(y - year), -y))
        mixes = {a: dict(m) for a, m in by_age[ref].items()}
        ages = self._census_ages(min(year, self.today.year))
        total = sum(ages.values())
        if not total:
            return mixes
        for _ in range(8):
            implied: Counter[str] = Counter()
            for a, n in ages.items():
                for t, p in mixes.get(a, overall).items():
                    implied[t] += n * p / total
            for m in mixes.values():
                for t in m:
                    if implied.get(t):
                        m[t] *= overall.get(t, 0.0) / implied[t]
                norm = sum(m.values())
                if norm > 0:
                    for t in m:
                        m[t] /= norm
        return mixes

    def _placement(
        self, rng: random.Random, when: dt.date, dob: dt.date, leaving: dt.date | None
    ) -> PlacementSpec:
        """A placement matching the setting mix for the child's age that school year."""
        age = age_on(dob, dt.date(when.year + (1 if when.month >= 9 else 0), 1, 15))
        age = min(max(age, 0), 25)
        setting_type = _pick(rng, self._age_mix(when.year + (1 if when.month >= 9 else 0), age))
        yg = school_year(dob, when.year if when.month >= 9 else when.year - 1)
        phase = (
            "early_years"
            if yg < 0
            else "primary"
            if yg <= 6
            else "secondary"
            if yg <= 11
            else "post_16"
        )
        kinds: tuple[tuple[str, str], ...]
        resourced = sen_unit = residential = False
        if setting_type in (SettingType.MAINSTREAM, SettingType.RESOURCED):
            school_phase = (
                "secondary"
                if phase == "post_16"
                else "primary"
                if phase == "early_years"
                else phase
            )
            kinds = (("maintained_mainstream", school_phase), ("academy", school_phase))
            if setting_type == SettingType.RESOURCED:
                sen_unit = rng.random() < 0.35
                resourced = not sen_unit
        elif setting_type == SettingType.MAINTAINED_SPECIAL:
            kinds = (("maintained_special", "all_through"), ("academy_special", "all_through"))
        elif setting_type == SettingType.INDEPENDENT_SPECIAL:
            kinds = (
                (("specialist_post16", "post_16"),)
                if phase == "post_16" and rng.random() < 0.5
                else (
                    ("independent_special", "all_through"),
                    ("non_maintained_special", "all_through"),
                )
            )
            residential = rng.random() < 0.1
        elif setting_type == SettingType.FURTHER_EDUCATION:
            kinds = (("fe_college", "post_16"), ("sixth_form", "post_16"))
        elif setting_type == SettingType.EARLY_YEARS:
            kinds = (("early_years", "early_years"),)
        elif setting_type == SettingType.ALTERNATIVE_PROVISION:
            kinds = (("pru", "all_through"),)
        else:
            codes = {
                SENSetting.EHE: 3.0,
                SENSetting.OLA: 2.5,
                SENSetting.OPA: 1.0,
                SENSetting.OTH: 1.0,
                SENSetting.NIEO: 1.0,
            }
            if age >= 16:
                codes[SENSetting.NEET] = 3.0
            code = _pick(rng, codes)
            return PlacementSpec(None, code, SettingType.OTHER, when, leaving)
        options = [k for kind in kinds for k in self._settings_by.get(kind, [])]
        setting = rng.choice(options)
        spec = self.settings[setting]
        from sendcase.placements.models import (
            setting_type_for,  # the generator imports no model at the top: only this step needs Django set up
        )

        return PlacementSpec(
            setting,
            "",
            setting_type_for(spec.kind, resourced=resourced, sen_unit=sen_unit),
            when,
            leaving,
            resourced=resourced,
            sen_unit=sen_unit,
            residential=residential,
        )

    # --- children ----------------------------------------------------------------------

    def _child(self, dob: dt.date) -> int:
        """A new child (names and addresses are added by `_name_children` at the end)."""
        key = len(self.children)
        self.children.append(ChildSpec(key, "", "", dob, "M", "", "", "", "", "", "", "", ""))
        return key

    @staticmethod
    def _whole_person(c: ChildSpec, rng: random.Random) -> None:
        """Language, NHS number, disability, social care and contact preference (a stream of its
        own, so the names and addresses stay what they were)."""
        group = "C" if c.ethnicity == "CHNE" else c.ethnicity[:1]
        c.first_language = _pick(rng, LANGUAGES_BY_GROUP.get(group, {"ENG": 1.0}))
        c.interpreter_needed = c.first_language != "ENG" and rng.random() < 0.3
        c.nhs_number = demo_nhs_number(c.key)
        c.disability = "Y" if rng.random() < 0.4 else "N"
        if rng.random() < 0.18:
            c.known_to_social_care = "Y"
            c.social_care_team = _pick(rng, SOCIAL_CARE_TEAMS)
        if rng.random() < 0.004:
            c.gender = "Non-binary"
        c.preferred_contact = _pick(rng, CONTACT_PREFERENCE)

    def _name_children(self) -> None:
        f, rng = self.faker, random.Random(f"{self.seed}/children")
        person = random.Random(f"{self.seed}/person")
        for c in self.children:
            c.sex = "F" if rng.random() < 0.28 else "M"  # about 7 in 10 with plans are boys
            c.forename = f.first_name_female() if c.sex == "F" else f.first_name_male()
            c.surname = f.last_name()
            # Establishment 9000-9999 and serial from the child's number: unique per child.
            body = (
                f"{self.la_code[:3]:0>3}{9000 + (c.key // 1000) % 1000:04d}"
                f"{c.dob.year % 100:02d}{c.key % 1000:03d}"
            )
            check = "ABCDEFGHJKLMNPQRTUVWXYZ"[
                sum(int(ch) * w for ch, w in zip(body, range(2, 14), strict=True)) % 23
            ]
            mother = rng.random() < 0.75
            c.ethnicity = _pick(rng, ETHNICITY)
            c.address = f"{f.building_number()} {f.street_name()}\n{f.city()}"
            c.postcode = f.postcode()
            c.upn = check + body
            c.parent_name = f.name_female() if mother else f.name_male()
            c.relationship = "Mother" if mother else "Father"
            c.email = f.safe_email()
            # Ofcom's range for drama: 07700 900000 to 900999 is never a real number.
            c.phone = f"07700 900{rng.randint(0, 999):03d}"
            self._whole_person(c, person)

    def _dob_for_age(self, age: int, on: dt.date) -> dt.date:
        """A date of birth that makes the child `age` on `on` (at least 4 months old)."""
        latest = on - dt.timedelta(days=120)
        dob = add_months(on, -12 * age) - _d(self.rng, 1, 364)
        return min(dob, latest)

    # --- phase 1: the calibrated skeleton ----------------------------------------------

    def _simulate(self) -> None:
        """Simulate year by year from a caseload of plans made before the window. Two
        runs: the first finds how big that starting caseload must be for today's to be
        `plans`; the second (same seeds) is the council."""
        legacy = max(1, round(self._caseload(self.flow_start.year + self.flow_start.month / 12)))
        for attempt in range(2):
            self._run(legacy)
            if attempt == 0:
                active = sum(1 for s in self.skeletons if self._active(s))
                legacy = max(1, round(legacy * self.plans / max(active, 1)))
        self._legacy_needs()
        self._name_children()
        self.skeletons.sort(key=lambda s: (s.opened, s.key))
        for n, s in enumerate(self.skeletons):
            s.key = n

    def _run(self, legacy: int) -> None:
        self.rng = random.Random(f"{self.seed}/council")
        self.children, self.skeletons = [], []
        quota = Quota(random.Random(f"{self.seed}/quota"))
        self._timely = TimelinessQuota(random.Random(f"{self.seed}/timely"))
        self._needs_quota = CategoryQuota(random.Random(f"{self.seed}/needs"))
        cease_quota = Quota(random.Random(f"{self.seed}/cease"))
        self._legacy(legacy)
        self._refused: list[tuple[dt.date, int]] = []
        for year in range(self.flow_start.year, self.today.year + 1):
            lo, hi = self._year_span(year)
            if hi < lo:
                continue
            frac = ((hi - lo).days + 1) / 365.0
            active = sum(
                1
                for s in self.skeletons
                if s.plan_start is not None
                and s.plan_start <= lo
                and (s.cease is None or s.cease > lo)
            )
            self._requests(
                quota, year, lo, hi, round(self.cal.at("requests_per_plan", year) * active * frac)
            )
            share = self.cal.at("cease_mix", year).get(int(CeaseReason.TRANSFERRED_LA), 0.0)
            self._transfers_in(
                year, lo, hi, round(self.cal.at("cease_rate", year) * share * active * frac)
            )
            self._cease_year(cease_quota, year, lo, hi)

    def _active(self, s: Skeleton) -> bool:
        return (
            s.plan_start is not None
            and s.plan_start <= self.today
            and (s.cease is None or s.cease > self.today)
        )

    def _year_span(self, year: int) -> tuple[dt.date, dt.date]:
        return max(dt.date(year, 1, 1), self.flow_start), min(dt.date(year, 12, 31), self.today)

    def _requests(self, quota: Quota, year: int, lo: dt.date, hi: dt.date, n: int) -> None:
        rng, cal = self.rng, self.cal
        span = (hi - lo).days
        dates = sorted(lo + dt.timedelta(days=rng.randint(0, span)) for _ in range(n))
        ages = cal.at("request_ages", year)
        refused = self._refused
        for received in dates:
            child = None
            if (
                refused
                and refused[0][0] < received - dt.timedelta(days=120)
                and rng.random() < 0.08
                and age_on(self.children[refused[0][1]].dob, received) < 24
            ):
                child = refused.pop(0)[1]
            if child is None:
                # Nobody asks for a plan that would end at 25 before it could be issued.
                child = self._child(self._dob_for_age(min(_pick(rng, ages), 24), received))
            s = Skeleton(key=len(self.skeletons), child=child, origin="request", opened=received)
            self._assessment(s, quota)
            if not s.assess and s.dta is not None:
                refused.append((s.dta, child))
            self.skeletons.append(s)

    def _assessment(self, s: Skeleton, quota: Quota) -> None:
        """Decision, assessment outcome and the date of the final plan, to the calibrated rates."""
        rng, cal = self.rng, self.cal
        received, year = s.opened, s.opened.year
        on_time_6 = quota.draw(("dta6", year), cal.at("decisions_6_weeks", year))
        s.dta = received + (_d(rng, 12, 42) if on_time_6 else _d(rng, 43, 84))
        s.assess = not quota.draw(("refuse", year), cal.at("not_assess_share", year))
        if not s.assess:
            return
        due = period_end("final_plan", received)
        if quota.draw(("not_issued", due.year), cal.at("not_issued_share", due.year)):
            in_16 = quota.draw(("dnti16", due.year), cal.at("not_issue_16_weeks", due.year))
            s.not_issued = received + (_d(rng, 80, 112) if in_16 else _d(rng, 113, 200))
            s.not_issued = max(s.not_issued, s.dta + dt.timedelta(days=28))
            return
        earliest = (s.dta - received).days + 45
        soon = min(140, max(earliest, int(rng.triangular(max(earliest, 90), 141, 136))))
        late = max(141 + int(rng.expovariate(1 / 75.0)), earliest)
        # Exceptions and timeliness are counted in the year the plan is issued, as DfE does.
        y = (received + dt.timedelta(days=soon)).year
        s.exception = quota.draw(("exception", y), cal.at("exception_share", y))
        on_time = self._timely.choose(
            (received + dt.timedelta(days=soon)).year,
            (received + dt.timedelta(days=late)).year,
            s.exception,
            lambda year: self._on_time_share(year, s.exception),
        )
        days = soon if on_time else late
        s.final = received + dt.timedelta(days=min(days, 560))
        s.plan_start = s.final
        year = s.final.year
        mix = (
            self.cal.need_mix_new[year]
            if year in self.cal.need_mix_new
            else self.cal.at("need_mix_all", year + 1)
        )
        s.needs = self._needs(mix, ("new", year))

    def _on_time_share(self, year: int, exception: bool) -> float:
        """The share issued within 20 weeks among plans with (or without) an exception, so
        that both the published rates, with and without exceptions, come out."""
        cal = self.cal
        within: float = cal.at("within_20_weeks", year)
        within_ex: float = cal.at("within_20_weeks_ex", year)
        share: float = cal.at("exception_share", year)
        if not exception:
            return float(within_ex)
        if not share:
            return float(within)
        return min(1.0, max(0.0, (within - (1 - share) * within_ex) / share))

    def _needs(self, mix: dict[str, float], key: Any) -> list[str]:
        rng = self.rng
        needs = [self._needs_quota.draw(key, mix)]
        for _ in range(rng.choice((0, 1, 1, 2))):
            other = _pick(rng, mix)
            if other not in needs:
                needs.append(other)
        return needs

    def _transfers_in(self, year: int, lo: dt.date, hi: dt.date, n: int) -> None:
        rng, cal = self.rng, self.cal
        for _ in range(n):
            when = lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))
            age = min(_pick(rng, cal.at("caseload_ages", year)), 23)
            dob = self._dob_for_age(max(age, 3), when)
            last = max(when - _d(rng, 20, 340), dob + dt.timedelta(days=400))
            s = Skeleton(
                key=len(self.skeletons),
                child=self._child(dob),
                origin="transfer_in",
                opened=when,
                plan_start=when,
                last_review=min(last, when),
                needs=self._needs(cal.at("need_mix_all", year + 1), ("all", year)),
            )
            self.skeletons.append(s)

    def _legacy_needs(self) -> None:
        """Needs for plans made before the window, chosen so that all plans today match the
        published mix of all plans: (target x total - the newer plans' needs) / older plans."""
        target = self.cal.at("need_mix_all", self.today.year)
        counts: Counter[str] = Counter()
        legacy = [s for s in self.skeletons if s.origin == "legacy"]
        active_legacy = [s for s in legacy if self._active(s)]
        for s in self.skeletons:
            if s.origin != "legacy" and self._active(s):
                counts[s.needs[0]] += 1
        newer = sum(counts.values())
        total = newer + len(active_legacy)
        left = max(len(active_legacy), 1)
        mix = {k: max(0.0, v * total - counts.get(k, 0.0)) / left for k, v in target.items()}
        if sum(mix.values()) <= 0:
            mix = dict(target)
        quota = CategoryQuota(random.Random(f"{self.seed}/legacy-needs"))
        rng = random.Random(f"{self.seed}/legacy-extra")
        for s in active_legacy:
            s.needs = [quota.draw("active", mix)]
        for s in legacy:
            if not s.needs:
                s.needs = [quota.draw("ceased", target)]
            extra = _pick(rng, target)
            if extra != s.needs[0] and rng.random() < 0.6:
                s.needs.append(extra)

    def _legacy(self, n: int) -> None:
        """Plans already maintained when the simulation starts, made since September 2014."""
        rng, cal = self.rng, self.cal
        ages = cal.at("caseload_ages", self.flow_start.year)
        for _ in range(n):
            age = _pick(rng, ages)
            dob = self._dob_for_age(max(age, 2), self.flow_start)
            earliest = max(EHC_START + dt.timedelta(days=150), dob + dt.timedelta(days=500))
            latest = self.flow_start - DAY
            if earliest >= latest:
                earliest = latest - dt.timedelta(days=30)
            final = earliest + dt.timedelta(days=rng.randint(0, (latest - earliest).days))
            within = cal.at("within_20_weeks", final.year)
            days = rng.randint(90, 140) if rng.random() < within else rng.randint(141, 300)
            received = max(final - dt.timedelta(days=days), dob + dt.timedelta(days=120))
            self.skeletons.append(
                Skeleton(
                    key=len(self.skeletons),
                    child=self._child(dob),
                    origin="legacy",
                    opened=received,
                    dta=received + _d(rng, 14, min(42, max(14, (final - received).days - 45))),
                    final=final,
                    plan_start=final,
                )
            )

    # --- ceasing ----------------------------------------------------------------------

    def _cease_year(self, quota: Quota, year: int, lo: dt.date, hi: dt.date) -> None:
        rng, cal = self.rng, self.cal
        hazard = cal.cease_hazard_by_age
        forced: list[tuple[Skeleton, dt.date]] = []
        exposed: list[tuple[Skeleton, float, float]] = []
        for s in self.skeletons:
            if s.cease is not None or s.plan_start is None or s.plan_start > hi:
                continue
            dob = self.children[s.child].dob
            last_day = _birthday(dob, 26) - DAY
            begin = max(lo, s.plan_start)
            if last_day <= hi:
                forced.append((s, max(begin, last_day - _d(rng, 0, 90))))
                continue
            exposure = ((hi - begin).days + 1) / 365.0
            mid = begin + (hi - begin) / 2
            exposed.append((s, exposure, hazard.get(min(age_on(dob, mid), 25), 1.0)))
        total_exposure = sum(e for _, e, _ in exposed) + len(forced) * 0.5
        expected = cal.at("cease_rate", year) * total_exposure
        # "Reached maximum age": young people of 24 and 25 whose plans end, oldest first,
        # as many as the published mix asks for (beyond those who turn 26 this year).
        mix = cal.at("cease_mix", year)
        at_max = round(mix.get(int(CeaseReason.MAXIMUM_AGE), 0.0) * expected) - len(forced)
        if at_max > 0:
            year_end = dt.date(year, 12, 31)
            oldest = sorted(
                (x for x in exposed if age_on(self.children[x[0].child].dob, year_end) >= 24),
                key=lambda x: self.children[x[0].child].dob,
            )[:at_max]
            taken = {id(x[0]) for x in oldest}
            exposed = [x for x in exposed if id(x[0]) not in taken]
            for s, _, _ in oldest:
                dob = self.children[s.child].dob
                last = min(hi, _birthday(dob, 26) - DAY)
                begin = max(lo, s.plan_start + dt.timedelta(days=60)) if s.plan_start else lo
                if begin <= last:
                    forced.append(
                        (s, begin + dt.timedelta(days=rng.randint(0, (last - begin).days)))
                    )
        weighted = sum(e * h for _, e, h in exposed)
        wanted = expected - len(forced)
        base = wanted / weighted if weighted > 0 and wanted > 0 else 0.0
        for s, when in forced:
            s.cease = when
            s.cease_reason = int(CeaseReason.MAXIMUM_AGE)
        chosen = [s for s, e, h in exposed if quota.draw(("cease", year), min(0.95, base * e * h))]
        self._reasons(year, chosen, len(forced))
        for s in chosen:
            self._cease_date(s, year, lo, hi)
        for s, _ in forced:
            if s.cease is not None and s.plan_start is not None and s.cease <= s.plan_start:
                # Issued in the last days before the young person turned 26: it still ends.
                s.cease = s.plan_start + DAY

    def _reasons(self, year: int, chosen: list[Skeleton], forced: int) -> None:
        """Give each ceasing plan a reason the young person's age allows, matching the mix."""
        rng = self.rng
        mix = self.cal.at("cease_mix", year)
        n = len(chosen) + forced
        quota = {r: mix.get(r, 0.0) * n for r in range(1, 10)}
        quota[int(CeaseReason.MAXIMUM_AGE)] -= forced
        min_age = {1: 24, 3: 17, 4: 16, 6: 16}
        mid = dt.date(year, 7, 1)

        def eligible(s: Skeleton) -> list[int]:
            age = age_on(self.children[s.child].dob, mid)
            return [r for r in range(1, 10) if age >= min_age.get(r, 0) and mix.get(r, 0.0) > 0]

        options = {s.key: eligible(s) for s in chosen}
        order = sorted(chosen, key=lambda s: (len(options[s.key]), rng.random()))
        for s in order:
            allowed = options[s.key] or [int(CeaseReason.NEEDS_MET)]
            weights = {r: max(quota[r], 0.0) for r in allowed}
            if sum(weights.values()) <= 0:
                weights = {r: mix.get(r, 0.0) + 1e-9 for r in allowed}
            r = _pick(rng, weights)
            quota[r] -= 1
            s.cease_reason = r

    def _cease_date(self, s: Skeleton, year: int, lo: dt.date, hi: dt.date) -> None:
        rng = self.rng
        if not (s.plan_start is not None):
            raise RuntimeError("demo history out of order: s.plan_start is not None")
        begin = max(lo, s.plan_start + dt.timedelta(days=60))
        last = min(hi, _birthday(self.children[s.child].dob, 26) - DAY)
        if begin > last:
            s.cease, s.cease_reason = None, None
            return
        if s.cease_reason in (1, 3, 4, 6):
            summer_lo, summer_hi = max(begin, dt.date(year, 7, 1)), min(last, dt.date(year, 9, 30))
            if summer_lo <= summer_hi:
                begin, last = summer_lo, summer_hi
        s.cease = begin + dt.timedelta(days=rng.randint(0, (last - begin).days))

    # --- officers and teams ---------------------------------------------------------------

    def team_for(self, s: Skeleton) -> str:
        end = s.cease or self.today
        if s.plan_start is None or s.plan_start > self.today:
            return TEAMS[0][0]
        yg = school_year(self.children[s.child].dob, end.year if end.month >= 9 else end.year - 1)
        return TEAMS[1][0] if yg <= 6 else TEAMS[2][0] if yg <= 11 else TEAMS[3][0]

    def _is_open(self, s: Skeleton) -> bool:
        if s.plan_start is not None:
            return s.plan_start > self.today or s.cease is None or s.cease > self.today
        if not s.assess:
            return s.dta is None or s.dta > self.today
        if s.not_issued is not None:
            return s.not_issued > self.today
        return True

    def _assign_officers(self) -> None:
        open_by_team: dict[str, list[Skeleton]] = {name: [] for name, _ in TEAMS}
        closed: list[Skeleton] = []
        for s in self.skeletons:
            s.team = self.team_for(s)
            (open_by_team[s.team] if self._is_open(s) else closed).append(s)
        self.officers = {name: _officers_for(len(cases)) for name, cases in open_by_team.items()}
        rng = random.Random(f"{self.seed}/officers")
        for name, cases in open_by_team.items():
            rng.shuffle(cases)
            for n, s in enumerate(cases):
                s.officer = n % self.officers[name]
        for s in closed:
            s.officer = rng.randrange(self.officers[s.team])

    # --- phase 2: the steps of one case ---------------------------------------------------

    def history(self, s: Skeleton) -> CaseHistory:
        """Every step of the case up to today, in the order an officer would record them."""
        rng = random.Random(
            int.from_bytes(
                hashlib.blake2b(f"{self.seed}/{s.key}/{s.opened}".encode(), digest_size=8).digest(),
                "big",
            )
        )
        child = self.children[s.child]
        steps: list[tuple[dt.date, int, str, dict[str, Any]]] = []
        seq = itertools.count()

        def add(name: str, when: dt.date, **kwargs: Any) -> None:
            steps.append((when, next(seq), name, kwargs))

        placements: list[PlacementSpec] = []
        if s.origin == "transfer_in":
            if not (s.last_review is not None and s.plan_start is not None):
                raise RuntimeError(
                    "demo history out of order: s.last_review is not None and s.plan_start is not None"
                )
            add(
                "record_transfer_in",
                s.opened,
                transferred_on=s.opened,
                last_review=s.last_review,
                from_la_code="998",
                from_la_name="Another council",
                needs=self._need_list(s.needs),
            )
            notice = s.opened + (_d(rng, 7, 42) if rng.random() < 0.9 else _d(rng, 43, 70))
            add("record_transfer_in_notice", notice, notice_on=notice)
        else:
            self._assessment_steps(rng, s, child, add)
        end = min(s.cease or self.today, self.today)
        if s.plan_start is not None and s.plan_start <= self.today:
            self._plan_life(rng, s, child, add, placements, end)
        steps.sort(key=lambda t: (t[0], t[1]))
        last = min(self.today, s.cease) if s.cease is not None else self.today
        out = [(name, when, kwargs) for when, _, name, kwargs in steps if when <= last]
        appeals = self._appeals(s, out)
        if appeals:  # after the other steps of the same day
            merged = sorted(
                [(when, n, name, kw) for n, (name, when, kw) in enumerate(out)]
                + [(when, len(out) + n, name, kw) for n, (name, when, kw) in enumerate(appeals)],
                key=lambda t: (t[0], t[1]),
            )
            out = [(name, when, kw) for when, _, name, kw in merged]
            # A plan issued after an order (the case had none): its placement from the plan's start.
            issued = [when for name, when, _ in appeals if name == "record_final_plan"]
            if issued and not placements:
                placements.append(
                    self._placement(
                        random.Random(f"{self.seed}/after-order-placement/{s.key}"),
                        issued[0],
                        child.dob,
                        None,
                    )
                )
        residential = ""
        if any(p.residential for p in placements):
            residential = "B" if rng.random() < 0.35 else "A"
        personal_budget = rng.random() < 0.06
        _name_the_setting(out, placements, personal_budget)
        self._amendments(out, child, s.needs)
        return CaseHistory(s, out, placements, residential, personal_budget)

    def _amendments(self, steps: list[Step], child: ChildSpec, needs: list[str]) -> None:
        """The content of each proposed amendment: the plan as it stands (a plan transferred in
        holds only its needs, so it is written out in full), with section I empty (judged as a
        draft), and, for a child in Year 9 or above by the final amended plan, outcomes and
        provision that prepare for adulthood. The final amended plan then takes the proposed
        amendments, with section I from the child's current placement."""
        current: PlanContent | None = None
        for i, (name, when, kw) in enumerate(steps):
            if name in ("record_draft_plan", "record_final_plan") and "content" in kw:
                current = kw["content"]
            elif name == "record_amendment_notice":
                final = next(
                    (w for n, w, _ in steps[i + 1 :] if n == "record_final_amended_plan"), when
                )
                if current is None:
                    current = self._plan_content(
                        random.Random(f"{self.seed}/transferred/{child.dob}/{child.forename}"),
                        child,
                        needs,
                        final,
                    )
                if in_year_9_or_above(child.dob, final):
                    current = with_adulthood(current)
                kw["content"] = current = current.without_setting()

    # --- mediation and tribunal appeals -------------------------------------------------

    def _appeals(self, s: Skeleton, steps: list[Step]) -> list[Step]:
        """Disagreements after the case's appealable decisions, one at a time, each as the steps
        of casework.domain.appeals, up to today. A plan's appeal (other than about ceasing it)
        is only started if it would end before the plan does."""
        notices = appealable_decisions(steps)
        if not notices:
            return []
        rng = random.Random(f"{self.seed}/appeal/{s.key}/{s.opened}")
        out: list[Step] = []
        free = dt.date.min  # one disagreement at a time: the next starts after the last ends
        for notice in sorted(notices):
            kind = notices[notice]
            if notice < free:
                continue
            if kind != "cease" and s.cease is not None and notice + LONGEST_APPEAL >= s.cease:
                continue
            if not self._aq.draw(("dispute", kind), DISPUTE_RATES[kind]):
                continue
            if kind == "cease" and not self._may_continue(s):
                continue
            if kind in REOPENING and self._asked_again(s):
                # A family who asked for a new assessment did not also appeal the old decision:
                # an order would reopen the old case beside the new one, and a child has one
                # plan at a time.
                continue
            appeal = self._after_order(s, notice, self._appeal(rng, notice, kind))
            free = max(step[1] for step in appeal) + DAY
            out.extend(step for step in appeal if step[1] <= self.today)
        return out

    def _asked_again(self, s: Skeleton) -> bool:
        """Whether the child has a later case (a new request after this one was refused)."""
        if self._last_opened is None:
            self._last_opened = {}
            for o in self.skeletons:
                if o.opened > self._last_opened.get(o.child, dt.date.min):
                    self._last_opened[o.child] = o.opened
        return self._last_opened[s.child] > s.opened

    def _may_continue(self, s: Skeleton) -> bool:
        """Whether a family would appeal the decision to cease the plan: not when the young
        person reached the age limit, nor when an order to continue it would keep the plan
        active (to today, as the demo has no later cease) past their 26th birthday."""
        if s.cease_reason == int(CeaseReason.MAXIMUM_AGE):
            return False
        return add_months(self.children[s.child].dob, 26 * 12) > self.today

    def _after_order(self, s: Skeleton, notice: dt.date, appeal: list[Step]) -> list[Step]:
        """The case going on after an order (or concession) to assess or to make a plan, which
        reopens it for assessment (appeals.record_tribunal_decision): for an assessment, advice
        asked for and received; the draft plan and the final plan on the dates the order's
        stages are complied with (the final plan the same day as its stage, just before it), or
        the decision not to issue one. The plan then lives on with its annual reviews until the
        day before the young person turns 26, if that has come (reason: maximum age). An order
        to continue a ceased plan needs no step of its own (the action reinstates the plan, and
        no cease_plan follows it); the kept plan is reviewed each year from then on."""
        rng = random.Random(f"{self.seed}/after-order/{s.key}/{notice}")
        continued = [
            when
            for name, when, kw in appeal
            if name == "record_order_complied" and kw["_kind"] == "continue"
        ]
        if continued:
            # The plan the tribunal kept goes on being reviewed each year, the first review
            # due a year after the decision to cease it (none is left years overdue).
            reviews = self._reviews_after(
                rng, continued[0], period_end("annual_review_meeting", notice)
            )
            return _by_date(appeal, reviews)
        complied = {
            kw["stage"]: when
            for name, when, kw in appeal
            if name == "record_order_complied" and kw["_kind"] in ("assess", "make_plan")
        }
        if not complied:
            return appeal
        child = self.children[s.child]
        drawn = str(rng.choice(sorted(NEED_TEXT)))  # drawn always, so histories repeat
        if not s.needs:  # a refused request: the plan's needs are first known now
            s.needs = [drawn]
        needs = s.needs
        extra: list[Step] = []
        start = complied.get("notify")
        end = complied.get("final_plan") or complied.get("decision_not_to_issue")
        if start is not None and end is not None:  # an assessment, as the order requires
            for n, (kind, provider) in enumerate(
                (
                    (AdviceKind.EDUCATIONAL_PSYCHOLOGY, "Educational psychology service"),
                    (AdviceKind.EDUCATION, "The child's school or setting"),
                ),
                start=1,
            ):
                asked = start + _d(rng, 0, 5)
                aid = f"{kind}-{n}"
                extra.append(
                    (
                        "record_advice_requested",
                        asked,
                        {
                            "kind": str(kind),
                            "provider": provider,
                            "requested_on": asked,
                            "advice_id": aid,
                        },
                    )
                )
                got = min(asked + _d(rng, 14, 42), end - dt.timedelta(days=16))
                if got >= asked:
                    extra.append(
                        ("record_advice_received", got, {"advice_id": aid, "received_on": got})
                    )
        if "decision_not_to_issue" in complied:
            on = complied["decision_not_to_issue"]
            extra.append(("record_decision_not_to_issue", on, {"decided_on": on}))
        else:
            final = complied.get("final_plan") or complied.get("final")
            draft = complied.get("draft")
            if draft is None and final is not None and start is not None:
                draft = max(final - _d(rng, 15, 35), start + DAY)
            if (
                draft is None
                or final is None
                or final <= period_end("draft_comments_window", draft)
            ):
                raise RuntimeError("demo history out of order: no room for the draft plan")
            extra.append(
                (
                    "record_draft_plan",
                    draft,
                    {
                        "issued_on": draft,
                        "content": self._plan_content(rng, child, needs, final),
                    },
                )
            )
            extra.append(("record_final_plan", final, {"issued_on": final}))
            # A plan ends the day before the young person turns 26 at the latest, as every
            # other demo plan does; until then it is reviewed each year.
            last_day = _birthday(child.dob, 26) - DAY
            if last_day <= self.today:
                end = max(last_day, final + DAY)
                extra.append(
                    (
                        "cease_plan",
                        end,
                        {
                            "cease_date": end,
                            "reason": int(CeaseReason.MAXIMUM_AGE),
                            "import_mode": True,
                        },
                    )
                )
            else:
                extra.extend(
                    self._reviews_after(rng, final, period_end("annual_review_meeting", final))
                )
        return _by_date(appeal, extra)

    def _reviews_after(self, rng: random.Random, after: dt.date, due: dt.date) -> list[Step]:
        """The annual reviews of a plan that goes on after an order, up to today: the first
        held about when `due` says (or soon after the order, if that is later), each next one
        within a year of the last meeting, as for every other plan."""
        out: list[Step] = []

        def add(name: str, when: dt.date, **kw: Any) -> None:
            out.append((name, when, kw))

        last = after
        due = max(due, after + _d(rng, 30, 75))
        while True:
            meeting = max(due - _d(rng, 0, 40), last + DAY)
            if meeting > self.today:
                return out
            self._review(rng, add, meeting, self._rq, self.cal, None, earliest=after + DAY)
            last = self._last_decision
            due = period_end("annual_review_meeting", meeting)

    def _appeal(self, rng: random.Random, notice: dt.date, kind: str) -> list[Step]:
        """One disagreement about the decision notified on `notice`, to its end."""
        q, working = self._aq, self._calendar.add_working_days
        registered = q.draw("registered", REGISTERED)
        mediation = q.draw("mediation", ASK_MEDIATION)
        school = (
            kind == "contents" and registered and not mediation and q.draw("school", SCHOOL_ONLY)
        )
        out: list[Step] = []
        if school:  # an appeal only about the school or college named needs no certificate
            lodged = min(notice + _d(rng, 14, 55), period_end("appeal_window", notice))
            out.append(
                ("record_appeal_registered", lodged, {"registered_on": lodged, "notice_on": notice})
            )
        else:
            told = notice + _d(rng, 5, 30)
            out.append(
                (
                    "record_mediation_decision",
                    told,
                    {"notice_on": notice, "decided_on": told, "wants_mediation": mediation},
                )
            )
            if mediation:  # held within 30 days of the request (reg 37), a few later
                held = told + (_d(rng, 10, 30) if rng.random() < 0.9 else _d(rng, 31, 45))
                out.append(("record_mediation_held", held, {"held_on": held}))
                issued = working(held, rng.randint(0, 3))
            else:
                issued = working(told, rng.randint(1, 3))
            # the certificate within 3 working days (regs 34 and 39)
            out.append(("record_mediation_certificate", issued, {"issued_on": issued}))
            window = max(
                period_end("appeal_window", notice),
                period_end("appeal_window/after_certificate", issued),
            )
            if not registered:  # they said so, or the time to appeal ran out
                ended = min(issued + _d(rng, 3, 30), window) if rng.random() < 0.5 else window
                out.append(("record_no_appeal", ended, {"decided_on": ended}))
                return out
            lodged = min(issued + _d(rng, 3, 28), window)
            out.append(
                ("record_appeal_registered", lodged, {"registered_on": lodged, "notice_on": notice})
            )
        ending = self._endings.draw("ending", ENDINGS)
        if ending == "withdrawn":
            outcome, order, on = "withdrawn", "", lodged + _d(rng, 30, 180)
        elif ending == "conceded":  # before the council's response is due
            outcome, on = "conceded", lodged + _d(rng, 20, 42)
            order = "" if school else CONCEDED_FOR.get(kind, "")
        else:  # a hearing 4 to 10 months after registration
            on = lodged + _d(rng, 120, 300)
            upheld = q.draw("upheld", UPHELD)
            outcome = "upheld" if upheld else "dismissed"
            order = ("setting" if school else ORDER_FOR[kind]) if upheld else ""
        out.append(
            (
                "record_tribunal_decision",
                on,
                {"decided_on": on, "outcome": outcome, "order_kind": order},
            )
        )
        if not order:
            return out
        on_time = q.draw("order_on_time", ORDER_ON_TIME)
        stages = ORDER_STAGES[order]
        if order == "assess" and rng.random() < 0.1:  # assessed, then not to issue a plan
            stages = ("notify", "decision_not_to_issue")
        table = f"unopposed_appeal/{order}" if outcome == "conceded" else f"tribunal_order_{order}"
        done = on
        for n, stage in enumerate(stages):
            due = period_end(table, on, stage=stage)
            if n == len(stages) - 1 and not on_time:
                when = due + _d(rng, 1, 42)
            else:
                when = due - _d(rng, 0, min((due - on).days, 10))
            done = max(when, done)
            out.append(
                (
                    "record_order_complied",
                    done,
                    {
                        "complied_on": done,
                        "stage": stage,
                        # not arguments of the action: which event it writes (see step_events)
                        "_kind": order,
                        "_conceded": outcome == "conceded",
                    },
                )
            )
        return out

    def _need_list(self, needs: list[str]) -> list[tuple[str, str]]:
        return [(code, NEED_TEXT.get(code, "")) for code in needs]

    def _plan_content(
        self, rng: random.Random, child: ChildSpec, needs: list[str], final: dt.date
    ) -> PlanContent:
        """The draft's content: the structured plan for these needs (plan_content), with the
        child's words and the health and social care text drawn as before."""
        text = self._sections(rng, child, needs)
        content = lawful_content(
            list(dict.fromkeys(needs)),
            name=child.forename,
            child_views=text["A"],
            from_year_9=in_year_9_or_above(child.dob, final),
            rng=random.Random(f"{self.seed}/plan/{child.dob}/{child.forename}"),
        )
        no_health = text["C"].startswith("No ")
        no_care = text["D"].startswith("No ")
        return replace(
            content,
            health_needs="" if no_health else text["C"],
            no_health_needs=no_health,
            social_care_needs="" if no_care else text["D"],
            no_social_care_needs=no_care,
        )

    def _sections(self, rng: random.Random, child: ChildSpec, needs: list[str]) -> dict[str, str]:
        name = child.forename
        primary = NeedType(needs[0]).label.lower()
        return {
            "A": f"{name} likes {rng.choice(('drawing', 'football', 'animals', 'music', 'computers', 'swimming', 'Lego'))} and wants to {rng.choice(('make friends', 'read on their own', 'go to college', 'work with animals', 'feel calm at school'))}.",
            "B": f"{name}'s main need is {primary}.",
            "C": rng.choice(
                (
                    "No health needs related to SEN.",
                    "Sees the community paediatrician yearly.",
                    "Has epilepsy, well controlled.",
                )
            ),
            "D": rng.choice(
                (
                    "No social care needs.",
                    "Family receive short breaks.",
                    "Known to the disabled children's team.",
                )
            ),
            "E": f"By the end of the key stage {name} will {rng.choice(('read simple texts', 'manage transitions with support', 'communicate needs to adults', 'travel independently to school'))}.",
            "F": rng.choice(
                (
                    "Small-group literacy 3 times a week.",
                    "Daily 1:1 support for 15 hours.",
                    "Speech and language programme delivered by a trained assistant.",
                )
            ),
            "G": rng.choice(
                (
                    "None.",
                    "Speech and language therapy: 6 sessions a term.",
                    "Occupational therapy review each year.",
                )
            ),
            "H1": "None.",
            "H2": rng.choice(("None.", "Short breaks: 2 weekends a month.")),
            "I": "As named in the current placement.",
            "J": "No personal budget requested.",
            "K": "Advice from the educational psychologist, health, social care and the school.",
        }

    def _assessment_steps(
        self, rng: random.Random, s: Skeleton, child: ChildSpec, add: Any
    ) -> None:
        received = s.opened
        age = age_on(child.dob, received)
        source = int(
            _pick(
                rng,
                {
                    RequestSource.PARENT_OR_YOUNG_PERSON: 55,
                    RequestSource.EDUCATION_SETTING: 35,
                    RequestSource.HEALTH: 5,
                    RequestSource.SOCIAL_CARE: 3,
                    RequestSource.OTHER: 2,
                },
            )
        )
        young_person = (
            age >= 16 and source == RequestSource.PARENT_OR_YOUNG_PERSON and rng.random() < 0.5
        )
        requester = (
            child.parent_name
            if source == RequestSource.PARENT_OR_YOUNG_PERSON and not young_person
            else (
                f"{child.forename} {child.surname}"
                if young_person
                else {
                    2: "The school SENCo",
                    3: "Community paediatrician",
                    4: "Children's social care",
                    5: "Family support worker",
                }[source]
            )
        )
        add(
            "open_case_from_request",
            received,
            received_on=received,
            source=source,
            requester_name=requester,
            young_person_request=young_person,
        )
        if not (s.dta is not None):
            raise RuntimeError("demo history out of order: s.dta is not None")
        add(
            "record_decision_to_assess",
            s.dta,
            decided_on=s.dta,
            outcome="assess" if s.assess else "not_assess",
        )
        if not s.assess:
            return
        end = s.final or s.not_issued or (received + dt.timedelta(days=150))
        draft = None
        if s.final is not None:
            draft = max(s.final - _d(rng, 15, 35), s.dta + dt.timedelta(days=10))
            # the final plan after the draft's comments window (Reg 13(1))
            window = period_end("draft_comments_window", draft) - draft + DAY
            if draft > s.final - window:
                draft = s.final - window
        limit = (draft or end) - DAY
        kinds = (
            (AdviceKind.EDUCATIONAL_PSYCHOLOGY, "Educational psychology service"),
            (AdviceKind.HEALTH, "Community paediatrics (NHS)"),
            (AdviceKind.SOCIAL_CARE, "Children's social care"),
            (AdviceKind.EDUCATION, "The child's school or setting"),
        )
        for n, (kind, provider) in enumerate(kinds, start=1):
            if kind == AdviceKind.SOCIAL_CARE and rng.random() < 0.3:
                continue
            asked = s.dta + _d(rng, 0, 5)
            got = asked + (_d(rng, 14, 42) if rng.random() < 0.85 else _d(rng, 43, 90))
            if got > limit and limit >= asked + dt.timedelta(days=7):
                got = limit
            aid = f"{kind}-{n}"
            add(
                "record_advice_requested",
                asked,
                kind=str(kind),
                provider=provider,
                requested_on=asked,
                advice_id=aid,
            )
            add("record_advice_received", got, advice_id=aid, received_on=got)
        if s.exception:
            start = received + _d(rng, 20, 110)
            reason = (
                "exceptional_personal_circumstances" if rng.random() < 0.6 else "absence_from_area"
            )
            stop = start + _d(rng, 28, 70)
            why = (
                "The family told us of a serious illness at home and asked for the assessment to pause."
                if reason == "exceptional_personal_circumstances"
                else "The family were abroad for more than four weeks."
            )
            add(
                "record_exception",
                start,
                reason=reason,
                start=start,
                end=stop,
                why=why,
                applies_to="",
            )
        if s.not_issued is not None:
            add("record_decision_not_to_issue", s.not_issued, decided_on=s.not_issued)
            return
        if draft is not None and s.final is not None:
            add(
                "record_draft_plan",
                draft,
                issued_on=draft,
                content=self._plan_content(rng, child, s.needs, s.final),
            )
            add("record_final_plan", s.final, issued_on=s.final)

    def _plan_life(
        self,
        rng: random.Random,
        s: Skeleton,
        child: ChildSpec,
        add: Any,
        placements: list[PlacementSpec],
        end: dt.date,
    ) -> None:
        if not (s.plan_start is not None):
            raise RuntimeError("demo history out of order: s.plan_start is not None")
        cal = self.cal
        start = s.plan_start
        # Placements: the first at the plan's start, a new one at each phase transfer.
        placements.append(self._placement(rng, start, child.dob, None))
        cease_review: dt.date | None = None
        if s.cease is not None and s.cease_reason not in (5, 7, 8):
            candidate = s.cease - _d(rng, 60, 120)
            if candidate > start + dt.timedelta(days=30):
                cease_review = candidate
        # Annual reviews
        if s.origin == "transfer_in":
            if not (s.last_review is not None):
                raise RuntimeError("demo history out of order: s.last_review is not None")
            due = transfer_in_review_due(start, s.last_review)
        else:
            due = period_end("annual_review_meeting", start)
        last_decision = start
        review_quota = self._rq
        while True:
            late = rng.random() < 0.15
            meeting = due + _d(rng, 1, 100) if late else due - _d(rng, 0, 50)
            meeting = max(meeting, last_decision + DAY)
            if meeting >= end or (
                cease_review is not None and meeting >= cease_review - dt.timedelta(days=45)
            ):
                break
            if s.cease is not None and meeting >= s.cease - dt.timedelta(days=260):
                break  # its decision and amendments would come after the plan ends
            self._review(rng, add, meeting, review_quota, cal, None)
            decision = self._last_decision
            last_decision = decision
            due = period_end("annual_review_meeting", meeting)
        if cease_review is not None and cease_review > last_decision:
            self._review(rng, add, cease_review, review_quota, cal, "cease", s.cease)
        # Phase transfers: September moves into Reception, Year 3 (some), Year 7 and Year 12.
        for sept in range(start.year, self.today.year + 2):
            yg = school_year(child.dob, sept)
            if yg not in (0, 3, 7, 12) or (yg == 3 and rng.random() > 0.2):
                continue
            move = dt.date(sept, 9, 1)
            noted = max(dt.date(sept - 1, 9, 20), start) + _d(rng, 0, 30)
            if s.cease is not None and s.cease <= move:
                continue
            if noted >= end or noted >= move:
                continue
            kind = "post16" if yg == 12 else "school"
            add("record_phase_transfer", noted, transfer_date=move, kind=kind)
            due_on = period_end("phase_transfer" if kind == "school" else "post16_transfer", move)
            named = due_on - _d(rng, 0, 75) if rng.random() < 0.85 else due_on + _d(rng, 1, 90)
            named = max(named, noted + DAY)
            new = self._placement(rng, move, child.dob, None)
            if named <= self.today:
                add("record_phase_transfer_named", named, named_on=named, setting=new.setting)
            if move <= end:
                placements[-1].leaving = move - DAY
                placements.append(new)
        if s.cease is not None and s.cease <= self.today:
            # a historic cease (import mode: the demo writes past ceases by date and reason)
            add("cease_plan", s.cease, cease_date=s.cease, reason=s.cease_reason, import_mode=True)
            for p in placements:
                if p.leaving is None:
                    p.leaving = s.cease
        # placements are kept inside the plan's dates and up to today
        placements[:] = [p for p in placements if p.entry <= end]

    def _review(
        self,
        rng: random.Random,
        add: Any,
        meeting: dt.date,
        quota: Quota,
        cal: Calibration,
        outcome: str | None,
        latest: dt.date | None = None,
        earliest: dt.date | None = None,
    ) -> None:
        invited = meeting - (_d(rng, 14, 35) if rng.random() < 0.9 else _d(rng, 4, 13))
        if earliest is not None:
            # a plan reinstated or first issued after an order: nothing is sent before it
            invited = max(invited, earliest)
        add("record_review_invitations_sent", invited, sent_on=invited)
        add("record_review_advice_circulated", invited, sent_on=invited)
        add("record_review_meeting", meeting, meeting_on=meeting)
        report = meeting + (_d(rng, 1, 14) if rng.random() < 0.85 else _d(rng, 15, 40))
        if latest is not None:
            report = min(report, latest - DAY)
        add("record_review_report", report, sent_on=report)
        in_time = quota.draw(("review4", meeting.year), cal.at("review_4_weeks", meeting.year))
        decided = meeting + (_d(rng, 3, 28) if in_time else _d(rng, 29, 130))
        decided = max(decided, report)
        if latest is not None:
            decided = min(decided, latest - DAY)
        if decided > period_end("review_decision", meeting) and in_time:
            decided = period_end("review_decision", meeting)
        if outcome is None:
            shares = cal.at("review_outcomes", meeting.year)
            amend = shares.get("amend", 0.6) / max(
                shares.get("amend", 0.6) + shares.get("maintain", 0.4), 1e-9
            )
            outcome = "amend" if rng.random() < amend else "maintain"
        add("record_review_decision", decided, decided_on=decided, outcome=outcome)
        self._last_decision = decided
        if outcome == "amend":
            add("record_amendment_notice", decided, issued_on=decided)
            final = decided + (_d(rng, 15, 56) if rng.random() < 0.8 else _d(rng, 57, 120))
            add("record_final_amended_plan", final, issued_on=final)
            self._last_decision = final

    # --- the whole council ----------------------------------------------------------------

    def histories(self) -> Iterator[CaseHistory]:
        for s in self.skeletons:
            yield self.history(s)


def _by_date(appeal: list[Step], extra: list[Step]) -> list[Step]:
    """The appeal's steps and what followed, in date order; on the same day the step that
    followed the order (a plan, a decision) comes before the appeal's step."""
    merged = sorted(
        [(when, 1, n, name, kw) for n, (name, when, kw) in enumerate(appeal)]
        + [(when, 0, n, name, kw) for n, (name, when, kw) in enumerate(extra)],
        key=lambda t: (t[0], t[1], t[2]),
    )
    return [(name, when, kw) for when, _, _, name, kw in merged]


def clock_events(steps: list[Step]) -> list[dict[str, Any]]:
    """The statutory events the steps write, in the clock's vocabulary (for validation)."""
    out: list[dict[str, Any]] = []
    notices: set[dt.date] = set()
    for name, _when, kw in steps:
        out.extend(e for e in step_events(name, kw) if one_notice_a_day(notices, e))
    return out


def _name_the_setting(steps: list[Step], placements: list[PlacementSpec], budget: bool) -> None:
    """A final plan's content: the draft's, with section I naming the type of the setting the
    child is placed in (or about to start at), and section J when there is a personal budget."""
    drafted: PlanContent | None = None
    for name, when, kw in steps:
        if name == "record_draft_plan":
            drafted = kw["content"]
            if budget:
                kw["content"] = drafted = replace(
                    drafted,
                    personal_budget=BUDGET_TEXT,
                    personal_budget_amount=BUDGET_AMOUNT,
                )
        elif name == "record_final_plan" and drafted is not None:
            # the placement current that day (else the first: the one the plan starts with)
            current = [p for p in placements if p.entry <= when] or placements[:1]
            kind = current[-1].setting_type if current else SettingType.OTHER
            kw["content"] = replace(drafted, setting_type=kind)


def appealable_decisions(steps: list[Step]) -> dict[dt.date, str]:
    """The decisions the steps notify with appeal rights, by notice date: the decision type
    (Appeal.DecisionType) that appeals.decision_type_on answers with for that day."""
    notices: dict[dt.date, str] = {}
    for name, _when, kw in steps:
        kind = None
        if name == "record_decision_to_assess" and kw["outcome"] != "assess":
            kind, on = "not_assess", kw["decided_on"]
        elif name == "record_decision_not_to_issue":
            kind, on = "not_issue", kw["decided_on"]
        elif name in ("record_final_plan", "record_final_amended_plan"):
            kind, on = "contents", kw["issued_on"]
        elif name == "record_review_decision" and kw["outcome"] in ("maintain", "cease"):
            kind = "amend" if kw["outcome"] == "maintain" else "cease"
            on = kw["decided_on"]
        if kind is not None and (
            on not in notices or DECISION_ORDER.index(kind) < DECISION_ORDER.index(notices[on])
        ):
            notices[on] = kind
    return notices


def one_notice_a_day(seen: set[dt.date], event: dict[str, Any]) -> bool:
    """Whether to keep this event: the actions write at most one decision_notice a day for a case
    (kernel.decision_notice), as every decision notified that day has the same appeal window."""
    if event["type"] != "decision_notice":
        return True
    if event["date"] in seen:
        return False
    seen.add(event["date"])
    return True


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """As kernel.write_event stores data: dates as ISO strings, empty values dropped."""
    return {
        k: (v.isoformat() if isinstance(v, dt.date) else v)
        for k, v in data.items()
        if v not in (None, "")
    }


def step_events(name: str, kw: dict[str, Any]) -> list[dict[str, Any]]:
    """The StatutoryEvent rows (type, date, data) one step writes, as the action function does."""

    def ev(type_: str, date: dt.date, **data: Any) -> dict[str, Any]:
        return {"type": type_, "date": date, "data": _clean(data)}

    if name == "open_case_from_request":
        return [ev("request_received", kw["received_on"])]
    if name == "record_transfer_in":
        return [ev("transfer_in", kw["transferred_on"], last_review=kw["last_review"])]
    if name == "record_decision_to_assess":
        out = [ev("decision_to_assess", kw["decided_on"], outcome=kw["outcome"])]
        if kw["outcome"] != "assess":
            out.append(ev("decision_notice", kw["decided_on"]))
        return out
    if name == "record_advice_requested":
        return [
            ev("advice_requested", kw["requested_on"], advice_id=kw["advice_id"], kind=kw["kind"])
        ]
    if name == "record_advice_received":
        return [ev("advice_received", kw["received_on"], advice_id=kw["advice_id"])]
    if name == "record_exception":
        return [
            ev(
                "exception",
                kw["start"],
                reason=kw["reason"],
                start=kw["start"],
                end=kw["end"],
                applies_to=kw.get("applies_to", ""),
            )
        ]
    if name == "record_decision_not_to_issue":
        return [
            ev("decision_not_to_issue", kw["decided_on"]),
            ev("decision_notice", kw["decided_on"]),
        ]
    if name == "record_draft_plan":
        return [ev("draft_issued", kw["issued_on"])]
    if name == "record_final_plan":
        return [ev("final_issued", kw["issued_on"]), ev("decision_notice", kw["issued_on"])]
    if name == "record_review_meeting":
        return [ev("review_meeting", kw["meeting_on"])]
    if name == "record_review_decision":
        out = [ev("review_decision", kw["decided_on"], outcome=kw["outcome"])]
        if kw["outcome"] != "amend":
            out.append(ev("decision_notice", kw["decided_on"]))
        return out
    if name == "record_amendment_notice":
        return [ev("amendment_notice", kw["issued_on"])]
    if name == "record_final_amended_plan":
        return [
            ev("final_amended_plan", kw["issued_on"]),
            ev("decision_notice", kw["issued_on"]),
        ]
    if name == "record_phase_transfer":
        return [ev("phase_transfer", kw["transfer_date"], kind=kw["kind"])]
    if name == "record_phase_transfer_named":
        return [ev("phase_transfer_named", kw["named_on"])]
    if name == "cease_plan":
        return [ev("cease_decision", kw["cease_date"], reason=kw["reason"])]
    if name == "record_review_invitations_sent":
        return [ev("review_invitations_sent", kw["sent_on"])]
    if name == "record_review_advice_circulated":
        return [ev("review_advice_circulated", kw["sent_on"])]
    if name == "record_review_report":
        return [ev("review_report", kw["sent_on"])]
    if name == "record_transfer_in_notice":
        return [ev("transfer_in_notice", kw["notice_on"])]
    if name == "record_mediation_decision":
        wants = "mediation_requested" if kw["wants_mediation"] else "mediation_declined"
        return [ev(wants, kw["decided_on"])]
    if name == "record_mediation_held":
        return [ev("mediation_held", kw["held_on"])]
    if name == "record_mediation_certificate":
        return [ev("mediation_certificate", kw["issued_on"])]
    if name == "record_appeal_registered":
        return [ev("appeal_lodged", kw["registered_on"])]
    if name == "record_no_appeal":
        return []
    if name == "record_tribunal_decision":
        if not kw.get("order_kind") or kw["outcome"] not in ("upheld", "conceded"):
            return []
        kind_event = "unopposed_appeal" if kw["outcome"] == "conceded" else "tribunal_order"
        return [ev(kind_event, kw["decided_on"], kind=kw["order_kind"])]
    if name == "record_order_complied":
        complied = "unopposed_appeal_complied" if kw["_conceded"] else "tribunal_order_complied"
        return [ev(complied, kw["complied_on"], kind=kw["_kind"], stage=kw["stage"])]
    raise ValueError(f"Unknown step {name}")


def action_arguments(kw: dict[str, Any]) -> dict[str, Any]:
    """A step's arguments for its action function (without the keys that only say which event
    it writes, which start with an underscore)."""
    return {k: v for k, v in kw.items() if not k.startswith("_")}


def validate(history: CaseHistory) -> None:
    """Raise statutory.ClockInputError if the clock would refuse this history."""
    raw = [
        {"type": e["type"], "date": e["date"].isoformat(), **e["data"]}
        for e in clock_events(history.steps)
    ]
    statutory.parse_events(raw)


__all__ = [
    "APPEAL_STEPS",
    "TEAMS",
    "CaseHistory",
    "ChildSpec",
    "Council",
    "PlacementSpec",
    "SettingSpec",
    "Skeleton",
    "action_arguments",
    "age_on",
    "appealable_decisions",
    "clock_events",
    "one_notice_a_day",
    "school_year",
    "step_events",
    "validate",
]
