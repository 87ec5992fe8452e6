"""The screens speak German and Polish: every packer/supervisor word translated (a word added to the code and
not to the .ts fails here), plural forms right, the committed .qm what lrelease makes of the .ts, headlines that
fit the verdict panel at 1280x800, the packer screen walked in German with no English left, command-sheet
payloads never translated, an unknown language refused with a message."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QFontMetrics

from station.commands import Command
from ui import i18n
from ui.i18n_build import TRANSLATED, lrelease, lupdate, qm_file, ts_file
from ui.incident_words import units

TOY_4003 = "5901230413194"  # order 10030: TOY-4003 x3
NOTEBOOK = "5901230412357"  # OFF-2001: not on order 10030
PLACEHOLDER = re.compile(r"\{\w+\}|%L?n")


def messages(ts: Path) -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(ts).getroot()
    return [
        (ctx.findtext("name") or "", msg.findtext("source") or "", msg)
        for ctx in root.iter("context")
        for msg in ctx.iter("message")
    ]


def forms(msg: ET.Element) -> list[str]:
    tr = msg.find("translation")
    assert tr is not None
    if msg.get("numerus") == "yes":
        return [f.text or "" for f in tr.iter("numerusform")]
    return [tr.text or ""]


@pytest.fixture
def speak(qapp):
    """Switch the screens' language for one test; English again afterwards."""
    yield i18n.install_language
    i18n.install_language("en")


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_word_in_the_sources_is_translated(tmp_path: Path, code: str) -> None:
    """lupdate over today's sources, into a copy of the shipped .ts: a new or changed word arrives
    unfinished and fails here, naming it; each translation keeps its placeholders and has its language's
    number of plural forms (German 2, Polish 3)."""
    copy = tmp_path / ts_file(code).name
    shutil.copy(ts_file(code), copy)
    lupdate(copy)
    found = messages(copy)
    assert len(found) > 300
    untranslated = [
        (ctx, src)
        for ctx, src, msg in found
        if (msg.find("translation") is not None and msg.find("translation").get("type") in ("unfinished", "vanished"))
        or not all(f.strip() for f in forms(msg))
    ]
    assert untranslated == [], f"not translated into {code}: {untranslated[:10]}"
    for ctx, src, msg in found:
        want = {"de": 2, "pl": 3}[code] if msg.get("numerus") == "yes" else 1
        assert len(forms(msg)) == want, (ctx, src)
        for form in forms(msg):
            assert sorted(PLACEHOLDER.findall(form)) == sorted(PLACEHOLDER.findall(src)), (code, ctx, src, form)


@pytest.mark.parametrize("code", ("en", *TRANSLATED))
def test_the_committed_qm_is_what_lrelease_makes_of_the_ts(tmp_path: Path, code: str) -> None:
    """Nobody forgets lrelease: the shipped .qm equals a fresh build of its .ts."""
    fresh = tmp_path / f"packgate_{code}.qm"
    lrelease(ts_file(code), fresh)
    assert fresh.read_bytes() == qm_file(code).read_bytes(), f"run: python -m ui.i18n_build ({code})"


def test_plural_forms_in_each_language(speak) -> None:
    assert [units(n) for n in (1, 3)] == ["1 unit", "3 units"]
    speak("de")
    assert [units(n) for n in (1, 3)] == ["1 Stück", "3 Stück"]
    speak("pl")
    assert [units(n) for n in (1, 2, 5, 22, 25)] == ["1 sztuka", "2 sztuki", "5 sztuk", "22 sztuki", "25 sztuk"]


def test_english_plurals_without_any_application() -> None:
    """The command line and screen-less code read English's plural forms straight from packgate_en.qm."""
    from ui.plural import translate
    from ui.verdict_style import missing_lines_text  # noqa: F401 - imported for its words

    assert translate("Verdict", "… and %n more line(s) (see the list below)", None, 0)(1).startswith(
        "… and 1 more line "
    )


