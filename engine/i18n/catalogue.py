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
    for raw in text.splitlines() + [""]:
        line = raw.strip()
        if not line or (line.startswith("#") and key.startswith("msgstr")):
            if key:
                entries.append(entry)
            entry, key = Entry(), ""
        if line.startswith("#,") and "fuzzy" in line:
            entry.fuzzy = True
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):
            _append(entry, key, ast.literal_eval(line))
            continue
        key, _, rest = line.partition(" ")
        _append(entry, key, ast.literal_eval(rest), start=True)
    return entries


def _append(entry: Entry, key: str, text: str, start: bool = False) -> None:
    if key == "msgctxt":
        entry.msgctxt = ("" if start else entry.msgctxt or "") + text
    elif key == "msgid":
        entry.msgid = ("" if start else entry.msgid) + text
    elif key == "msgid_plural":
        entry.msgid_plural = ("" if start else entry.msgid_plural or "") + text
    elif key.startswith("msgstr"):
        index = int(key[7:-1]) if key.startswith("msgstr[") else 0
        entry.msgstr[index] = ("" if start else entry.msgstr.get(index, "")) + text
    else:
        raise ValueError(f"unknown .po keyword {key!r}")


def compile_mo(entries: list[Entry]) -> bytes:
    """The GNU .mo bytes of the translated entries (the header always kept), ids sorted."""
    pairs = []
    for e in entries:
        if e.msgid and not e.translated:
            continue  # an untranslated message stays English at run time
        key = e.msgid if e.msgid_plural is None else e.msgid + "\0" + e.msgid_plural
        if e.msgctxt is not None:
            key = e.msgctxt + "\x04" + key
        value = "\0".join(e.msgstr[i] for i in sorted(e.msgstr))
        pairs.append((key.encode("utf-8"), value.encode("utf-8")))
    pairs.sort()
    n = len(pairs)
    keys_start = 7 * 4 + 16 * n
    ids = b"".join(k + b"\0" for k, _ in pairs)
    strs = b"".join(v + b"\0" for _, v in pairs)
    key_table, value_table, offset = [], [], keys_start
    for k, _ in pairs:
        key_table += [len(k), offset]
        offset += len(k) + 1
    for _, v in pairs:
        value_table += [len(v), offset]
        offset += len(v) + 1
    header = struct.pack("<7I", 0x950412DE, 0, n, 7 * 4, 7 * 4 + 8 * n, 0, 0)
    return header + struct.pack(f"<{4 * n}I", *key_table, *value_table) + ids + strs


def extract(source: str) -> list[tuple[str | None, str, str | None]]:
    """The messages a Python source marks: (context, id, plural id) of each _("…"), ngettext("…", "…", n)
    and pgettext("ctx", "…") whose arguments are literal strings (what xgettext would find)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                for a in node.args]
        if node.func.id == "_" and args and args[0]:
            found.append((None, args[0], None))
        elif node.func.id == "ngettext" and len(args) == 3 and args[0] and args[1]:
            found.append((None, args[0], args[1]))
        elif node.func.id == "pgettext" and len(args) == 2 and args[0] and args[1]:
            found.append((args[0], args[1], None))
    return found
