"""Compare what every command makes on the sample case at two revisions.

Run: ``python3 tests/compare_revisions.py BASE [OTHER]`` (OTHER defaults to the working
tree). Each revision runs ``scrtool demo`` (every command, in a review's order, on the
bundled sample case) in a fresh folder, from a temporary git worktree, with the
revision's own code. Then the two runs are compared file by file:

- stdout of the demo (``--json``) with the folder's name taken out;
- Word documents: the XML of each part, with the times stamped in the properties out;
- workbooks: every cell's value, sheet by sheet;
- PDFs: their text (``pdftotext``) and page count;
- anything else: its bytes.

It prints one line per file that differs (and "same" for the rest) and exits 1 when any
differ. It is for the redesign's rule that the commands' outputs stay what they were,
except where an issue names a fix: read each difference against the issue.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STAMPS = re.compile(
    rb"<(dcterms:(?:created|modified)|cp:lastPrinted|cp:revision)[^>]*>[^<]*</\1>"
    rb"|\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?"
    rb"|\bDTSTAMP:\d{8}T\d{6}Z"
)


def run_demo(source: Path, out: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(source), "SCRTOOL_DEBUG": ""}
    result = subprocess.run(
        [sys.executable, "-m", "scrtool", "demo", str(out), "--json"],
        cwd=source,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return f"exit {result.returncode}\n" + result.stdout.replace(str(out), "<case>")


def _docx(data: bytes) -> str:
    digest = hashlib.sha256()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in sorted(z.namelist()):
            body = z.read(name)
            if name.endswith((".xml", ".rels")):
                body = STAMPS.sub(b"", body)
            digest.update(name.encode() + b"\0" + body)
    return digest.hexdigest()


def _xlsx(path: Path, case: Path) -> str:
    from openpyxl import load_workbook

    book = load_workbook(path, data_only=False)
    cells = [
        (sheet.title, cell.coordinate, repr(cell.value).replace(str(case), "<case>"))
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    return hashlib.sha256(STAMPS.sub(b"", repr(cells).encode())).hexdigest()


def _pdf(path: Path) -> str:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=False
    ).stdout
    return hashlib.sha256(STAMPS.sub(b"", text)).hexdigest()


#: A file's digest: its bytes hold times stamped at each run (a .docx's properties, a
#: PDF's creation date), so a digest differs every run while the file does not.
DIGEST = re.compile(rb'"sha256": "[0-9a-f]{64}"')


def _zip(path: Path, case: Path) -> str:
    digest = hashlib.sha256()
    with tempfile.TemporaryDirectory() as unpacked, zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            member = Path(z.extract(name, unpacked))
            digest.update(name.encode() + b"\0" + fingerprint(member, case).encode())
    return digest.hexdigest()


def fingerprint(path: Path, case: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _docx(path.read_bytes())
    if suffix == ".xlsx":
        return _xlsx(path, case)
    if suffix == ".pdf":
        return _pdf(path)
    if suffix == ".zip":
        return _zip(path, case)
    return hashlib.sha256(DIGEST.sub(b"", STAMPS.sub(b"", path.read_bytes()))).hexdigest()


def outputs(revision: str | None, work: Path) -> tuple[str, dict[str, str]]:
    if revision is None:
        source = REPO
    else:
        source = work / "src"
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "add", "--detach", str(source), revision],
            check=True,
            capture_output=True,
        )
    case = work / "case"
    try:
        stdout = run_demo(source, case)
    finally:
        if revision is not None:
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "remove", "--force", str(source)],
                check=False,
                capture_output=True,
            )
    files = {
        p.relative_to(case).as_posix(): fingerprint(p, case)
        for p in sorted(case.rglob("*"))
        if p.is_file() and not p.name.startswith(("~$", ".~"))
    }
    return stdout, files


def main(argv: list[str]) -> int:
    if not argv or len(argv) > 2:
        print(__doc__)
        return 2
    base, other = argv[0], (argv[1] if len(argv) > 1 else None)
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        base_out, base_files = outputs(base, Path(a))
        other_out, other_files = outputs(other, Path(b))
    differ = 0
    if base_out != other_out:
        differ += 1
        print("demo --json output: differs")
        for line in sorted(set(base_out.splitlines()) ^ set(other_out.splitlines()))[:20]:
            side = "-" if line in base_out.splitlines() else "+"
            print(f"    {side} {json.dumps(line)[1:-1]}")
    else:
        print("demo --json output: same")
    for name in sorted(base_files.keys() | other_files.keys()):
        if name not in other_files:
            state = "only at " + base
        elif name not in base_files:
            state = "only at " + (other or "the working tree")
        else:
            state = "same" if base_files[name] == other_files[name] else "differs"
        differ += state != "same"
        print(f"{name}: {state}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
