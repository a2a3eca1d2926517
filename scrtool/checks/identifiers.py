"""UK identifiers as they are written, and the rules that confirm each one.

- NHS numbers by their modulus 11 check digit; National Insurance numbers by HMRC's
  allowed prefixes.
- Postcodes by their shape and by the real list of postcode areas (``schemas/
  postcode-areas.txt``, with its source), so "P1 1AA" is not one and "GIR 0AA" is.
- Phone numbers by Ofcom's number ranges, as Google's libphonenumber (``phonenumbers``)
  records them, and Ofcom's ranges reserved for drama (07700 900xxx and the like),
  which documents and training material use in place of real numbers.
"""

from __future__ import annotations

import functools
import re

from scrtool.resources import schema_path

POSTCODE_AREAS_FILE = "postcode-areas.txt"


@functools.lru_cache(maxsize=1)
def postcode_areas() -> frozenset[str]:
    """The postcode areas (one or two letters) of ``schemas/postcode-areas.txt``."""
    text = schema_path(POSTCODE_AREAS_FILE).read_text(encoding="utf-8")
    return frozenset(
        line.split("#", 1)[0].strip().upper()
        for line in text.splitlines()
        if line.split("#", 1)[0].strip()
    )


def postcode_valid(text: str) -> bool:
    """A postcode whose area exists (the letters before the district's first digit)."""
    if re.search(r"\d(?:st|nd|rd|th)$", text):
        return False  # "S47 1st visit": section 47 shorthand and an ordinal, in lower case
    squeezed = re.sub(r"[\s\u00a0]", "", text).upper()
    if squeezed == "GIR0AA":
        return True
    area = re.match(r"[A-Z]+", squeezed)
    return area is not None and area.group(0) in postcode_areas()


#: Ofcom's numbers for drama (TV, radio, books, training), never given to anyone.
_DRAMA = re.compile(
    r"^(?:07700900\d{3}|01632960\d{3}|0207946[01]\d{3}|01(?:1[3-8]|21|31|41|51|61)4960\d{3}"
    r"|01914980\d{3}|02896496\d{3}|02920180\d{3}|03069990\d{3}|08081570\d{3}|09098790\d{3})$"
)


@functools.lru_cache(maxsize=4096)
def phone_valid(national: str) -> bool:
    """A UK number (0 and 9 or 10 digits) in a range Ofcom has given out, or in one of
    its ranges for drama."""
    if _DRAMA.match(national):
        return True
    import phonenumbers

    try:
        number = phonenumbers.parse(national, "GB")
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number_for_region(number, "GB"))


def identifier_key(text: str) -> str:
    """A number, postcode or email as compared with the allow list: no spaces or dashes,
    one case, +44 as 0."""
    key = re.sub(r"[\s\u00a0\-()]", "", text).casefold()
    if key.startswith("+44"):
        key = "0" + key[3:]
    elif key.startswith("0044"):
        key = "0" + key[4:]
    return key.replace("0(0)", "0")


def nhs_number_valid(digits: str) -> bool:
    """The NHS number's modulus 11 check digit."""
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == int(digits[9])


# Each identifier's expression without its leading boundary: the scanner joins them
# into one expression behind a single ``(?<!\w)``, so the text is read once for all.
_NHS = r"(\d{3})[ \u00a0-]?(\d{3})[ \u00a0-]?(\d{4})(?![\w/]|[.,]\d)"
NHS_RE = re.compile(rf"(?<![\w/.,£$-]){_NHS}")

_NI_FIRST = "A-CEGHJ-PR-TW-Z"
_NI_SECOND = "A-CEGHJ-NPR-TW-Z"
_NI = (
    r"(?!BG|GB|KN|NK|NT|TN|ZZ|bg|gb|kn|nk|nt|tn|zz)"
    rf"(?:[{_NI_FIRST}][{_NI_SECOND}]|[{_NI_FIRST.lower()}][{_NI_SECOND.lower()}])"
    r"[ \u00a0]?\d{2}[ \u00a0]?\d{2}[ \u00a0]?\d{2}[ \u00a0]?[A-Da-d](?!\w)"
)
NI_RE = re.compile(rf"(?<![\w]){_NI}")

