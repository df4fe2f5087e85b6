"""The window in the user's language, Qt's own way.

Every string the window shows goes through :func:`translate` (``translate("Context", "text")``, the
form ``pyside6-lupdate`` finds in Python sources) or, for a string kept in a table before the language
is known, through :func:`noop` and a :func:`translate` where it is shown. ``scripts/update_translations.py``
runs ``pyside6-lupdate`` over ``gui/`` into ``gui/translations/backprop_<lang>.ts`` (what a translator
edits, in Qt Linguist or a text editor, following ``docs/glossary.md``) and ``pyside6-lrelease`` into the
``.qm`` beside it, which is committed so that running the window needs no build step. A third language is
one more ``.ts`` file, no code change.

The language is chosen once, at start-up (a change in Settings ▸ Language takes effect on restart):
``--lang`` on the command line, else the one saved in Settings, else the system's locale, else English.
:func:`install` loads the window's catalogue and Qt's own (the standard dialogs' buttons) and makes the
same language the engine's (step explanations, worked solutions) for the whole process.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

import engine.i18n

TRANSLATIONS_DIR = Path(__file__).with_name("translations")
CATALOGUE = "backprop"
SOURCE_LANGUAGE = "en"
# Each language by its own name, as the Language menu lists it.
NATIVE_NAMES: Mapping[str, str] = {"en": "English", "ru": "Русский"}


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """`text` in the window's language. `context` groups strings for the translator (a class or a
    module's name). A message with a count is a :class:`Plural`'s, not this function's."""
    return QCoreApplication.translate(context, text, disambiguation, n)


class Plural:
    """Plural messages of one context: ``EpochWords = Plural("EpochWords")`` at module level, then
    ``EpochWords.tr("%n epoch(s)", "", n)`` → 1 эпоха, 2 эпохи, 5 эпох.

    Why not ``translate(context, text, None, n)``: pyside6-lupdate marks a message as plural ("numerus")
    only in a ``.tr(text, disambiguation, n)`` call (or with a literal number), and takes the name before
    ``.tr`` as the context. So the variable's name must be the context given here (a test checks it)."""

    def __init__(self, context: str) -> None:
        self.context = context

    def tr(self, text: str, disambiguation: str | None = "", n: int = -1) -> str:
        return QCoreApplication.translate(self.context, text, disambiguation or None, n)


def noop(context: str, text: str, disambiguation: str | None = None) -> str:
    """Mark `text` for the translator without translating it yet (a table built at import time, before
    the catalogue is loaded); show it with ``translate(context, text)``. lupdate reads the call as
    QT_TRANSLATE_NOOP (a third argument is the disambiguation, as in ``translate``)."""
    return text


# lupdate finds QT_TRANSLATE_NOOP calls by that name.
QT_TRANSLATE_NOOP = noop

# Qt's own strings that Qt's catalogue (qtbase_<lang>.qm of the PySide6 we run on) lacks: Qt 6 renamed
# the file dialog's labels ("&Look in:") and its catalogue still has the old ones; and the one it says
# badly for us (Discard a graph's changes: Russian programs say «Не сохранять», not «Отклонить»).
# Declared here, they are in our .ts under Qt's own contexts; our translator, installed after Qt's, is
# asked first. (context, text, disambiguation)
QT_CATALOGUE_GAPS: tuple[tuple[str, str, str | None], ...] = (
    ("QFileDialog", QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"), None),
    ("QFileDialog", QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"), None),
    (
        "QAbstractFileIconProvider",
        QT_TRANSLATE_NOOP("QAbstractFileIconProvider", "Folder", "All other platforms"),
        "All other platforms",
    ),
    ("QAbstractFileIconProvider", QT_TRANSLATE_NOOP("QAbstractFileIconProvider", "Drive"), None),
    ("QPlatformTheme", QT_TRANSLATE_NOOP("QPlatformTheme", "Discard"), None),
)


def available() -> tuple[str, ...]:
    """The window's languages: English (the strings' own) and every compiled catalogue."""
    found = sorted(p.stem.split("_", 1)[1] for p in TRANSLATIONS_DIR.glob(f"{CATALOGUE}_*.qm"))
    return (SOURCE_LANGUAGE, *found)


def normalise(lang: str | None) -> str:
    """A language code as the catalogues name it ("ru_RU" → "ru"); unknown or missing → English."""
    code = (lang or "").split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return code if code in available() else SOURCE_LANGUAGE


def choose(command_line: str | None, saved: str | None, system: str | None = None) -> str:
    """The language to start in: the command line's, else the saved choice, else the system's."""
    for lang in (command_line, saved):
        if lang:
            return normalise(lang)
    if system is None:
        system = engine.i18n.from_environment() if _environment_says() else QLocale.system().name()
    return normalise(system)


def _environment_says() -> bool:
    import os

    return any(os.environ.get(k) for k in ("LC_ALL", "LC_MESSAGES", "LANG"))


def install(app: QCoreApplication, lang: str) -> list[QTranslator]:
    """Load the window's and Qt's catalogues of `lang` into `app` and make it the engine's language.
    Returns the translators (the application keeps them alive while it is referenced)."""
    lang = normalise(lang)
    engine.i18n.set_language(lang)
    translators: list[QTranslator] = []
    if lang == SOURCE_LANGUAGE:
        return translators
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in ((f"qtbase_{lang}", qt_dir), (f"{CATALOGUE}_{lang}", str(TRANSLATIONS_DIR))):
        tr = QTranslator(app)
        if tr.load(name, folder):
            app.installTranslator(tr)
            translators.append(tr)
    return translators


def uninstall(app: QCoreApplication, translators: list[QTranslator]) -> None:
    """Back to English (tests that build a Russian window and then English ones in one process)."""
    for tr in translators:
        app.removeTranslator(tr)
    engine.i18n.set_language(SOURCE_LANGUAGE)


def error_text(err: BaseException | str) -> str:
    """An error from graph/ or engine/ (raised in English, the language of the exceptions) as the window
    shows it: in the window's language where the engine's catalogue has its pattern."""
    from engine.i18n.errors import translate_error

    return translate_error(str(err))
