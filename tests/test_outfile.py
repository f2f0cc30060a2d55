"""`-o FILE`: written whole or not at all, private, never over a file without --force, never
through a symbolic link."""

from __future__ import annotations

import os
import stat

import pytest

from peerfind.errors import UsageError
from peerfind.output.files import write_atomic


def _leftovers(folder):
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_writes_the_text_privately(tmp_path):
    target = tmp_path / "sheet.html"
    write_atomic(target, "<p>héllo</p>\n")
    assert target.read_bytes() == "<p>héllo</p>\n".encode("utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert _leftovers(tmp_path) == []


def test_refuses_to_replace_a_file_without_force(tmp_path):
    target = tmp_path / "sheet.html"
    target.write_text("mine")
    with pytest.raises(UsageError, match="already exists; add --force"):
        write_atomic(target, "new")
    assert target.read_text() == "mine"
    assert _leftovers(tmp_path) == []
    write_atomic(target, "new", force=True)
    assert target.read_text() == "new"


@pytest.mark.parametrize("force", [False, True])
def test_never_follows_a_symbolic_link(tmp_path, force):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    link = tmp_path / "sheet.html"
    link.symlink_to(victim)
    with pytest.raises(UsageError, match="symbolic link"):
        write_atomic(link, "new", force=force)
    assert victim.read_text() == "keep me" and link.is_symlink()


def test_a_dangling_link_is_refused_too(tmp_path):
    link = tmp_path / "sheet.html"
    link.symlink_to(tmp_path / "nowhere")
    with pytest.raises(UsageError, match="symbolic link"):
        write_atomic(link, "new")
    assert not (tmp_path / "nowhere").exists()


def test_a_folder_or_a_missing_folder_is_an_error(tmp_path):
    with pytest.raises(UsageError, match="is a directory"):
        write_atomic(tmp_path, "x")
    with pytest.raises(UsageError, match="cannot write"):
        write_atomic(tmp_path / "no" / "such" / "sheet.html", "x")


def test_a_failed_write_leaves_nothing_behind(tmp_path, monkeypatch):
    def broken(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(UsageError, match="No space left"):
        write_atomic(tmp_path / "sheet.html", "x")
    assert list(tmp_path.iterdir()) == []


def test_a_name_taken_while_writing_is_not_replaced(tmp_path, monkeypatch):
    target = tmp_path / "sheet.html"
    real_fsync = os.fsync

    def someone_else_writes(fd):
        real_fsync(fd)
        target.write_text("theirs")

    monkeypatch.setattr(os, "fsync", someone_else_writes)
    with pytest.raises(UsageError, match="already exists"):
        write_atomic(target, "mine")
    assert target.read_text() == "theirs"
    assert _leftovers(tmp_path) == []
