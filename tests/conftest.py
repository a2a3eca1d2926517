from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _debug_unexpected_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unexpected exceptions re-raise in tests, so a crash is never mistaken for exit 2."""
    monkeypatch.setenv("SCRTOOL_DEBUG", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(autouse=True, scope="session")
def _fast_fill_proves_itself() -> None:
    """Every template the suite fills is also filled by docxtpl, and the two must match
    (``scrtool.drafting.fast_fill.VERIFY``): the fast path stays only while it is equal."""
    from scrtool.drafting import fast_fill

    fast_fill.VERIFY = True


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if soffice_path():
        return
    skip = pytest.mark.skip(reason="LibreOffice (soffice) is not installed")
    for item in items:
        if "libreoffice" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture
def invoke(runner):
    """Run scrtool with arguments; returns click's Result (stdout and stderr kept apart)."""
    from scrtool.cli import cli

    def _invoke(*args: object, **kwargs: object):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False, **kwargs)

    return _invoke


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def data_dir() -> Path:
    return DATA


def convert_with_soffice(path: Path, fmt: str, outdir: Path) -> Path:
    """Open a file in real LibreOffice and convert it, as proof that it opens."""
    import subprocess
    import tempfile

    soffice = soffice_path()
    assert soffice, "LibreOffice is not installed"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                fmt,
                "--outdir",
                str(outdir),
                str(path),
            ],
            check=True,
            capture_output=True,
            timeout=180,
            env={**os.environ, "HOME": profile},
        )
    out = outdir / (path.stem + "." + fmt.split(":")[0])
    assert out.exists(), f"LibreOffice did not convert {path}"
    return out


CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"


def soffice_csv(path: Path, outdir: Path) -> dict[str, list[list[str]]]:
    """Open a workbook in real LibreOffice; every sheet as CSV cells, shown as formatted."""
    import csv
    import os
    import subprocess
    import tempfile

    soffice = soffice_path()
    assert soffice
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", CSV_ALL_SHEETS, "--outdir", str(outdir), str(path)],
            check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": profile},
        )  # fmt: skip
    out = {}
    for sheet in outdir.glob(f"{path.stem}-*.csv"):
        with sheet.open(encoding="utf-8", newline="") as fh:
            out[sheet.stem[len(path.stem) + 1 :]] = list(csv.reader(fh))
    assert out, f"LibreOffice did not open {path}"
    return out
