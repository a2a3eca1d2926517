"""Run every check on one file, as an officer would, for the tests of a file that every
check must refuse the same way."""

from __future__ import annotations

from pathlib import Path

CHECKS = ("readability", "redaction", "draft", "accessibility")


def one_refusal(path: Path) -> str:
    """The sentence every check refuses ``path`` with (exit 2, no fault, the same words)."""
    from click.testing import CliRunner

    from scrtool.cli import cli

    sentences = set()
    for check in CHECKS:
        result = CliRunner().invoke(cli, ["check", check, str(path)])
        assert result.exit_code == 2, (check, result.output)
        lines = [line for line in result.output.splitlines() if path.name in line]
        assert lines and "fault" not in result.output, (check, result.output)
        sentences.add(lines[0])
    assert len(sentences) == 1, sentences
    return sentences.pop()