def test_an_unknown_language_gives_a_message_and_english(speak) -> None:
    choice = speak("xx")
    assert choice.code == "en" and "unknown language 'xx'" in choice.problem and "de" in choice.problem
    assert units(2) == "2 units"
    assert speak("de_DE").code == "de" and speak("DE").code == "de" and not speak("PL").problem


def test_numbers_follow_the_language(speak) -> None:
    from ui.scale_words import grams

    assert grams(1700) == "1\u2009700 g"
    speak("de")
    assert grams(1700) == "1.700 g" and grams(52.5) == "52,5 g"
    speak("pl")
    assert grams(1700) == "1700 g" and grams(12345) == "12\u00a0345 g"  # Polish groups from five digits


def test_qt_own_dialog_buttons_are_translated_too(speak) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    speak("de")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "") == "Abbrechen"


def _headlines(code: str) -> set[str]:
    """Every verdict headline (the ALL-CAPS words of the verdict, incident, scale and print contexts)."""
    out = set()
    for ctx, src, msg in messages(ts_file(code)):
        if ctx in ("Verdict", "Incident", "Scale", "Printing", "PackerWindow") and src.isupper() and len(src) > 1:
            out.update(forms(msg))
    return out


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_headline_fits_the_verdict_panel_at_1280x800(qtbot, window, speak, code) -> None:
    """Read at 2 m: the headline is one line at the big type, never elided; measured against the label's
    width in the default window."""
    from ui.verdict_style import style_for_message

    speak(code)
    window.resize(1280, 800)
    window.verdict_panel.show_style(style_for_message("OK", "x"))
    qtbot.waitUntil(lambda: window.verdict_panel.headline.width() > 0)
    label = window.verdict_panel.headline
    room = label.contentsRect().width()
    metrics = QFontMetrics(label.font())
    heads = _headlines(code)
    assert {"GESPERRT", "ZABLOKOWANE"} & heads
    too_wide = {h: metrics.horizontalAdvance(h) for h in heads if metrics.horizontalAdvance(h) > room}
    assert too_wide == {}, f"room {room} px"
    assert window.width() == 1280


