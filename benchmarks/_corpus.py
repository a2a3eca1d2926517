"""The inputs and the floor that the redaction, readability and package benchmarks share.

A 200-page report is written with python-docx and converted to PDF by LibreOffice (the
kind of PDF a partnership actually sends); ``pdftotext`` on that PDF, in its own
process, is the floor a native reader sets. ``peak_rss_mb`` runs a check in a fresh
process and reports its peak resident memory (pdfium's C allocations included, which
``tracemalloc`` cannot see).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(docx_path: Path, folder: Path) -> Path:
    """The .docx converted to PDF by LibreOffice, in a throwaway profile."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                soffice() or "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                str(docx_path),
            ],
            check=True,
            capture_output=True,
            timeout=900,
            env={**os.environ, "HOME": profile},
        )
    return folder / (docx_path.stem + ".pdf")


def pdftotext_seconds(pdf: Path, repeats: int) -> float:
    """Median wall time of ``pdftotext FILE -`` (the whole process, as a user runs it)."""
    if shutil.which("pdftotext") is None:
        raise SystemExit("pdftotext (poppler-utils) is needed for the floor")
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_wall(func: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def command_seconds(args: list[str], repeats: int) -> float:
    """Median wall time of ``python -m scrtool ARGS`` in a fresh process (imports included)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "scrtool", *args], cwd=REPO, capture_output=True, env=env
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def thousand_pages(pdf: Path, out: Path, pages: int = 1000) -> Path:
    """A PDF of ``pages`` pages made of copies of ``pdf``'s pages (qpdf, no re-encoding)."""
    from pypdf import PdfReader

    count = len(PdfReader(str(pdf)).pages)
    copies = [str(pdf)] * (pages // count + 1)
    subprocess.run(
        ["qpdf", "--empty", "--pages", *copies, "--", str(out)], check=True, capture_output=True
    )
    subprocess.run(
        ["qpdf", str(out), "--pages", str(out), f"1-{pages}", "--", str(out) + ".cut"],
        check=True,
        capture_output=True,
    )
    Path(str(out) + ".cut").replace(out)
    return out


def peak_rss_mb(code: str) -> float:
    """Peak resident memory (MB) of a fresh Python process running ``code`` with scrtool."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    probe = code + "\nimport resource\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    done = subprocess.run(
        [sys.executable, "-c", probe], check=True, env=env, cwd=REPO, capture_output=True, text=True
    )
    return int(done.stdout.split()[-1]) / 1024


def chart_pdf(path: Path, pages: int = 20, extra: Callable[[Any, int], None] | None = None) -> Path:
    """A diagram-heavy PDF: each page 1,500 pale filled boxes, each with a number drawn
    on it (a chart or a form drawn as boxes), the shape that made every text object be
    tested against every box. ``extra(canvas, page)`` may draw more on each page (the
    tests plant a covered name with it)."""
    import random

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    rng = random.Random(20261202)
    c = canvas.Canvas(str(path), pagesize=A4)
    for page in range(pages):
        for row in range(60):
            for col in range(25):
                x, y = 30 + col * 22, 40 + row * 12.5
                c.setFillColorRGB(0.7 + rng.random() * 0.3, 0.9, 0.9)
                c.rect(x, y, 21, 11.5, stroke=0, fill=1)
                c.setFillColorRGB(0, 0, 0)
                c.setFont("Helvetica", 6)
                c.drawString(x + 1, y + 3, f"{rng.randint(100, 999)}")
        if extra is not None:
            extra(c, page)
        c.showPage()
    c.save()
    return path