_PC_OUT = (
    r"(?:[A-PR-UWYZ][0-9][0-9]?"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
)
_PC_IN = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_POSTCODE = rf"(?:{_PC_OUT}[ \u00a0]?{_PC_IN}|(?i:{_PC_OUT}[ \u00a0]{_PC_IN})|GIR ?0AA)(?![\w])"
POSTCODE_RE = re.compile(rf"(?<![\w]){_POSTCODE}")

# A number may end at "/" only before one or two digits ("07700 900123/4", another
# ending) or another number ("07700 900123/07700 900456"), never before a year or a code.
_PHONE_END = r"(?!\w)(?!/(?!\d{1,2}(?![\w/])|0))"
_PHONE = (
    r"(?:(?:\+|00)[ \u00a0]?44[ \u00a0\-]?(?:\(0\)[ \u00a0\-]?)?|\(?0)"
    rf"\d(?:[ \u00a0\-\)\(]{{0,2}}\d){{6,12}}{_PHONE_END}"
)
# Not inside a word, a decimal or an address: "." only after a letter ("Mob.07700 ..."),
# "/" only after a digit (the second of two numbers).
PHONE_RE = re.compile(rf"(?<![\w+-])(?<!(?<![A-Za-z])\.)(?<!(?<!\d)/){_PHONE}")
#: A reference's label before a number: "case number", "crime no.", "ref:". A phone
#: number's own label ("phone number", "the mother's number") is not one.
_PHONE_SKIP_BEFORE = re.compile(
    r"(?:ref|reference|crime|case|incident|log|invoice|order|account|nhs)"
    r"\s*(?:no\.?|number|num\.?|#)?\s*[:.]?\s*$",
    re.IGNORECASE,
)

# The domain ends in a top-level domain of letters (".uk", ".org"): "6.@5.A5.B70F8", bytes
# of a binary file read as text, is no address.
EMAIL_RE = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+'-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,63}(?![A-Za-z0-9-])"
)

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DATE = (
    r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"
    r"|\d{4}-\d{2}-\d{2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTHS}(?:\.?,?\s+\d{{4}})?"
    rf"|{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?)"
)
_DOB_WORDS = r"(?i:born|d\.?o\.?b\b\.?|date\s+of\s+birth|birth\s*date|birthday)"
#: A date soon after the keyword, in the same sentence.
_DATE_AFTER = re.compile(rf"[^.!?;\n\x00]{{0,60}}?(?<![\w])({_DATE})(?![\w])", re.IGNORECASE)
#: A date just before "(DOB)".
_DATE_BEFORE = re.compile(rf"(?<![\w])({_DATE})\s*[(,\-]?\s*$", re.IGNORECASE)
DOB_RE = re.compile(
    rf"(?:\b{_DOB_WORDS}[^.!?;\n\x00]{{0,60}}?(?<![\w])({_DATE})(?![\w])"
    rf"|(?<![\w])({_DATE})\s*\(?\s*(?:\(|,|-)?\s*(?:DOB|D\.O\.B\.?|date\s+of\s+birth)\b)",
    re.IGNORECASE,
)

_STREET_WORDS = (
    r"(?:Road|Rd|Street|St|Avenue|Ave|Close|Lane|Ln|Drive|Dr|Way|Crescent|Cres|Court|Ct"
    r"|Place|Pl|Gardens|Gdns|Terrace|Terr|Grove|Walk|Mews|Rise|Square|Sq|Hill|Row|Parade"
    r"|View|Vale|Gate|Wharf|Yard|Boulevard|Green|Park|Wynd|Croft|Chase|Meadows|Fields)"
)
_ADDRESS = (
    r"\d{1,4}[A-Za-z]?(?:\s*[-–]\s*\d{1,4}[A-Za-z]?)?,?[ \u00a0]+"
    r"(?P<street>(?:[A-Z][A-Za-z'’-]+[ \u00a0]+){1,3})"
    rf"{_STREET_WORDS}\.?(?![\w])"
)
ADDRESS_RE = re.compile(rf"(?<![\w£$.,/:-]){_ADDRESS}")
_POSSESSIVE = r"(?:['’]s\b|s['’](?!\w)|['’](?!\w))?"
_TITLE_BEFORE = re.compile(r"(?<!\w)(?:Mr|Mrs|Ms|Miss|Mx|Dr|Master)\.?\s+$", re.IGNORECASE)


