"""Autosave and recovery with several windows (issue 10, item 8): one recovery file per window, written
atomically; a file whose owner still runs is never offered or removed; an unreadable one is set aside,
never deleted. The core (gui/recovery.py) is tested without Qt, then two windows in one process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from gui import recovery
from gui.recovery import Autosave, pid_running, scan

GRAPH_TEXT = json.dumps(
    {
        "format": "backprop-studio-graph",
        "version": 1,
        "nodes": [{"id": "x", "op": "input", "value": 3}, {"id": "q", "op": "square"}],
        "edges": [{"source": "x", "target": "q", "port": "x"}],
    }
)


def ended_pid() -> int:
    """The id of a process that has just ended (a window that crashed)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


# ----------------------------------------------------------------------------- the core, without Qt
def test_pid_running():
    assert pid_running(os.getpid()) and not pid_running(ended_pid())


def test_a_write_is_one_whole_file_with_its_owner_and_document(tmp_path):
    save = Autosave(tmp_path)
    path = save.write(GRAPH_TEXT, "/work/g.json")
    save.write(GRAPH_TEXT.replace('"value": 3', '"value": 4'), "/work/g.json")
    assert os.listdir(tmp_path) == [path.name]  # no temporary file left, one file per window
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["pid"] == os.getpid() and data["document"] == "/work/g.json" and '"value": 4' in data["graph"]


def test_a_failed_write_leaves_the_previous_file_whole(tmp_path, monkeypatch):
    save = Autosave(tmp_path)
    path = save.write(GRAPH_TEXT, None)

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError):
        save.write("{}", None)
    assert os.listdir(tmp_path) == [path.name]
    assert json.loads(path.read_text(encoding="utf-8"))["graph"] == GRAPH_TEXT


def test_two_windows_write_two_files_and_each_removes_only_its_own(tmp_path):
    first, second = Autosave(tmp_path), Autosave(tmp_path)
    a, b = first.write(GRAPH_TEXT, "a.json"), second.write(GRAPH_TEXT, "b.json")
    assert a != b
    first.remove()
    assert not a.exists() and b.exists()


def test_a_running_owners_file_is_neither_offered_nor_touched(tmp_path):
    mine = Autosave(tmp_path).write(GRAPH_TEXT, None)
    found = scan(tmp_path)
    assert found.offered == [] and found.set_aside == [] and mine.exists()


def test_an_ended_owners_file_is_offered_newest_first(tmp_path):
    pid = ended_pid()
    older = Autosave(tmp_path, pid=pid).write(GRAPH_TEXT, "old.json")
    newer = Autosave(tmp_path, pid=pid).write(GRAPH_TEXT, "new.json")
    os.utime(older, (0, 0))
    found = scan(tmp_path)
    assert [r.document for r in found.offered] == ["new.json", "old.json"]
    assert found.offered[0].file == newer and found.offered[0].pid == pid
    assert found.offered[0].text == GRAPH_TEXT
    recovery.discard(found.offered[0])
    assert not newer.exists() and older.exists()


def test_an_unreadable_recovery_is_set_aside_not_deleted(tmp_path):
    empty = Autosave(tmp_path, pid=ended_pid()).file
    empty.write_bytes(b"")  # what a kill during a non-atomic write used to leave
    found = scan(tmp_path)
    assert found.offered == [] and found.set_aside == [empty.with_name(empty.name + ".unreadable")]
    assert found.set_aside[0].exists() and not empty.exists()
    assert scan(tmp_path).set_aside == []  # set aside once, not reported at every start


def test_a_running_owners_unreadable_file_is_left_alone(tmp_path):
    file = Autosave(tmp_path).file
    file.write_bytes(b"")
    assert scan(tmp_path).set_aside == [] and file.exists()


def test_the_temporary_file_of_an_ended_window_is_removed_a_running_ones_kept(tmp_path):
    ended = tmp_path / f".recovery-{ended_pid()}-ab12.json.x1y2.tmp"
    running = tmp_path / f".recovery-{os.getpid()}-cd34.json.x1y2.tmp"
    ended.write_text("{")
    running.write_text("{")
    scan(tmp_path)
    assert not ended.exists() and running.exists()


# ----------------------------------------------------------------------------- two windows in one process
@pytest.fixture
def folder(tmp_path, monkeypatch, qtbot):
    pytest.importorskip("pytestqt")
    from PySide6.QtWidgets import QMessageBox

    import gui.main_window

    path = tmp_path / "recovery"
    monkeypatch.setattr(gui.main_window, "recovery_dir", lambda: path)
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: QMessageBox.StandardButton.Ok)
    # Closing a modified window at the end of a test discards its changes (no dialog waits).
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Discard)
    return path


def make_window(qtbot):
    from gui.main_window import MainWindow

    w = MainWindow(autosave=False)
    w.errors = []
    w.errorShown.connect(lambda title, message: w.errors.append(message))
    qtbot.addWidget(w)
    return w


def modified_window(qtbot, tmp_path):
    from graph.edits import AddNode

    w = make_window(qtbot)
    path = tmp_path / "g.json"
    path.write_text(GRAPH_TEXT, encoding="utf-8")
    assert w.open_file(str(path))
    w.bridge.push(AddNode("neg", "n"))
    return w


@pytest.mark.gui
def test_a_second_window_neither_offers_nor_deletes_the_first_ones_autosave(folder, qtbot, tmp_path):
    first = modified_window(qtbot, tmp_path)
    saved = first.autosave_now()
    second = make_window(qtbot)
    assert second.offer_recovery(ask=True) is False  # not even asked: its owner is running
    assert saved is not None and saved.exists()
    second.close()
    assert saved.exists()
    first.save_as(str(tmp_path / "saved.json"))
    assert not saved.exists()


@pytest.mark.gui
def test_a_crashed_windows_autosave_is_restored_and_kept_safe(folder, qtbot):
    left = Autosave(folder, pid=ended_pid()).write(GRAPH_TEXT, "/somewhere/g.json")
    w = make_window(qtbot)
    assert w.offer_recovery(ask=False)
    assert sorted(w.bridge.doc.node_ids()) == ["q", "x"] and w.bridge.modified
    assert w.bridge.file_path == "/somewhere/g.json"
    assert not left.exists()
    (own,) = folder.iterdir()  # the work now lives in this window's own recovery file
    assert json.loads(own.read_text(encoding="utf-8"))["pid"] == os.getpid()


@pytest.mark.gui
def test_declining_discards_an_ended_windows_autosave(folder, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    left = Autosave(folder, pid=ended_pid()).write(GRAPH_TEXT, None)
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.No)
    w = make_window(qtbot)
    assert w.offer_recovery() is False and not left.exists() and len(w.bridge.doc) == 0


@pytest.mark.gui
@pytest.mark.parametrize("content", [b"", b'{"graph": "{not json"}'], ids=["empty", "broken-graph"])
def test_an_autosave_that_cannot_be_restored_is_kept_aside(folder, qtbot, content):
    file = Autosave(folder, pid=ended_pid()).file
    folder.mkdir()
    file.write_bytes(content)
    w = make_window(qtbot)
    assert w.offer_recovery(ask=False) is False
    kept = file.with_name(file.name + ".unreadable")
    assert kept.read_bytes() == content and not file.exists()
    assert len(w.errors) == 1 and str(kept) in w.errors[0]
