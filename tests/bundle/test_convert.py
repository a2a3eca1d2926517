"""Word to PDF with LibreOffice: the profile, the checks on what it made, no LibreOffice."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

from scrtool.bundle import convert
from scrtool.errors import InputError, ToolMissingError, UnreadableInputError


def make_docx(path: Path, heading: str, paragraphs: int = 3) -> Path:
    import docx

    document = docx.Document()
    document.add_heading(heading, level=1)
    for i in range(paragraphs):
        document.add_paragraph(f"{heading} paragraph {i + 1}. The review found clear learning.")
    document.save(str(path))
    return path


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """One soffice run for the module: two documents, one with a name the other shares."""
    base = tmp_path_factory.mktemp("convert")
    (base / "a").mkdir()
    (base / "b").mkdir()
    first = make_docx(base / "a" / "draft report.docx", "Overview report", 40)
    second = make_docx(base / "b" / "draft report.docx", "Second report")
    pdfs = convert.convert_to_pdf([first, second], base / "out")
    return first, second, pdfs


@pytest.mark.libreoffice
def test_converts_several_documents_in_one_run(converted):
    from pypdf import PdfReader

    first, second, pdfs = converted
    assert len(pdfs) == 2
    assert pdfs[0] != pdfs[1], "two documents with the same name must not overwrite each other"
    texts = ["".join(p.extract_text() for p in PdfReader(pdf).pages) for pdf in pdfs]
    assert "Overview report" in texts[0]
    assert "Second report" in texts[1]
    assert len(PdfReader(pdfs[0]).pages) >= 1


@pytest.mark.libreoffice
def test_inputs_are_not_touched(converted):
    first, second, _pdfs = converted
    assert sorted(p.name for p in first.parent.iterdir()) == ["draft report.docx"]


@pytest.mark.libreoffice
def linked_picture_docx(path: Path, url: str) -> Path:
    """A .docx whose picture is linked from ``url`` rather than embedded."""
    import re
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + crc

    png = path.with_suffix(".png")
    png.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )
    import docx

    document = docx.Document()
    document.add_paragraph("The review found clear learning.")
    document.add_picture(str(png))
    plain = path.with_name("embedded.docx")
    document.save(str(plain))
    with zipfile.ZipFile(plain) as zin:
        parts = {n: zin.read(n) for n in zin.namelist() if not n.startswith("word/media/")}
    rels = parts["word/_rels/document.xml.rels"].decode()
    found = re.search(r'<Relationship Id="(rId\d+)" Type="([^"]+/image)" Target="[^"]+"/>', rels)
    assert found
    rid, kind = found.groups()
    linked = f'<Relationship Id="{rid}" Type="{kind}" Target="{url}" TargetMode="External"/>'
    parts["word/_rels/document.xml.rels"] = rels.replace(found.group(0), linked).encode()
    body = parts["word/document.xml"].decode().replace(f'r:embed="{rid}"', f'r:link="{rid}"')
    parts["word/document.xml"] = body.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    return path


@pytest.mark.libreoffice
def test_a_picture_linked_from_the_web_is_not_fetched(tmp_path):
    """Nothing is fetched from the network: LibreOffice would load a linked picture."""
    import http.server
    import threading

    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            asked.append(self.path)
            self.send_error(404)

        do_HEAD = do_OPTIONS = do_PROPFIND = do_GET  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/tracker.png"
        doc = linked_picture_docx(tmp_path / "linked.docx", url)
        pdfs = convert.convert_to_pdf([doc], tmp_path / "out")
    finally:
        server.shutdown()
        server.server_close()
    assert len(pdfs) == 1
    assert asked == []


def test_profile_is_passed_as_a_file_uri(monkeypatch, tmp_path):
    seen = {}

    def fake_popen(command, **kwargs):
        seen["command"] = command
        seen["kwargs"] = kwargs
        raise OSError(2, "No such file")

    monkeypatch.setattr(subprocess, "Popen", fake_popen)
    doc = make_docx(tmp_path / "x.docx", "X")
    with pytest.raises(ToolMissingError):
        convert.convert_to_pdf([doc], tmp_path / "out", soffice="soffice")
    profile_arg = [a for a in seen["command"] if a.startswith("-env:UserInstallation=")]
    assert profile_arg and profile_arg[0].split("=", 1)[1].startswith("file:///")
    assert "--headless" in seen["command"]
    assert seen["kwargs"].get("start_new_session") is True


def test_missing_libreoffice_says_install_it_or_give_pdfs(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv(convert.SOFFICE_ENV, raising=False)
    monkeypatch.setattr(convert, "_install_candidates", lambda: [tmp_path / "nowhere"])
    assert convert.find_soffice() is None
    doc = make_docx(tmp_path / "report.docx", "Report")
    with pytest.raises(ToolMissingError) as info:
        convert.convert_to_pdf([doc], tmp_path / "out")
    message = str(info.value)
    assert "LibreOffice" in message and "PDF" in message
    assert "report.docx" in message


def test_finds_soffice_in_a_windows_install_folder(monkeypatch, tmp_path):
    program = tmp_path / "LibreOffice" / "program"
    program.mkdir(parents=True)
    (program / "soffice.exe").write_bytes(b"")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv(convert.SOFFICE_ENV, raising=False)
    monkeypatch.setenv("ProgramFiles", str(tmp_path))
    assert convert.find_soffice() == str(program / "soffice.exe")


def test_scrtool_soffice_overrides(monkeypatch, tmp_path):
    fake = tmp_path / "my-soffice"
    fake.write_text("")
    monkeypatch.setenv(convert.SOFFICE_ENV, str(fake))
    assert convert.find_soffice() == str(fake)


def test_timeout_kills_the_process_group(monkeypatch, tmp_path):
    script = tmp_path / "slow-soffice"
    script.write_text("#!/bin/sh\nsleep 30 &\nsleep 30\n")
    script.chmod(0o755)
    doc = make_docx(tmp_path / "slow.docx", "Slow")
    with pytest.raises(InputError) as info:
        convert.convert_to_pdf([doc], tmp_path / "out", soffice=str(script), timeout=0.5)
    assert "was stopped" in str(info.value)


def test_ctrl_c_stops_soffice_too(monkeypatch, tmp_path):
    """soffice runs in its own process group, so Ctrl-C does not reach it: scrtool must
    stop it, or it runs on (and leaves its folder in the temp folder) after scrtool exits."""
    import tempfile
    import time

    pids = tmp_path / "pids"
    script = tmp_path / "slow-soffice"
    script.write_text(f"#!/bin/sh\nsleep 30 &\necho $! > '{pids}'\nsleep 30\n")
    script.chmod(0o755)
    doc = make_docx(tmp_path / "slow.docx", "Slow")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    real = subprocess.Popen.communicate

    def interrupted(self, *args, **kwargs):
        if kwargs.get("timeout") == 20:  # the conversion's wait, not the clean-up's
            for _ in range(500):
                if pids.exists() and pids.read_text().strip():
                    break
                time.sleep(0.01)
            raise KeyboardInterrupt
        return real(self, *args, **kwargs)

    monkeypatch.setattr(subprocess.Popen, "communicate", interrupted)
    with pytest.raises(KeyboardInterrupt):
        convert.convert_to_pdf([doc], tmp_path / "out", soffice=str(script), timeout=20)

    def running(pid: int) -> bool:
        try:  # killed, it may linger a moment as a zombie until it is reaped
            return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
        except (OSError, IndexError):
            return False

    background = int(pids.read_text())
    for _ in range(200):
        if not running(background):
            break
        time.sleep(0.05)
    assert not running(background)
    assert not list(tmp_path.glob("scrtool-soffice-*"))


def test_soffice_that_writes_nothing_is_caught(tmp_path):
    script = tmp_path / "lazy-soffice"
    script.write_text("#!/bin/sh\nexit 0\n")
    script.chmod(0o755)
    doc = make_docx(tmp_path / "lazy.docx", "Lazy")
    with pytest.raises(UnreadableInputError) as info:
        convert.convert_to_pdf([doc], tmp_path / "out", soffice=str(script))
    assert "lazy.docx" in str(info.value)
    assert "could not turn it into PDF" in str(info.value)


def test_soffice_that_writes_a_broken_pdf_is_caught(tmp_path):
    script = tmp_path / "broken-soffice"
    # Writes "<stem>.pdf" holding rubbish into the --outdir folder.
    script.write_text(
        '#!/bin/sh\nout=""\nprev=""\nfor a in "$@"; do\n'
        '  if [ "$prev" = "--outdir" ]; then out="$a"; fi\n  prev="$a"\ndone\n'
        'for a in "$@"; do\n  case "$a" in *.docx) b=$(basename "$a" .docx);'
        ' echo "rubbish" > "$out/$b.pdf";; esac\ndone\n'
    )
    script.chmod(0o755)
    doc = make_docx(tmp_path / "broken.docx", "Broken")
    with pytest.raises(UnreadableInputError) as info:
        convert.convert_to_pdf([doc], tmp_path / "out", soffice=str(script))
    assert "broken.docx" in str(info.value)


def test_damaged_docx_is_refused_before_libreoffice(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"this is not a Word document")
    with pytest.raises(UnreadableInputError) as info:
        convert.check_convertible(bad)
    assert "damaged" in str(info.value)


def test_password_protected_docx_is_refused(tmp_path):
    locked = tmp_path / "locked.docx"
    locked.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 512)
    with pytest.raises(UnreadableInputError) as info:
        convert.check_convertible(locked)
    assert "password" in str(info.value)


def test_missing_docx(tmp_path):
    with pytest.raises(InputError):
        convert.convert_to_pdf([tmp_path / "nope.docx"], tmp_path / "out", soffice="soffice")


def test_pdf_page_count_refuses_encrypted_and_corrupt(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(UnreadableInputError, match="password"):
        convert.pdf_page_count(locked)
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.4\nnot really\n")
    with pytest.raises(UnreadableInputError, match="corrupt.pdf"):
        convert.pdf_page_count(corrupt)
