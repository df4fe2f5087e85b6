"""Keep the window's translations in step with its source, Qt's way.

    python scripts/update_translations.py            # lupdate gui/ → gui/translations/*.ts, lrelease → .qm
    python scripts/update_translations.py --check    # change nothing; exit 1 if a .ts is behind the
                                                     # source, has unfinished or obsolete strings, or its
                                                     # .qm is not what lrelease makes of it
    python scripts/update_translations.py --take-from OTHER.ts   # fill unfinished strings from another
                                                     # .ts of the same language (merging two branches)

A new language: ``python scripts/update_translations.py --new de`` makes ``backprop_de.ts`` to translate.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS_DIR = ROOT / "gui" / "translations"
SOURCES = [ROOT / "gui"]
LUPDATE_OPTIONS = ["-extensions", "py", "-locations", "none", "-no-obsolete", "-silent"]


def _tool(name: str) -> str:
    """pyside6-lupdate / pyside6-lrelease beside this Python (the virtualenv's), else on PATH."""
    here = Path(sys.executable).with_name(f"pyside6-{name}")
    found = str(here) if here.exists() else shutil.which(f"pyside6-{name}")
    if not found:
        raise SystemExit(f"error: pyside6-{name} not found (it comes with PySide6-Essentials)")
    return found


def ts_files() -> list[Path]:
    return sorted(TS_DIR.glob("backprop_*.ts"))


def lupdate(ts: Path, lang: str) -> None:
    cmd = [_tool("lupdate"), *LUPDATE_OPTIONS, *map(str, SOURCES), "-ts", str(ts), "-target-language", lang]
    subprocess.run(cmd, check=True, cwd=ROOT)


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([_tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True, cwd=ROOT)


def language_of(ts: Path) -> str:
    return ts.stem.split("_", 1)[1]


def problems(ts: Path) -> list[str]:
    """Strings of `ts` a user would see untranslated: unfinished, or obsolete/vanished ones kept."""
    out = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for msg in context.iter("message"):
            kind = msg.find("translation").get("type")  # type: ignore[union-attr]
            if kind in ("unfinished", "obsolete", "vanished"):
                out.append(f"{ts.name}: {name}: {kind}: {msg.findtext('source')!r}")
    return out


def take_from(ts: Path, other: Path) -> int:
    """Fill `ts`'s unfinished strings with the finished translations of the same (context, source,
    comment) in `other`; returns how many."""
    def key(context: ET.Element, msg: ET.Element) -> tuple[str, str, str]:
        return (context.findtext("name") or "", msg.findtext("source") or "", msg.findtext("comment") or "")

    lupdate(ts, language_of(ts))  # first every string of the (merged) source, new ones unfinished
    done = {}
    for context in ET.parse(other).getroot().iter("context"):
        for msg in context.iter("message"):
            tr = msg.find("translation")
            if tr is not None and tr.get("type") is None:
                done[key(context, msg)] = tr
    tree = ET.parse(ts)
    filled = 0
    for context in tree.getroot().iter("context"):
        for msg in context.iter("message"):
            tr = msg.find("translation")
            found = done.get(key(context, msg))
            if tr is not None and tr.get("type") == "unfinished" and found is not None:
                msg.remove(tr)
                msg.append(found)
                filled += 1
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    lupdate(ts, language_of(ts))  # back into lupdate's own layout
    return filled


def check() -> int:
    """0 when every .ts is current, finished and compiled; else 1, each problem on a line."""
    report: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for ts in ts_files():
            fresh = Path(tmp) / ts.name
            shutil.copy(ts, fresh)
            lupdate(fresh, language_of(ts))
            if fresh.read_bytes() != ts.read_bytes():
                report.append(f"{ts.name}: behind the source (run scripts/update_translations.py)")
            report += problems(fresh)
            qm = Path(tmp) / ts.with_suffix(".qm").name
            lrelease(ts, qm)
            committed = ts.with_suffix(".qm")
            if not committed.exists() or not filecmp.cmp(qm, committed, shallow=False):
                report.append(f"{committed.name}: not what lrelease makes of {ts.name}")
    names = ", ".join(p.name for p in ts_files())
    print("\n".join(report) if report else f"translations up to date: {names}")
    return 1 if report else 0


def update() -> int:
    for ts in ts_files():
        lupdate(ts, language_of(ts))
        lrelease(ts, ts.with_suffix(".qm"))
        left = problems(ts)
        print(f"{ts.name}: {len(left)} string(s) to translate")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--check", action="store_true", help="change nothing; exit 1 on any problem")
    p.add_argument("--take-from", metavar="OTHER_TS", help="fill unfinished strings from another .ts")
    p.add_argument("--new", metavar="LANG", help="start the .ts of a new language")
    args = p.parse_args(argv)
    if args.check:
        return check()
    if args.new:
        TS_DIR.mkdir(exist_ok=True)
        lupdate(TS_DIR / f"backprop_{args.new}.ts", args.new)
    if args.take_from:
        for ts in ts_files():
            if language_of(ts) == language_of(Path(args.take_from)):
                print(f"{ts.name}: {take_from(ts, Path(args.take_from))} string(s) taken")
    return update()


if __name__ == "__main__":
    sys.exit(main())