def _visible_text(window) -> str:
    from PySide6.QtWidgets import QAbstractButton, QLabel

    parts = [w.text() for w in window.findChildren(QLabel) if w.isVisible()]
    parts += [w.text() for w in window.findChildren(QAbstractButton) if w.isVisible()]
    table = window.lines_table
    parts += [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    parts += [table.item(r, 0).text() for r in range(table.rowCount()) if table.item(r, 0) is not None]
    return "\n".join(parts)


def _english_words() -> set[str]:
    """Words of the English source texts that no German translation uses (so "Code", "SEAL", "OK" are not)."""
    german = " ".join(f for _c, _s, msg in messages(ts_file("de")) for f in forms(msg))
    german_words = {w.lower() for w in re.findall(r"[A-Za-zÄÖÜäöüß]{3,}", german)}
    english = " ".join(re.sub(r"\{\w+\}", " ", src) for _c, src, _m in messages(ts_file("de")))
    return {w.lower() for w in re.findall(r"[A-Za-z]{4,}", english)} - german_words


def test_the_packer_screen_in_german_shows_no_english(qtbot, station, make_window, speak) -> None:
    """Catches words that bypass translate(): the packer screen walked through idle, order loaded, item ok,
    wrong item blocked and (after a supervisor's clearance is refused) seal, every visible label checked."""
    from tests.ui.conftest import scan

    speak("de")
    window = make_window()
    english = _english_words()

    def check(state: str) -> None:
        seen = {w.lower() for w in re.findall(r"[A-Za-z]{4,}", _visible_text(window))}
        left = (seen & english) - _order_words(window)  # the order's own words are data
        assert left == set(), f"{state}: English on the German screen: {sorted(left)}"

    check("idle")
    assert scan(qtbot, window, "ORD-10030").headline == "AUFTRAG GELADEN"
    check("order loaded")
    assert scan(qtbot, window, TOY_4003).headline == "OK"
    check("item ok")
    assert scan(qtbot, window, NOTEBOOK).headline == "FALSCHER ARTIKEL"
    check("wrong item blocked")
    assert scan(qtbot, window, "CMD:SEAL").headline == "FALSCHER ARTIKEL"  # still blocked: seal refused
    check("seal while blocked")
    assert "Verschließen abgelehnt" in window.verdict_panel.also.text()


def _order_words(window) -> set[str]:
    """Words of the order on the bench (item descriptions, ship-to, carrier): data, not the screen's words."""
    order = window.service.order
    if order is None:
        return set()
    text = f"{order.ship_to} {order.carrier} " + " ".join(f"{ln.description} {ln.sku}" for ln in order.lines)
    return {w.lower() for w in re.findall(r"[A-Za-z]{4,}", text)}


def test_the_command_sheet_payloads_are_never_translated(tmp_path: Path, speak) -> None:
    """The words under each barcode follow the language; the barcodes themselves decode to the same
    CMD:... payloads in every language."""
    import cv2
    import zxingcpp

    from ui.command_sheet import sheet_lines, write_command_sheet

    english = sheet_lines()
    decoded = {}
    for code in ("en", *TRANSLATED):
        speak(code)
        lines = sheet_lines()
        assert (
            [c for c, _ in lines]
            == [c for c, _ in english]
            == [
                Command.SEAL.barcode,
                Command.UNDO.barcode,
                Command.CANCEL.barcode,
                Command.REPRINT.barcode,
            ]
        )
        if code != "en":
            assert all(a != b for (_, a), (_, b) in zip(lines, english, strict=True))
        image = cv2.imread(str(write_command_sheet(tmp_path / f"sheet-{code}.png")), cv2.IMREAD_GRAYSCALE)
        decoded[code] = sorted(r.text for r in zxingcpp.read_barcodes(image))
    assert decoded["de"] == decoded["pl"] == decoded["en"] == sorted(c for c, _ in english)


def test_the_language_command_sets_it_and_refuses_an_unknown_one(tmp_path: Path, capsys) -> None:
    from station.paths import StationPaths
    from station.settings import LanguageSettings, Settings
    from ui.cli import main

    data = ["--data-dir", str(tmp_path / "d")]
    assert main(["language", "set", "pl", *data]) == 0
    settings_file = StationPaths(tmp_path / "d").settings_file
    assert Settings.load(settings_file).read(LanguageSettings).code == "pl"
    assert main(["language", "set", "klingon", *data]) == 2
    assert "unknown language 'klingon'" in capsys.readouterr().err
    assert main(["language", *data]) == 0
    assert "language: pl (Polski)" in capsys.readouterr().out


def test_the_language_setting_reads_leniently(tmp_path: Path) -> None:
    """A hand-edited settings file: a number or nothing is English; the text is kept as typed (trimmed) for
    ui.i18n to judge, so a mistyped code reaches the screen's message instead of vanishing."""
    from station.settings import LanguageSettings, Settings

    settings = Settings(tmp_path / "settings.json")
    assert settings.read(LanguageSettings).code == "en"
    for raw, code in (({"code": 5}, "en"), ({"code": " de "}, "de"), ({"code": "klingon"}, "klingon")):
        settings.set_section("language", raw)
        assert settings.read(LanguageSettings).code == code
    settings.write(LanguageSettings(code="pl"))
    settings.save()
    assert Settings.load(tmp_path / "settings.json").read(LanguageSettings).code == "pl"
    assert i18n.choose_language("klingon").code == "en"


def test_the_settings_dialog_sets_the_language(qtbot, window) -> None:
    """A supervisor picks Polski in the settings dialog; the file says pl; the dialog opens on it next time."""
    from station.settings import LanguageSettings, Settings
    from ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.station.settings, window.sources, window)
    qtbot.addWidget(dialog)
    assert dialog.language_combo.currentData() == "en"
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("pl"))
    dialog.save()
    assert Settings.load(window.station.settings.path).read(LanguageSettings).code == "pl"
    again = SettingsDialog(window.station.settings, window.sources, window)
    qtbot.addWidget(again)
    assert again.language_combo.currentText() == "Polski"
