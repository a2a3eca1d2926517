"""What every reader produces: pieces of text, each with the place it came from.

The checks (redaction, readability, draft, accessibility) read documents as these pieces,
so a reader never needs to know which check is asking.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Piece:
    """Text from one place in a document.

    ``kind`` is set when the place itself is a finding whatever the text says (a comment,
    a tracked change, a document property); ``scan`` says whether the text is also
    searched for names and identifiers (off where the same text is scanned elsewhere,
    such as a tracked insertion that is part of its paragraph). ``shown`` replaces the
    text in the finding (a file name rather than the file's bytes). ``first_line``
    makes the location a line number counted from there.
    """

    text: str
    location: str
    kind: str | None = None
    severity: str = "high"
    scan: bool = True
    shown: str | None = None
    first_line: int | None = None
