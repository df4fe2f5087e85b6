"""Compile every engine/i18n/locale/<lang>/LC_MESSAGES/engine.po into the engine.mo beside it.

Run after editing a translation: python scripts/compile_catalogues.py (the .mo files are committed;
tests/test_i18n.py fails while one is out of date).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.i18n import LOCALE_DIR  # noqa: E402
from engine.i18n.catalogue import compile_mo, parse_po  # noqa: E402


def main() -> int:
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        po.with_suffix(".mo").write_bytes(compile_mo(parse_po(po.read_text(encoding="utf-8"))))
        print(f"wrote {po.with_suffix('.mo')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
