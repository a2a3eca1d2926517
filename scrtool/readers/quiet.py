"""Libraries' own log lines and warnings, kept for the JSON instead of reaching stderr.

pypdf logs every oddity of a damaged file ("Object 172 0 not defined."), olefile logs
damaged streams and pypdfium2 warns through ``warnings``. A person needs one plain
sentence, not dozens of lines from inside a library; the lines are kept, each once, so
a result can carry them as ``warnings``.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator

#: The loggers of the libraries the readers use.
LIBRARY_LOGGERS = ("pypdf", "olefile", "pypdfium2", "docx", "openpyxl")
MAX_KEPT = 50


class _Keep(logging.Handler):
    def __init__(self, kept: list[str]) -> None:
        super().__init__(logging.DEBUG)
        self.kept = kept

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno < logging.WARNING:
            return
        try:
            message = record.getMessage()
        except Exception:  # a library's malformed log call must not stop a check
            return
        if message not in self.kept and len(self.kept) < MAX_KEPT:
            self.kept.append(message)


@contextlib.contextmanager
def library_messages(kept: list[str] | None = None) -> Iterator[list[str]]:
    """Inside the block no library logger or warning reaches stderr; what they said is
    appended to ``kept`` (a new list if none is given), each message once."""
    kept = [] if kept is None else kept
    handler = _Keep(kept)
    saved = []
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.propagate, list(logger.handlers)))
        logger.handlers = [handler]
        logger.propagate = False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield kept
        for item in caught:
            message = str(item.message)
            if message not in kept and len(kept) < MAX_KEPT:
                kept.append(message)
    finally:
        for logger, propagate, handlers in saved:
            logger.handlers = handlers
            logger.propagate = propagate


@contextlib.contextmanager
def quiet_pypdf() -> Iterator[None]:
    """pypdf (and the other readers' libraries) say nothing on stderr inside the block."""
    with library_messages():
        yield
