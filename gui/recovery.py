"""Autosave and recovery after a crash, one recovery file per window (no Qt here: the window asks the
questions, this module decides what may be offered, kept or removed).

Each window writes its own file, ``recovery-<pid>-<id>.json`` in the recovery folder, holding its pid,
the path of the document it had open and the graph file's text. The file is written atomically (a
temporary file, flushed to disk, renamed over the old one), so a kill never leaves it half written.

At start the files of other windows are looked at: a file whose owner is still running (another window,
open now) is never offered or removed; a file whose owner has ended is offered; a file that cannot be
read is set aside under ``*.unreadable`` (never deleted) so nothing autosaved is lost.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PATTERN = re.compile(r"^\.?recovery-(\d+)-([0-9a-f]+)\.json")  # the file, or a temporary file beside it
UNREADABLE = ".unreadable"


@dataclass(frozen=True)
class Recovery:
    """An autosave left by a window that has ended."""

    file: Path
    pid: int
    document: str | None  # the file the window had open (None: an unsaved graph)
    saved_at: float  # seconds since the epoch
    text: str  # the graph file's text


def pid_running(pid: int) -> bool:
    """Whether a process with this id exists (a reused id counts as running: the file is then kept,
    never lost)."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # os.kill would end the process there
        return _windows_pid_running(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    except OSError:
        return False
    return True


def _windows_pid_running(pid: int) -> bool:
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    code = ctypes.c_ulong()
    kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
    kernel32.CloseHandle(handle)
    return code.value == 259  # STILL_ACTIVE


class Autosave:
    """The recovery file of one window."""

    def __init__(self, folder: Path, pid: int | None = None) -> None:
        self.folder = folder
        self.pid = os.getpid() if pid is None else pid
        self.file = folder / f"recovery-{self.pid}-{uuid.uuid4().hex[:12]}.json"

    def write(self, text: str, document: str | None) -> Path:
        """Replace this window's recovery file atomically; raises OSError."""
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {"pid": self.pid, "document": document, "saved_at": time.time(), "graph": text}
        fd, tmp = tempfile.mkstemp(prefix=f".{self.file.name}.", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.file)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return self.file

    def remove(self) -> None:
        """This window's file only (saved or closed normally): never another window's."""
        self.file.unlink(missing_ok=True)


@dataclass
class Scan:
    """What the recovery folder holds for a window that starts."""

    offered: list[Recovery]  # left by windows that have ended, newest first
    set_aside: list[Path]  # unreadable files, renamed to *.unreadable


def scan(folder: Path, running: Callable[[int], bool] = pid_running) -> Scan:
    """Look at every recovery file whose owner has ended: read it, or set it aside if it cannot be
    read. Temporary files of an interrupted write by an ended window are removed (the file they were
    to replace is whole)."""
    result = Scan([], [])
    try:
        names = sorted(p.name for p in folder.iterdir())
    except OSError:
        return result
    for name in names:
        m = PATTERN.match(name)
        if m is None or running(int(m.group(1))):
            continue
        path = folder / name
        if name.startswith("."):
            if name.endswith(".tmp"):
                path.unlink(missing_ok=True)
            continue
        if name.endswith(UNREADABLE):
            continue
        recovery = _read(path, int(m.group(1)))
        if recovery is None:
            result.set_aside.append(set_aside(path))
        else:
            result.offered.append(recovery)
    result.offered.sort(key=lambda r: r.saved_at, reverse=True)
    return result


def _read(path: Path, pid: int) -> Recovery | None:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("graph"), str):
        return None
    document = data.get("document")
    saved_at = data.get("saved_at")
    return Recovery(
        file=path,
        pid=pid,
        document=document if isinstance(document, str) else None,
        saved_at=float(saved_at) if isinstance(saved_at, (int, float)) else path.stat().st_mtime,
        text=data["graph"],
    )


def set_aside(path: Path) -> Path:
    """Keep a recovery that cannot be used under another name (never offered again, never deleted)."""
    target = path.with_name(path.name + UNREADABLE)
    try:
        os.replace(path, target)
    except OSError:
        return path
    return target


def discard(recovery: Recovery) -> None:
    """The user declined it, or it has been restored and autosaved again by the new window."""
    recovery.file.unlink(missing_ok=True)
