from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from scrtool.cli._common import case_option, echo, emit_json, existing_file, json_option, style

if TYPE_CHECKING:
    from scrtool.checks.readability import FileReadability, ReadabilityReport, Thresholds

#: How many of each list a person sees in the terminal (--json has them all).
SHOW_SECTIONS = 5
SHOW_SENTENCES = 5
SHOW_ADVICE = 8
QUOTE_CHARS = 110


@click.command("readability")
@click.argument("files", nargs=-1, required=True, type=existing_file())
@click.option(
    "--min-reading-ease",
    type=click.FloatRange(0, 121),
    default=None,
    help="Lowest Flesch reading ease that passes (default 50, or case.toml [readability]).",
)
@click.option(
    "--max-grade",
    type=click.FloatRange(0, 30),
    default=None,
    help="Highest Flesch-Kincaid grade that passes (default 11, or case.toml [readability]).",
)
@click.option(
    "--long-sentence-words",
    type=click.IntRange(5),
    default=None,
    help="List sentences longer than this many words (default 25).",
)
@click.option(
    "--min-section-words",
    type=click.IntRange(1),
    default=None,
    help="Judge a section on its own once it has this many words (default 50).",
)
@case_option
@json_option
def command(
    files: tuple[Path, ...],
    min_reading_ease: float | None,
    max_grade: float | None,
    long_sentence_words: int | None,
    min_section_words: int | None,
    case_dir: Path | None,
    as_json: bool,
) -> object:
    """Check that a report is plain English.

    Scores each FILE (.docx, .pdf, .md or .txt) with textstat's Flesch reading ease and
    Flesch-Kincaid grade, for the whole text and for each section under a heading. A
    file fails when the whole text, or any section of 50 words or more, reads harder
    than the thresholds (reading ease at least 50, grade at most 11, unless case.toml
    or the options say otherwise). Also lists sentences over 25 words, longest first,
    words with plainer alternatives and abbreviations not spelled out at first use.

    Exit code 0 when every file passes, 1 when any fails, 2 when a file cannot be read.

    \b
    Example:
      scrtool check readability final/overview-report.docx
      scrtool check readability final/*.docx --max-grade 10 --json
    """
    from scrtool.case import find_case
    from scrtool.checks.readability import check_readability

    case = find_case(case_dir)
    report = check_readability(
        list(files),
        case=case,
        min_reading_ease=min_reading_ease,
        max_grade=max_grade,
        long_sentence_words=long_sentence_words,
        min_section_words=min_section_words,
    )
    if as_json:
        emit_json(report)
    else:
        render(report)
    return report


def render(report: ReadabilityReport) -> None:
    for index, result in enumerate(report.files):
        if index:
            echo()
        _render_file(result, report.thresholds)
    failed = sum(1 for f in report.files if not f.passed)
    total = len(report.files)
    echo()
    if failed:
        echo(
            style(f"{failed} of {total} file{_s(total)} failed", fg="red", bold=True)
            + ": make the sentences shorter and the words plainer, then check again."
        )
    else:
        echo(style(f"{'Every' if total > 1 else 'The'} file passed.", fg="green", bold=True))