# Python's regular expressions run fastest when they start with a set of characters, so
# the identifiers are found in three passes that each start so: from any digit (NHS, NI,
# phone, address, postcode, all of which hold one), from "+" or "(" (phones written
# +44 or (01632)), and from b or d (the words before a date of birth). A hit's start is
# then checked, and the identifier confirmed, with its full expression above.
_DIGIT_SCAN = re.compile(
    r"\d(?<!\d\d)(?:"
    r"(?P<nhs>\d\d[ \u00a0-]?\d{3}[ \u00a0-]?\d{4}(?![\w/]|[.,]\d))"
    r"|(?P<ni>\d[ \u00a0]?\d\d[ \u00a0]?\d\d[ \u00a0]?[A-Da-d](?!\w))"
    rf"|(?P<phone>(?<=0)\d(?:[ \u00a0\-\)\(]{{0,2}}\d){{6,14}}{_PHONE_END})"
    r"|(?P<address>\d{0,3}[A-Za-z]?(?:\s*[-–]\s*\d{1,4}[A-Za-z]?)?,?[ \u00a0]+"
    r"(?P<street>(?:[A-Z][A-Za-z'’-]+[ \u00a0]+){1,3})"
    rf"{_STREET_WORDS}\.?(?![\w]))"
    r"|(?P<postcode>[A-Za-z0-9]?[ \u00a0]?\d[A-Za-z]{2}(?!\w))"
    r")"
)
_PLUS_SCAN = re.compile(
    r"\+[ \u00a0]?44[ \u00a0\-]?(?:\(0\)[ \u00a0\-]?)?\d(?:[ \u00a0\-\)\(]{0,2}\d){6,12}"
    rf"{_PHONE_END}|\(0\d(?:[ \u00a0\-\)\(]{{0,2}}\d){{6,12}}{_PHONE_END}"
)
_DOB_SCAN = re.compile(
    r"[bBdD](?:(?<=[bB])(?i:orn|irth\s*date|irthday)\b"
    r"|(?<=[dD])(?i:\.?o\.?b\b\.?|ate\s+of\s+birth\b))"
)


_ADDRESS_SKIP_BEFORE = re.compile(
    r"(?:section|s\.|para(?:graph)?|page|p\.|article|rule|regulation|reg\.|chapter|part"
    r"|schedule|table|figure|appendix|annex|step|stage|recommendation|finding|item|no\."
    r"|number|version|aged?|over|about|around|some|than)\s*$",
    re.IGNORECASE,
)
#: Institutions that look like a street ("the 2 Family Court hearings").
_NOT_STREETS = frozenset(
    ("family court", "crown court", "county court", "high court", "magistrates court",
     "magistrates' court", "youth court", "coroner's court", "coroners court", "appeal court",
     "supreme court", "civil court", "criminal court", "district court", "juvenile court")
)  # fmt: skip
_NOT_STREET_NAMES = """
    children's childrens safe year years week weeks month months day days hour hours minute minutes point points
    step steps stage stages key per percent times new
    monday tuesday wednesday thursday friday saturday sunday
    child children mother father parent parents sibling siblings family families carer carers
    baby grandmother grandfather stepfather stepmother partner practitioner practitioners
"""
_ADDRESS_NOT_NAME = frozenset(_NOT_STREET_NAMES.split())
_MONTH_NAMES = """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
"""
_MONTH_WORDS = frozenset(_MONTH_NAMES.split())


_NHS_NOT_AFTER = frozenset("/.,£$-")


def phone_may_start(text: str, start: int) -> bool:
    """Whether a phone number may start at ``text[start]`` after what comes before it, as
    ``PHONE_RE`` says: not inside a word or after "+", "-" or "("; after "." only when a
    letter comes before that ("Mob.07700 900123", not a decimal); after "/" only when a
    digit does (the second of "07700 900123/07700 900456", not an address or a path)."""
    before = text[start - 1 : start] if start > 0 else ""
    if not before:
        return True
    if before.isalnum() or before == "_" or before in "+-(":
        return False
    earlier = text[start - 2 : start - 1] if start > 1 else ""
    if before == ".":
        return earlier.isalpha()
    if before == "/":
        return earlier.isdigit()
    return True


_ADDRESS_NOT_AFTER = frozenset("£$.,/:-")


