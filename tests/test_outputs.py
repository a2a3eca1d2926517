from __future__ import annotations

import pytest

from scrtool.errors import OutputError, OutputLockedError
from scrtool.outputs import owner_file, write_all_atomic, write_atomic


def test_write_atomic_replaces_and_leaves_no_temp(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    write_atomic(target, lambda p: p.write_text("new"))
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_failed_write_keeps_the_old_file(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")

    def boom(p):
        p.write_text("half")
        raise RuntimeError("failed half way")

    with pytest.raises(RuntimeError):
        write_atomic(target, boom)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_all_or_nothing(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"

    def fail(p):
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        write_all_atomic([(a, lambda p: p.write_text("a")), (b, fail)])
    assert not a.exists() and not b.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["chronology.xlsx", "a.docx", "report-final.docx"])
def test_target_open_in_office_is_refused(tmp_path, name):
    target = tmp_path / name
    target.write_text("old")
    owner_file(target).write_text("owner")
    with pytest.raises(OutputLockedError) as info:
        write_atomic(target, lambda p: p.write_text("new"))
    assert "close it and try again" in str(info.value)
    assert target.read_text() == "old"


def test_target_open_in_libreoffice_is_refused(tmp_path):
    target = tmp_path / "summary.xlsx"
    target.write_text("old")
    (tmp_path / ".~lock.summary.xlsx#").write_text(",someone,host,26.11.2026 10:00,")
    with pytest.raises(OutputLockedError, match="close it and try again") as info:
        write_atomic(target, lambda p: p.write_text("new"))
    assert "is open in LibreOffice" in str(info.value)
    assert target.read_text() == "old"


@pytest.mark.parametrize(
    ("name", "program"),
    [("plan.xlsx", "Excel"), ("report.docx", "Word"), ("bundle.pdf", "Excel or Word")],
)
def test_the_refusal_names_the_office_program_that_has_the_target_open(tmp_path, name, program):
    target = tmp_path / name
    target.write_text("old")
    (tmp_path / ("~$" + name)).write_text("someone")
    with pytest.raises(OutputLockedError) as info:
        write_atomic(target, lambda p: p.write_text("new"))
    assert f"is open in {program} (or another program" in str(info.value)


def test_target_that_is_a_folder(tmp_path):
    (tmp_path / "out.xlsx").mkdir()
    with pytest.raises(OutputError, match="is a folder"):
        write_atomic(tmp_path / "out.xlsx", lambda p: p.write_text("x"))


def test_parent_folders_are_made(tmp_path):
    target = tmp_path / "new" / "deeper" / "x.txt"
    write_atomic(target, lambda p: p.write_text("x"))
    assert target.read_text() == "x"


def test_outputs_get_ordinary_permissions_not_owner_only(tmp_path):
    import os
    import stat

    target = tmp_path / "shared.txt"
    old = os.umask(0o022)
    try:
        write_atomic(target, lambda p: p.write_text("x"))
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_existing_target_keeps_its_mode(tmp_path):
    import os
    import stat

    target = tmp_path / "kept.txt"
    target.write_text("old")
    os.chmod(target, 0o640)
    write_atomic(target, lambda p: p.write_text("new"))
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_refuse_inputs_knows_a_file_however_it_is_named(tmp_path, monkeypatch):
    from scrtool.outputs import refuse_inputs

    source = tmp_path / "case.toml"
    source.write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for name in ("case.toml", "not yet/../case.toml", str(source), "./case.toml"):
        with pytest.raises(OutputError, match="does not write over its inputs"):
            refuse_inputs(name, [source])
    refuse_inputs("other.toml", [source])
    refuse_inputs("not yet/case.toml", [source])


def test_ctrl_c_the_instant_a_temp_file_is_made_leaves_nothing(tmp_path, monkeypatch):
    """A Ctrl-C lands just after the open() call that made the temporary file returns (the
    usual moment in a big folder): the clean-up must still know its name."""
    import os

    real_open = os.open

    def open_then_interrupt(path, *args, **kwargs):
        fd = real_open(path, *args, **kwargs)
        if ".~scrtool-" in os.fspath(path):
            os.close(fd)
            raise KeyboardInterrupt
        return fd

    monkeypatch.setattr(os, "open", open_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "out.txt", lambda p: p.write_text("new"))
    assert list(tmp_path.iterdir()) == []


def test_a_file_where_a_folder_should_be_is_named_however_deep(tmp_path):
    (tmp_path / "notes").write_text("x")
    for target in (tmp_path / "notes" / "out.xlsx", tmp_path / "notes" / "a" / "b" / "out.xlsx"):
        with pytest.raises(OutputError, match="notes is a file, not a folder"):
            write_atomic(target, lambda p: p.write_text("new"))
    assert [p.name for p in tmp_path.iterdir()] == ["notes"]


def test_staged_says_a_full_disk_plainly_and_leaves_nothing(tmp_path):
    import errno

    from scrtool.outputs import staged

    target = tmp_path / "record.docx"
    full = r"record.docx: could not be written \(No space"
    with pytest.raises(OutputError, match=full), staged(target) as temp:
        temp.write_bytes(b"part")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert list(tmp_path.iterdir()) == []
    # An input that cannot be read keeps its own name.
    with pytest.raises(FileNotFoundError), staged(target):
        (tmp_path / "missing.toml").read_text()


def test_a_writer_that_fails_on_a_full_disk_prints_no_traceback_later(tmp_path, monkeypatch):
    """openpyxl leaves its half-written zip open when the disk fills; closed later by the
    garbage collector it fails again, and Python prints "Exception ignored ... Traceback"."""
    import errno
    import gc
    import sys

    seen: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", seen.append)

    class HalfWrittenZip:
        def __del__(self) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

    def write(temp):
        archive = HalfWrittenZip()  # noqa: F841 - held by this frame, as openpyxl's is
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OutputError, match="No space left"):
        write_atomic(tmp_path / "summary.xlsx", write)
    gc.collect()
    assert seen == []
    assert list(tmp_path.iterdir()) == []
