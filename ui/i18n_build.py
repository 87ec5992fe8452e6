"""Refresh the translation files: `python -m ui.i18n_build` runs Qt's own tools on the sources.

1. ``pyside6-lupdate`` reads every ``translate(...)`` / ``QT_TRANSLATE_NOOP(...)`` in ``ui/`` and updates
   ``ui/translations/packgate_{de,pl}.ts`` (new words arrive ``unfinished``; a translator fills them in,
   with Qt Linguist or an editor) and ``packgate_en.ts`` (English's plural forms only, ``-pluralonly``).
2. ``pyside6-lrelease`` compiles each ``.ts`` into the ``.qm`` the application loads.

The ``.qm`` files are committed next to the ``.ts`` (a wheel needs them, and a site has no Qt tools);
``tests/ui/test_translations.py`` fails when a ``.qm`` is not what ``lrelease`` makes of its ``.ts`` today,
and when a packer or supervisor word has no German or Polish.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

from ui.i18n import LANGUAGES, TRANSLATIONS_DIR

logger = logging.getLogger(__name__)

UI_DIR = Path(__file__).resolve().parent
#: The languages whose .ts hold full translations (English's holds only its plural forms).
TRANSLATED = tuple(code for code in LANGUAGES if code != "en")


def tool(name: str) -> str:
    """A Qt tool next to this Python (the venv's bin), else on PATH."""
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} not found (pip install PySide6)")
    return found


def sources() -> list[Path]:
    """Every ui module that may hold words (the build script and the translations dir excepted)."""
    return sorted(p for p in UI_DIR.rglob("*.py") if p.name != "i18n_build.py")


def ts_file(code: str) -> Path:
    return TRANSLATIONS_DIR / f"packgate_{code}.ts"


def qm_file(code: str) -> Path:
    return TRANSLATIONS_DIR / f"packgate_{code}.qm"


def lupdate(ts: Path, *, plural_only: bool = False, obsolete: bool = False) -> str:
    """Extract the sources' messages into `ts` (created or updated); lupdate's report."""
    args = [tool("pyside6-lupdate"), *(str(p.relative_to(UI_DIR)) for p in sources())]
    if plural_only:
        args.append("-pluralonly")
    if not obsolete:
        args.append("-no-obsolete")
    args += ["-locations", "none", "-ts", str(ts.resolve())]
    done = subprocess.run(args, cwd=UI_DIR, capture_output=True, text=True, timeout=300, check=True)
    return done.stdout + done.stderr


def lrelease(ts: Path, qm: Path) -> str:
    done = subprocess.run(
        [tool("pyside6-lrelease"), "-nounfinished", str(ts), "-qm", str(qm)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return done.stdout + done.stderr


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    TRANSLATIONS_DIR.mkdir(exist_ok=True)
    for code in LANGUAGES:
        logger.info("%s", lupdate(ts_file(code), plural_only=code == "en").strip())
        logger.info("%s", lrelease(ts_file(code), qm_file(code)).strip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