#: Words that say the number after them is an organisation's line, not a person's.
_ORGANISATION = (
    r"(?:switchboard|help[ -]?line|advice[ -]line|freephone|contact[ -]cent(?:re|er)"
    r"|duty[ -]team|out[ -]of[ -]hours(?:[ -]service)?|front[ -]door|reception"
    r"|customer[ -]services?)"
)
# The label before the number, in the same line or the cell or paragraph before it
# ("Council switchboard | 01632 960000", "Tel (switchboard): ...", "Switchboard
# telephone number: ...", "call the switchboard, 01632 ...").
_ORGANISATION_LINE = re.compile(
    rf"{_ORGANISATION}(?:'s)?\)?(?:[ \u00a0]+(?:number|no\.?|telephone|tel\.?|phone)){{0,2}}"
    r"[\s\x00|]*(?:is|on|:|,|-|–|\()?[\s\x00|]*(?:on[ \u00a0]+)?$",
    re.IGNORECASE,
)
#: Or just after it: "01632 960000 (switchboard)".
_ORGANISATION_AFTER = re.compile(
    rf"[ \u00a0]*[(,–-][ \u00a0]*(?:the[ \u00a0]+)?{_ORGANISATION}\b", re.I
)


def organisation_line(text: str, start: int, number: str) -> bool:
    """Is the phone number at ``text[start]`` an organisation's line: a non-geographic
    03 or 08 number (only organisations have them), or one written as a switchboard or
    helpline? Such a number is shown as low, not high. A mobile number (07) is a
    person's whatever the words before it say."""
    national = identifier_key(number)
    if national.startswith("07"):
        return False
    if national.startswith(("03", "08")):
        return True
    if _ORGANISATION_LINE.search(text, max(0, start - 60), start) is not None:
        return True
    end = start + len(number)
    return _ORGANISATION_AFTER.match(text, end, min(len(text), end + 40)) is not None


def _phone_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The longest leading run of digit groups that is a possible UK number, if any."""
    before = text[max(0, start - 30) : start]
    if _PHONE_SKIP_BEFORE.search(before):
        return None
    candidate = text[start:end]
    best = None
    digits = ""
    for i, ch in enumerate(candidate):
        if ch.isdigit():
            digits += ch
            national = digits
            if national.startswith("0044"):
                national = "0" + national[4:]
            elif national.startswith("44") and candidate.lstrip().startswith("+"):
                national = "0" + national[2:]
            if candidate[:i].count("(0)") and national.startswith("00"):
                national = national[1:]
            nxt = candidate[i + 1] if i + 1 < len(candidate) else ""
            if not nxt.isdigit() and _possible_uk(national) and phone_valid(national):
                best = i + 1
    if best is None:
        return None
    return start, start + best


def _possible_uk(national: str) -> bool:
    if not national.startswith("0") or len(national) not in (10, 11):
        return False
    second = national[1]
    if second not in "12378":
        return False
    return not (second in "237" and len(national) != 11)


def _plain_word(word: str) -> str:
    """A word as the lists hold it: lower case, no possessive ("Mother's" is "mother")."""
    word = word.casefold().replace("’", "'").strip("'")
    return word[:-2] if word.endswith("'s") else word


def _address_ok(text: str, hit: re.Match[str]) -> bool:
    before = text[max(0, hit.start() - 20) : hit.start()]
    if _ADDRESS_SKIP_BEFORE.search(before):
        return False
    number = re.match(r"\d+", hit.group(0))
    if number is not None and len(number.group(0)) == 4 and 1800 <= int(number.group(0)) < 2100:
        return False  # a year: "2017 Mental Health Green Paper", "2023 Complete Green"
    words = hit.group("street").split()
    if any(_plain_word(w) in _ADDRESS_NOT_NAME for w in words):
        return False  # a review's words ("4 Mother's View")
    street = hit.group(0).split()[-1].rstrip(".")
    if _plain_word(words[0]) in _MONTH_WORDS and (len(words) > 1 or street in ("Dr", "St")):
        # A date before a name: "12 May Dr Okafor", "21 March Great Ormond Street" (but
        # "12 May Road" is an address).
        return False
    return f"{words[-1]} {street}".casefold().replace("’", "'") not in _NOT_STREETS
