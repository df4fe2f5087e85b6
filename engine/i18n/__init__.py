"""The engine's text in the user's language: one gettext catalogue per language.

Every sentence the engine writes for a person (step explanations, check-my-answer messages, the worked
solution, the training summary, the command line's errors) goes through :func:`_` or :func:`ngettext`.
The catalogues are ordinary gettext ones: ``locale/<lang>/LC_MESSAGES/engine.po`` is what a translator
edits (Poedit or any text editor, following ``docs/glossary.md``), and the ``engine.mo`` beside it is
the compiled form the standard library's :mod:`gettext` reads, committed so that nothing needs a build
step (``scripts/compile_catalogues.py`` recompiles it; a test checks it matches the ``.po``). A third
language is a new folder with an ``engine.po``, no code change.

The language is a context variable, not a parameter threaded through every function: ``with
using("ru"):`` around the work, English outside it (what the window shows until it is translated).
An unknown or unavailable language falls back to English, the source language of the messages.
"""

from __future__ import annotations

import contextvars
import gettext
import os
import string
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path

DOMAIN = "engine"
LOCALE_DIR = Path(__file__).with_name("locale")
SOURCE_LANGUAGE = "en"

_active: contextvars.ContextVar[str | None] = contextvars.ContextVar("engine_language", default=None)
# The process's language where no `using` block says otherwise: the window sets it once at start-up, so
# that its threads and callbacks (each with a context of its own) write in the user's language too.
_default = SOURCE_LANGUAGE


def available() -> tuple[str, ...]:
    """The languages with a catalogue, English (the messages' own language) first."""
    found = sorted(p.name for p in LOCALE_DIR.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file())
    return (SOURCE_LANGUAGE, *found)


def normalise(lang: str | None) -> str:
    """A language code as the catalogues name it ("ru_RU.UTF-8" → "ru"); unknown → English."""
    code = (lang or "").split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return code if code in available() else SOURCE_LANGUAGE


def from_environment(env: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for, as gettext reads it: LC_ALL, then LC_MESSAGES, then LANG."""
    env = os.environ if env is None else env
    for key in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(key):
            return normalise(env[key])
    return SOURCE_LANGUAGE


@cache
def translation(lang: str) -> gettext.NullTranslations:
    """The catalogue of `lang` (English: the messages as written)."""
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[normalise(lang)], fallback=True)


def current() -> str:
    """The language the engine writes in now."""
    return _active.get() or _default


def set_language(lang: str | None) -> str:
    """Make `lang` (normalised; unknown → English) the process's language outside `using` blocks."""
    global _default
    _default = normalise(lang)
    return _default


@contextmanager
def using(lang: str | None) -> Iterator[str]:
    """Write in `lang` inside the block (normalised; unknown → English)."""
    token = _active.set(normalise(lang))
    try:
        yield current()
    finally:
        _active.reset(token)


def _(message: str) -> str:
    """`message` in the current language."""
    return translation(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for the count `n`, by the language's own plural rule (ru: 1 эпоха,
    2 эпохи, 5 эпох, 21 эпоха)."""
    return translation(current()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in the current language, as meant in `context` (an op id in a table: "op")."""
    return translation(current()).pgettext(context, message)


def fill(template: str, escape: Callable[[str], str], **values: str) -> str:
    """A translated template with its own words escaped for the output (HTML, LaTeX, Markdown) and the
    values, already in that output's markup, put in as they are."""
    out = []
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        out.append(escape(literal))
        if name is not None:
            out.append(values[name])
    return "".join(out)
