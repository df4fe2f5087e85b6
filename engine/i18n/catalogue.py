"""Reading a gettext ``.po`` file and writing the ``.mo`` the standard library loads.

A small msgfmt in Python, so the compiled catalogues can be rebuilt without GNU gettext or Babel
(neither is a dependency): ``scripts/compile_catalogues.py`` uses it, and a test compares the
committed ``.mo`` files with what it makes from the ``.po`` sources.
"""

from __future__ import annotations

import ast
import struct
from dataclasses import dataclass, field


@dataclass
class Entry:
    """One message: its id (and plural id) and its translations (one per plural form)."""

    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False

    @property
    def translated(self) -> bool:
        return not self.fuzzy and bool(self.msgstr) and all(self.msgstr.values())


def parse_po(text: str) -> list[Entry]:
    """The entries of a .po file (the header is the entry with the empty id)."""
    entries: list[Entry] = []
    entry, key = Entry(), ""
    for line in (raw.strip() for raw in text.splitlines() + [""]):
        if not line or (line.startswith("#") and key.startswith("msgstr")):  # an entry ends
            if key:
                entries.append(entry)
            entry, key = Entry(), ""
        if line.startswith("#,") and "fuzzy" in line:
            entry.fuzzy = True
        elif line and not line.startswith("#"):
            key = _read_line(entry, key, line)
    return entries


def _read_line(entry: Entry, key: str, line: str) -> str:
    """Read one line into the entry; returns the field it went to (a bare string continues `key`)."""
    if line.startswith('"'):
        _append(entry, key, ast.literal_eval(line))
        return key
    key, _, rest = line.partition(" ")
    _append(entry, key, ast.literal_eval(rest), start=True)
    return key


def _append(entry: Entry, key: str, text: str, start: bool = False) -> None:
    """Add a (continued) string to the field `key` names: msgctxt, msgid, msgid_plural, msgstr[n]."""
    if key.startswith("msgstr"):
        index = int(key[7:-1]) if key.startswith("msgstr[") else 0
        entry.msgstr[index] = ("" if start else entry.msgstr.get(index, "")) + text
    elif key in ("msgctxt", "msgid", "msgid_plural"):
        setattr(entry, key, ("" if start else getattr(entry, key) or "") + text)
    else:
        raise ValueError(f"unknown .po keyword {key!r}")


def compile_mo(entries: list[Entry]) -> bytes:
    """The GNU .mo bytes of the translated entries (the header always kept), ids sorted."""
    pairs = sorted(_pair(e) for e in entries if not e.msgid or e.translated)  # untranslated: English
    n = len(pairs)
    ids = b"".join(k + b"\0" for k, _ in pairs)
    strs = b"".join(v + b"\0" for _, v in pairs)
    ids_start = 7 * 4 + 16 * n
    header = struct.pack("<7I", 0x950412DE, 0, n, 7 * 4, 7 * 4 + 8 * n, 0, 0)
    key_table = _offsets([k for k, _ in pairs], ids_start)
    value_table = _offsets([v for _, v in pairs], ids_start + len(ids))
    return header + struct.pack(f"<{4 * n}I", *key_table, *value_table) + ids + strs


def _pair(e: Entry) -> tuple[bytes, bytes]:
    """The .mo key (context EOT id NUL plural) and value (the forms NUL-separated) of an entry."""
    key = e.msgid if e.msgid_plural is None else e.msgid + "\0" + e.msgid_plural
    if e.msgctxt is not None:
        key = e.msgctxt + "\x04" + key
    value = "\0".join(e.msgstr[i] for i in sorted(e.msgstr))
    return key.encode("utf-8"), value.encode("utf-8")


def _offsets(strings: list[bytes], start: int) -> list[int]:
    """Length and offset of each string laid one after another (NUL-terminated) from `start`."""
    table = []
    for text in strings:
        table += [len(text), start]
        start += len(text) + 1
    return table


# the marking functions: how many literal arguments each takes, and how they make (context, id, plural)
_MARKERS = {
    "_": (1, lambda t: (None, t[0], None)),
    "ngettext": (2, lambda t: (None, t[0], t[1])),
    "pgettext": (2, lambda t: (t[0], t[1], None)),
}


def extract(source: str) -> list[tuple[str | None, str, str | None]]:
    """The messages a Python source marks: (context, id, plural id) of each _("…"), ngettext("…", "…", n)
    and pgettext("ctx", "…") whose arguments are literal strings (what xgettext would find)."""
    found = (_message(node) for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call))
    return [m for m in found if m is not None]


def _message(call: ast.Call) -> tuple[str | None, str, str | None] | None:
    name = call.func.id if isinstance(call.func, ast.Name) else ""
    if name not in _MARKERS:
        return None
    count, build = _MARKERS[name]
    texts = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else "" for a in call.args]
    wanted = texts[:count]
    return build(wanted) if len(wanted) == count and all(wanted) else None
