"""scrtool publish run again into the same folder: the report is replaced, and a
response left from an earlier run is named on stderr rather than passed over in silence.

Running ``--report`` alone to put a corrected report on the website is ordinary, so the
earlier response stays; but it was not checked or made by this run, and whoever uploads
the folder must know it is there.
"""

from __future__ import annotations

import hashlib
import json

import pytest
from publish_docs import make_review_docx

REF = "NS-2026-01"

pytestmark = pytest.mark.libreoffice


def test_a_second_run_without_the_response_names_the_one_left_from_the_first(invoke, tmp_path):
    report = make_review_docx(tmp_path / "report.docx")
    response = make_review_docx(tmp_path / "response.docx", title="Our response")
    out = tmp_path / "website"
    first = invoke(
        "publish", "--ref", REF, "--report", report, "--response", response, "--output", out
    )
    assert first.exit_code == 0, first.stderr
    assert first.stderr == ""
    old_response = (out / f"{REF}-response.pdf").read_bytes()

    second = invoke("publish", "--ref", REF, "--report", report, "--output", out, "--json")
    assert second.exit_code == 0, second.stderr
    assert f"{out / f'{REF}-response.pdf'} is from an earlier run" in second.stderr
    assert "give --response" in second.stderr
    assert (out / f"{REF}-response.pdf").read_bytes() == old_response  # left as it was
    doc = json.loads(second.stdout)
    assert [o["file"] for o in doc["outputs"]] == [f"{REF}-report.pdf"]
    written = (out / f"{REF}-report.pdf").read_bytes()
    assert doc["outputs"][0]["sha256"] == hashlib.sha256(written).hexdigest()
    assert sorted(p.name for p in out.iterdir()) == [f"{REF}-report.pdf", f"{REF}-response.pdf"]
