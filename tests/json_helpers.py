"""What stdout may hold when a command cannot run: nothing, or (under --json) only the
contract's error document, whose sentence is on stderr too."""

from __future__ import annotations

import json


def only_error_document(result) -> bool:
    if result.stdout == "":
        return True
    document = json.loads(result.stdout)
    return (
        set(document) == {"error", "file", "exit_code", "reason"}
        and document["exit_code"] == result.exit_code
        and document["error"] in result.stderr
    )
