"""The packer panel's words for what is not a scan's verdict: a refused write (the disk, the database file),
an unreadable scan, the badge prompt, a greeting. Split from `ui.verdict_style` (the verdicts' words);
re-exported there. Every word through `ui.i18n.translate` (context "Verdict")."""

from __future__ import annotations

from station.file_guard import StorageError
from ui.i18n import QT_TRANSLATE_NOOP, translate
from ui.refusal_words import storage_words
from ui.verdict_tone import Tone, VerdictStyle

SUPERVISOR_PROMPT = QT_TRANSLATE_NOOP("Verdict", "Supervisor: scan your badge to clear")


def supervisor_prompt() -> str:
    """The red panel's last line, in the current language."""
    return translate("Verdict", SUPERVISOR_PROMPT)


#: Why the station stopped (station.file_guard.FileProblem value -> what happened, in words).
FILE_PROBLEMS = {
    "db_deleted": QT_TRANSLATE_NOOP("Verdict", "the database file was deleted while PackGate was running"),
    "db_replaced": QT_TRANSLATE_NOOP("Verdict", "the database file was replaced while PackGate was running"),
    "wal_deleted": QT_TRANSLATE_NOOP(
        "Verdict", "the database's journal (-wal) file was deleted while PackGate was running"
    ),
    "wal_replaced": QT_TRANSLATE_NOOP(
        "Verdict", "the database's journal (-wal) file was replaced while PackGate was running"
    ),
}
_FILE_PROBLEM = QT_TRANSLATE_NOOP("Verdict", "the database file was deleted or replaced while PackGate was running")


def style_for_storage_error(error: str | BaseException) -> VerdictStyle:
    """The disk refused the write: the scan was NOT counted and the packer must know at once. When the
    database file itself was deleted or replaced, the bench has stopped: every scan is refused until
    PackGate is restarted, and the words say so."""
    problem = getattr(error, "problem", None)
    if problem is not None:
        what = translate("Verdict", FILE_PROBLEMS.get(getattr(problem, "value", str(problem)), _FILE_PROBLEM))
        rescued = getattr(error, "rescued", None)
        hints = [
            translate(
                "Verdict", "The bench has stopped: nothing is saved until PackGate is restarted. Call a supervisor."
            )
        ]
        if rescued is not None:
            hints.append(translate("Verdict", "What was saved before is kept in {path}.").format(path=rescued))
        return VerdictStyle(
            translate("Verdict", "NOT SAVED"),
            translate("Verdict", "Not saved: {what}. This scan and any further scan are not kept.").format(what=what),
            Tone.BLOCKED,
            tuple(hints),
        )
    return VerdictStyle(
        translate("Verdict", "NOT SAVED"),
        translate("Verdict", "Not saved: {why}").format(
            why=storage_words(error) if isinstance(error, StorageError) else error
        ),
        Tone.BLOCKED,
        (translate("Verdict", "Scan the item again. If this repeats, call a supervisor."),),
    )


def style_for_rejected(source: str, reason: str) -> VerdictStyle:
    """Input a scan source could not use (garbage bytes, control characters): nothing was recorded."""
    return VerdictStyle(
        translate("Verdict", "SCAN AGAIN"),
        translate("Verdict", "Unreadable scan from {source}: {reason}").format(source=source, reason=reason),
        Tone.WAIT,
    )


def style_for_badge_prompt() -> VerdictStyle:
    return VerdictStyle(
        translate("Verdict", "WHO IS PACKING?"),
        translate("Verdict", "Scan your badge or pick your name to start the shift"),
        Tone.IDLE,
    )


def style_for_packer(name: str) -> VerdictStyle:
    return VerdictStyle(
        translate("Verdict", "HELLO"),
        translate("Verdict", "{name} is packing. Scan the order barcode to start.").format(name=name),
        Tone.INFO,
    )


def style_for_unknown_badge(code: str) -> VerdictStyle:
    return VerdictStyle(
        translate("Verdict", "UNKNOWN BADGE"),
        translate("Verdict", "Badge {code} is not registered on this station").format(code=code),
        Tone.WAIT,
        (translate("Verdict", "Scan your own badge or pick your name."),),
    )


def style_for_message(headline: str, sentence: str, tone: Tone = Tone.WAIT) -> VerdictStyle:
    """For UI situations without a verdict (e.g. clearing not available on this station): the caller
    translates its own words."""
    return VerdictStyle(headline, sentence, tone)
