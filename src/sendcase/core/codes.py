"""Code lists shared across the product: SEN2's, and the statutory clock's vocabulary.

Labels are the words a case officer sees; codes are what DfE's SEN2 return uses.
"""

from __future__ import annotations

import re

from django.db import models

# A unique pupil number: a letter, 11 digits, then a check letter or digit. A unique learner
# number: 10 digits. (Used by the SEN2 checks and by the form that corrects a child's details.)
UPN_FORMAT = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")
ULN_FORMAT = re.compile(r"^\d{10}$")


class RequestSource(models.IntegerChoices):
    PARENT_OR_YOUNG_PERSON = 1, "Young person or parent"
    EDUCATION_SETTING = 2, "School or other education setting"
    HEALTH = 3, "Health"
    SOCIAL_CARE = 4, "Social care"
    OTHER = 5, "Other"


class NeedType(models.TextChoices):
    SPLD = "SPLD", "Specific learning difficulty"
    MLD = "MLD", "Moderate learning difficulty"
    SLD = "SLD", "Severe learning difficulty"
    PMLD = "PMLD", "Profound and multiple learning difficulty"
    SEMH = "SEMH", "Social, emotional and mental health"
    SLCN = "SLCN", "Speech, language and communication needs"
    HI = "HI", "Hearing impairment"
    VI = "VI", "Vision impairment"
    MSI = "MSI", "Multi-sensory impairment"
    PD = "PD", "Physical disability"
    ASD = "ASD", "Autistic spectrum disorder"
    DS = "DS", "Down syndrome"
    OTH = "OTH", "Other difficulty or disability"


class CeaseReason(models.IntegerChoices):
    MAXIMUM_AGE = 1, "Reached maximum age"
    NEEDS_MET = 2, "Needs met without a plan"
    HIGHER_EDUCATION = 3, "Moved on to higher education"
    EMPLOYMENT = 4, "Paid employment (excluding apprenticeships)"
    TRANSFERRED_LA = 5, "Transferred to another local authority in England"
    NOT_ENGAGING = 6, "No longer engaging in education or training"
    MOVED_OUTSIDE_ENGLAND = 7, "Moved outside England"
    DECEASED = 8, "Deceased"
    OTHER = 9, "Other"


class SENSetting(models.TextChoices):
    """SEN2 SENsetting: used only where no setting with a URN or UKPRN is named."""

    OLA = "OLA", "Other arrangements made by the local authority"
    OPA = "OPA", "Other arrangements made by parents"
    EHE = "EHE", "Elective home education"
    EYP = "EYP", "Early-years provider with no URN"
    OTH = "OTH", "Other"
    NEET = "NEET", "Not in education, employment or training"
    NIEC = "NIEC", "Not in education: notice to cease issued"
    NIEO = "NIEO", "Not in education: other"


class PlanResidential(models.TextChoices):
    A = "A", "Residential 38 to 51 weeks"
    B = "B", "Residential 52 weeks"


class AdviceKind(models.TextChoices):
    EDUCATIONAL_PSYCHOLOGY = "educational_psychology", "Educational psychology"
    HEALTH = "health", "Health"
    SOCIAL_CARE = "social_care", "Social care"
    EDUCATION = "education", "Education"
    OTHER = "other", "Other"


class ExceptionReason(models.TextChoices):
    """Exceptions to the time limits (Regs 5(4), 8(2), 10(4), 13(3))."""

    INSTITUTION_CLOSURE = (
        "institution_closure",
        "The school or college was closed for 4 weeks or more",
    )
    EXCEPTIONAL_PERSONAL_CIRCUMSTANCES = (
        "exceptional_personal_circumstances",
        "Exceptional personal circumstances of the child, parent or young person",
    )
    ABSENCE_FROM_AREA = "absence_from_area", "Away from the area for 4 weeks or more"
    MISSED_APPOINTMENT = "missed_appointment", "Did not keep an appointment (advice only)"


class ReviewOutcome(models.TextChoices):
    MAINTAIN = "maintain", "Maintain the plan"
    AMEND = "amend", "Amend the plan"
    CEASE = "cease", "Cease the plan"


class SettingType(models.TextChoices):
    """The setting types DfE's caseload tables report on."""

    MAINSTREAM = "mainstream", "Mainstream school"
    RESOURCED = "resourced", "Resourced provision or SEN unit"
    MAINTAINED_SPECIAL = "maintained_special", "Maintained special school"
    INDEPENDENT_SPECIAL = "independent_special", "Independent or non-maintained special school"
    FURTHER_EDUCATION = "further_education", "Further education"
    EARLY_YEARS = "early_years", "Early years"
    ALTERNATIVE_PROVISION = "alternative_provision", "Alternative provision or pupil referral unit"
    OTHER = "other", "Other"


