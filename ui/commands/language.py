"""`packgate language`: the screens' language, a site setting (section "language" of the settings file).

`packgate language` says the one set and the ones shipped; `packgate language set de` sets German (the
packer screen speaks it from its next start). An unknown code is refused with the list of codes; the
command line itself stays English (it is for a site's IT)."""

from __future__ import annotations

import argparse
import logging

from station.paths import StationPaths, resolve_data_dir
from station.settings import LanguageSettings, Settings
from ui.commands import CommandError
from ui.commands.common import write_line
from ui.i18n import LANGUAGES, choose_language

logger = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("language", help="the packer and supervisor screens' language (en, de, pl)", parents=[common])
    lsub = p.add_subparsers(dest="language_command", metavar="ACTION")
    p.set_defaults(func=show)
    st = lsub.add_parser("set", help="set the screens' language (from the next start)", parents=[common])
    st.add_argument("code", help=f"one of {', '.join(LANGUAGES)}")
    st.set_defaults(func=set_language)


def _settings(args: argparse.Namespace) -> Settings:
    paths = StationPaths(resolve_data_dir(getattr(args, "data_dir", None))).ensure()
    return Settings.load(paths.settings_file)


def show(args: argparse.Namespace) -> int:
    asked = _settings(args).read(LanguageSettings).code
    choice = choose_language(asked)
    write_line(f"language: {choice.code} ({LANGUAGES[choice.code]})")
    if choice.problem:
        write_line(f"note: the settings say {asked!r}: {choice.problem}")
    write_line("available: " + ", ".join(f"{code} ({name})" for code, name in LANGUAGES.items()))
    return 0


def set_language(args: argparse.Namespace) -> int:
    choice = choose_language(args.code)
    if choice.problem:
        raise CommandError(choice.problem.replace(": using English", ""), 2)
    settings = _settings(args)
    settings.write(LanguageSettings(code=choice.code))
    try:
        settings.save()
    except OSError as exc:
        raise CommandError(f"settings not saved: {exc}", 3) from exc
    logger.info("language set", extra={"language": choice.code})
    write_line(
        f"language set to {choice.code} ({LANGUAGES[choice.code]}); the packer screen speaks it from its next start"
    )
    return 0