def _render_file(result: FileReadability, limits: Thresholds) -> None:
    verdict = style("PASSED", fg="green", bold=True) if result.passed else _fail("FAILED")
    echo(f"{result.path}: {verdict}")
    ease_ok = result.flesch_reading_ease >= limits.min_reading_ease
    grade_ok = result.flesch_kincaid_grade <= limits.max_grade
    echo(
        f"  Reading ease {_mark(f'{result.flesch_reading_ease:.1f}', ease_ok)} "
        f"(at least {limits.min_reading_ease:g}), "
        f"grade {_mark(f'{result.flesch_kincaid_grade:.1f}', grade_ok)} "
        f"(at most {limits.max_grade:g}); "
        f"{result.words:,} word{_s(result.words)}, "
        f"{result.sentences:,} sentence{_s(result.sentences)}."
    )
    if result.problems:
        echo(f"  Why it fails: {_why(result)}.")

    judged = [s for s in result.sections if s.checked]
    if judged:
        worst = sorted(judged, key=lambda s: (s.passed, s.flesch_reading_ease))
        failing = sum(1 for s in judged if not s.passed)
        title = (
            f"Sections that read too hard ({failing} of {len(judged)}), hardest first:"
            if failing
            else f"Sections ({len(judged)}), hardest first:"
        )
        echo(f"  {title}")
        shown = worst[: SHOW_SECTIONS if failing else 3]
        for section in shown:
            name = section.heading or "(before the first heading)"
            echo(
                f"    {_mark('x' if not section.passed else '-', section.passed)} "
                f'"{_cut(name, 50)}": reading ease {section.flesch_reading_ease:.1f}, '
                f"grade {section.flesch_kincaid_grade:.1f}, "
                f"{section.words:,} word{_s(section.words)}"
            )
        _more(len(worst) - len(shown), "section")
    short = len(result.sections) - len(judged)
    if short:
        echo(
            f"  ({short} section{_s(short)} under {limits.min_section_words} words "
            f"{'is' if short == 1 else 'are'} not judged on {'its' if short == 1 else 'their'} own.)"
        )

    if result.lists_as_prose:
        count = len(result.lists_as_prose)
        where = (
            "counted in the whole text's score as textstat counts it, and left out of the "
            "section scores"
            if result.left_out
            else "counted in the whole text's score as textstat counts it"
        )
        echo(
            f'  {count} "sentence{_s(count)}" over 100 words, probably a list or table read '
            f"as prose, {where} (give it full stops or make it a real list or table):"
        )
        for sentence in result.lists_as_prose[:SHOW_SENTENCES]:
            echo(f'    {sentence.words:,} words, {sentence.location}: "{_cut(sentence.text, 60)}"')
        _more(count - SHOW_SENTENCES, '"sentence"', '"sentences"')

    if result.long_sentences:
        count = len(result.long_sentences)
        echo(
            f"  {count} sentence{_s(count)} over {limits.long_sentence_words} words, longest first:"
        )
        for sentence in result.long_sentences[:SHOW_SENTENCES]:
            echo(f"    {sentence.words:,} words, {sentence.location}:")
            echo(f'      "{_cut(sentence.text, QUOTE_CHARS)}"')
        _more(count - SHOW_SENTENCES, "long sentence")

    if result.advice:
        echo("  Plain English advice (not a failure):")
        for item in result.advice[:SHOW_ADVICE]:
            where = item.locations[0] if item.locations else ""
            times = f" ({item.count} times)" if item.count > 1 else ""
            if item.kind == "abbreviation":
                echo(
                    f"    {item.text} is used before it is spelled out ({where}): write "
                    f'"{item.suggestion} ({item.text})" the first time.'
                )
            else:
                echo(f'    "{item.text}"{times}: try "{item.suggestion}" ({where}).')
        _more(len(result.advice) - SHOW_ADVICE, "piece of advice", "pieces of advice")


def _why(result: FileReadability) -> str:
    prefix = "whole document: "
    whole = [p[len(prefix) :] for p in result.problems if p.startswith(prefix)]
    sections = sum(1 for s in result.sections if not s.passed)
    parts = []
    if whole:
        lists = len(result.lists_as_prose)
        note = (
            f' (it counts {lists} "sentence{_s(lists)}" of over 100 words, probably '
            f"{'a list or table' if lists == 1 else 'lists or tables'} read as prose: see below)"
            if lists
            else ""
        )
        parts.append(" and ".join(whole) + " for the whole text" + note)
    if sections:
        parts.append(
            f"{sections} section{_s(sections)} read{'s' if sections == 1 else ''} too hard"
        )
    return "; ".join(parts)


def _more(hidden: int, noun: str, plural: str | None = None) -> None:
    if hidden > 0:
        word = noun if hidden == 1 else (plural or noun + "s")
        echo(f"    ... and {hidden} more {word} (use --json to see them all).")


def _mark(text: str, ok: bool) -> str:
    return style(text, fg="green") if ok else _fail(text)


def _fail(text: str) -> str:
    return style(text, fg="red", bold=True)


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _s(n: int) -> str:
    return "" if n == 1 else "s"