class Phase(models.TextChoices):
    EARLY_YEARS = "early_years", "Early years"
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"
    ALL_THROUGH = "all_through", "All-through"
    POST_16 = "post_16", "Post-16"


class Ethnicity(models.TextChoices):
    """DfE's ethnicity codes (the main list used by the school census, SEN2 and Annex A)."""

    WBRI = "WBRI", "White – British"
    WIRI = "WIRI", "White – Irish"
    WIRT = "WIRT", "White – Traveller of Irish heritage"
    WROM = "WROM", "White – Gypsy or Roma"
    WOTH = "WOTH", "White – any other White background"
    MWBC = "MWBC", "Mixed – White and Black Caribbean"
    MWBA = "MWBA", "Mixed – White and Black African"
    MWAS = "MWAS", "Mixed – White and Asian"
    MOTH = "MOTH", "Mixed – any other mixed background"
    AIND = "AIND", "Asian or Asian British – Indian"
    APKN = "APKN", "Asian or Asian British – Pakistani"
    ABAN = "ABAN", "Asian or Asian British – Bangladeshi"
    AOTH = "AOTH", "Asian or Asian British – any other Asian background"
    BCRB = "BCRB", "Black or Black British – Caribbean"
    BAFR = "BAFR", "Black or Black British – African"
    BOTH = "BOTH", "Black or Black British – any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class Language(models.TextChoices):
    """DfE's first-language codes (school census): the ones most often met in England, with the
    codes for "believed to be", "refused" and "not obtained". A language not listed is recorded
    as OTL (other language) until its code is added here."""

    ENG = "ENG", "English"
    ENB = "ENB", "Believed to be English"
    OTB = "OTB", "Believed to be other than English"
    AKA = "AKA", "Akan (Twi-Fante)"
    ALB = "ALB", "Albanian (Shqip)"
    AMR = "AMR", "Amharic"
    ARA = "ARA", "Arabic"
    BNG = "BNG", "Bengali"
    BSL = "BSL", "British Sign Language"
    BUL = "BUL", "Bulgarian"
    BMA = "BMA", "Burmese (Myanmar)"
    CHI = "CHI", "Chinese"
    CZE = "CZE", "Czech"
    DUT = "DUT", "Dutch (Flemish)"
    FRN = "FRN", "French"
    GER = "GER", "German"
    GRE = "GRE", "Greek"
    GUJ = "GUJ", "Gujarati"
    HIN = "HIN", "Hindi"
    HGR = "HGR", "Hungarian"
    IGB = "IGB", "Igbo"
    ITA = "ITA", "Italian"
    JPN = "JPN", "Japanese"
    KOR = "KOR", "Korean"
    KUR = "KUR", "Kurdish"
    LTV = "LTV", "Latvian"
    LIT = "LIT", "Lithuanian"
    MLM = "MLM", "Malayalam"
    NEP = "NEP", "Nepali"
    PNJ = "PNJ", "Panjabi"
    PAS = "PAS", "Pashto (Pakhto)"
    PRS = "PRS", "Persian (Farsi)"
    POL = "POL", "Polish"
    POR = "POR", "Portuguese"
    RMN = "RMN", "Romanian"
    ROM = "ROM", "Romany (English Romanes)"
    RUS = "RUS", "Russian"
    SCB = "SCB", "Serbian, Croatian or Bosnian"
    SHO = "SHO", "Shona"
    SIN = "SIN", "Sinhala"
    SLO = "SLO", "Slovak"
    SOM = "SOM", "Somali"
    SPA = "SPA", "Spanish"
    SWA = "SWA", "Swahili (Kiswahili)"
    TAG = "TAG", "Tagalog (Filipino)"
    TAM = "TAM", "Tamil"
    TEL = "TEL", "Telugu"
    THA = "THA", "Thai"
    TIG = "TIG", "Tigrinya"
    TUR = "TUR", "Turkish"
    UKR = "UKR", "Ukrainian"
    URD = "URD", "Urdu"
    VIE = "VIE", "Vietnamese"
    CYM = "CYM", "Welsh (Cymraeg)"
    YOR = "YOR", "Yoruba"
    OTL = "OTL", "Other language"
    REF = "REF", "Refused"
    NOT = "NOT", "Information not obtained"


class UPNUnknown(models.TextChoices):
    """SEN2's UPNunknown: why a child has no UPN (the UN codes)."""

    UN1 = "UN1", "Aged under 6 and not yet given a UPN"
    UN2 = "UN2", "Never attended a state school in England and never given a UPN"
    UN3 = "UN3", "Educated outside England and never given a UPN"
    UN5 = "UN5", "The records disagree on name or date of birth, so the UPN cannot be matched"
    UN8 = "UN8", "New to the council and the UPN is not yet known"
    UN9 = "UN9", "Finished compulsory education in England and the UPN is not known"
    UN10 = "UN10", "The request ended before the UPN was known"
