"""The screens' language: Qt's own translation system (``.ts`` sources, ``.qm`` compiled, in ``ui/translations``).

Every word a packer or supervisor reads goes through :func:`translate` (``QCoreApplication.translate``), which
``pyside6-lupdate`` finds in the source and extracts into ``ui/translations/packgate_<lang>.ts``; tables built at
import time mark their words with :func:`QT_TRANSLATE_NOOP` and translate them when shown, so the language in
force when a screen is painted is the one it speaks. A count in a sentence is a plural-form message
(``translate(ctx, "%n unit(s)", None, n)``): English, German (two forms) and Polish (three forms) each get theirs.
English plural forms live in ``packgate_en.qm`` (Qt's way: the English "translation" holds only the plurals);
:func:`translate` also reads that file directly when no application or translator is installed (the command line,
tests without a screen), so "1 unit" / "3 units" never read "3 unit(s)".

The language is a site setting (``station.settings.LanguageSettings``, ``packgate language set de``, the settings
dialog); :func:`install_language` loads it at start with a ``QTranslator`` for PackGate's words and one for Qt's own
(``qtbase_<lang>.qm``: the standard dialogs' buttons), and makes the language's ``QLocale`` the default so numbers
and times are written its way. An unknown language gives a clear message and English, never a crash.
Logs stay English: they are for developers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

logger = logging.getLogger(__name__)

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
DEFAULT_LANGUAGE = "en"
#: The languages shipped, by code, each named in its own language (for the settings' list).
LANGUAGES: dict[str, str] = {"en": "English", "de": "Deutsch", "pl": "Polski"}


class _Installed:
    """What `install_language` put in place: the language and its translators (kept alive here)."""

    language = DEFAULT_LANGUAGE
    translators: list[QTranslator] = []
    english: QTranslator | None = None  # English's plural forms, loaded on first use
    english_tried = False


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark `text` for extraction into `context` without translating it now (a table built at import)."""
    return text


def _english_plurals() -> QTranslator | None:
    if not _Installed.english_tried:
        _Installed.english_tried = True
        translator = QTranslator()
        path = TRANSLATIONS_DIR / "packgate_en.qm"
        if translator.load(str(path)):
            _Installed.english = translator
        else:
            logger.error("English plural forms missing", extra={"path": str(path)})
    return _Installed.english


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``QCoreApplication.translate``: `text` in the current language (as is when there is no translation);
    with `n` >= 0 a plural-form message whose ``%n`` becomes `n`."""
    result = QCoreApplication.translate(context, text, disambiguation, n)
    if n >= 0 and result == _counted(text, n):  # not translated here: English's own plural forms
        english = _english_plurals()
        form = english.translate(context, text, disambiguation, n) if english is not None else ""
        if form:
            result = _counted(form, n)
    return result


def _counted(text: str, n: int) -> str:
    """What Qt makes of a plural form: ``%n`` the count, ``%Ln`` the count in the default locale's digits."""
    return text.replace("%Ln", QLocale().toString(n)).replace("%n", str(n))


def current_language() -> str:
    return _Installed.language


@dataclass(frozen=True)
class LanguageChoice:
    """The language a setting asks for, as used: `code` one of :data:`LANGUAGES`; `problem` says (in
    words, for the screen and the log) why the asked-for one was not taken."""

    code: str
    problem: str = ""


def choose_language(asked: str | None) -> LanguageChoice:
    """The setting's value, checked: ``"de"``, ``"DE"``, ``"de_DE"`` -> German; anything unknown -> English
    with a message naming the languages there are."""
    text = (asked or "").strip()
    if not text:
        return LanguageChoice(DEFAULT_LANGUAGE)
    code = text.replace("-", "_").split("_")[0].lower()
    if code in LANGUAGES:
        return LanguageChoice(code)
    return LanguageChoice(
        DEFAULT_LANGUAGE,
        f"unknown language {text!r}: using English (choose one of {', '.join(sorted(LANGUAGES))})",
    )


def install_language(asked: str | None) -> LanguageChoice:
    """Speak `asked` from now on: PackGate's and Qt's own translators installed (the previous ones removed),
    the language's QLocale the default. Needs the QApplication; returns what was used."""
    choice = choose_language(asked)
    if choice.problem:
        logger.warning("language setting not usable", extra={"asked": asked, "problem": choice.problem})
    app = QCoreApplication.instance()
    if app is not None:
        for translator in _Installed.translators:
            QCoreApplication.removeTranslator(translator)
    installed: list[QTranslator] = []
    if choice.code != DEFAULT_LANGUAGE and app is not None:
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for name, where in ((f"qtbase_{choice.code}", qt_dir), (f"packgate_{choice.code}", str(TRANSLATIONS_DIR))):
            translator = QTranslator(app)
            if translator.load(name, where):
                QCoreApplication.installTranslator(translator)
                installed.append(translator)
            else:
                logger.warning("translation file not found", extra={"file": name, "dir": where})
    QLocale.setDefault(QLocale(choice.code))
    _Installed.translators, _Installed.language = installed, choice.code
    logger.info("language set", extra={"language": choice.code})
    return choice


def locale() -> QLocale:
    """The chosen language's QLocale (numbers, dates)."""
    return QLocale(current_language())


def number(value: float, decimals: int = 0) -> str:
    """`value` as the chosen language writes it ("1,700" / "1.700" / "1 700"); English as before (a thin
    space between thousands, which reads the same to everyone)."""
    if current_language() == DEFAULT_LANGUAGE:
        return f"{value:,.{decimals}f}".replace(",", "\u2009")
    return locale().toString(float(value), "f", decimals)
