"""The words for a refused shift hand-over (`handover_error_text`): `station.handover` raises a
`HandoverProblem` and the names it needs; the shift view shows this sentence (context "Supervisor")."""

from __future__ import annotations

from station.handover import HandoverError, HandoverProblem
from ui.i18n import QT_TRANSLATE_NOOP, translate
from ui.user_words import role_name

_WORDS = {
    HandoverProblem.NOT_A_SUPERVISOR: QT_TRANSLATE_NOOP(
        "Supervisor", "{who} is a {role}: a supervisor signs the hand-over"
    ),
    HandoverProblem.UNKNOWN: QT_TRANSLATE_NOOP("Supervisor", "no such hand-over"),
    HandoverProblem.ALREADY_ACKNOWLEDGED: QT_TRANSLATE_NOOP("Supervisor", "already acknowledged by {who}"),
    HandoverProblem.OWN_HANDOVER: QT_TRANSLATE_NOOP(
        "Supervisor", "the next supervisor acknowledges a hand-over, not the one who made it"
    ),
}


def handover_error_text(error: HandoverError) -> str:
    return translate("Supervisor", _WORDS[error.problem]).format(who=error.who, role=role_name(error.role))
