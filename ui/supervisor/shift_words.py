"""The words for a refused shift hand-over (`handover_error_text`): `station.handover` raises a
`HandoverProblem` and the names it needs; the shift view shows this sentence."""

from __future__ import annotations

from station.handover import HandoverError, HandoverProblem


def handover_error_text(error: HandoverError) -> str:
    words = {
        HandoverProblem.NOT_A_SUPERVISOR: f"{error.who} is a {error.role}: a supervisor signs the hand-over",
        HandoverProblem.UNKNOWN: "no such hand-over",
        HandoverProblem.ALREADY_ACKNOWLEDGED: f"already acknowledged by {error.who}",
        HandoverProblem.OWN_HANDOVER: "the next supervisor acknowledges a hand-over, not the one who made it",
    }
    return words[error.problem]
