"""Deciding whether two ways of writing an organisation's name mean the same organisation.

People write "Northshire Police", "Northshire Police Force", "NORTHSHIRE POLICE." and
"Northshire Constabulary" for one force. The rule, in order:

1. Compare lower case, with "&" read as "and", apostrophes dropped and every other
   punctuation mark read as a space.
2. Leave out words that only say what kind of body it is: "the", "force", "service",
   "services", "department", "team", "ltd", "limited", "plc", "NHS". "Constabulary" is
   read as "police", "Children's" as "children". The short forms "ICB", "CCG", "CSC", "LSCB" and "FT" are read as the words
   they stand for ("integrated care board"...).
3. The names match when the words left are the same, or when every word of the shorter
   name (at least two words) is in the longer one, so "Northshire Police" matches
   "Northshire Police Public Protection Unit". A single word ("Northshire") never matches
   on its own.

The rule leans towards a match: for independence a false alarm costs a second look, a
missed link costs the review's credibility.
"""

from __future__ import annotations

import re
import unicodedata

FILLER_WORDS = frozenset(
    {
        "the",
        "force",
        "service",
        "services",
        "department",
        "dept",
        "team",
        "ltd",
        "limited",
        "plc",
        "nhs",
    }
)
SYNONYMS = {"constabulary": "police", "centre": "center", "childrens": "children"}
#: Short forms people write for the bodies in a review, read as the words they stand for.
ABBREVIATIONS = {
    "icb": ("integrated", "care", "board"),
    "ccg": ("clinical", "commissioning", "group"),
    "csc": ("children", "social", "care"),
    "lscb": ("local", "safeguarding", "children", "board"),
    "ft": ("foundation", "trust"),
}


def organisation_words(name: str) -> tuple[str, ...]:
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    text = text.casefold().replace("&", " and ")
    text = re.sub(r"['\u2019`]", "", text)
    text = re.sub(r"[^0-9a-z]+", " ", text)
    words = [x for w in text.split() for x in ABBREVIATIONS.get(w, (SYNONYMS.get(w, w),))]
    kept = [w for w in words if w not in FILLER_WORDS]
    return tuple(kept or words)


def organisation_key(name: str) -> str:
    """One canonical spelling, for grouping: "Northshire Police Force" -> "northshire police"."""
    return " ".join(organisation_words(name))


def same_organisation(a: str, b: str) -> bool:
    wa, wb = organisation_words(a), organisation_words(b)
    if not wa or not wb:
        return False
    if wa == wb:
        return True
    short, long = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return len(short) >= 2 and set(short) <= set(long)
