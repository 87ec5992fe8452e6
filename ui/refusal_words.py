"""The words for a refused write or a refused supervisor operation: the domain raises typed reasons
(`station.file_guard.StorageReason` on `StorageError`, `station.refusals.Refusal` on `NotAllowed`), this
module says them."""

from __future__ import annotations

from station.file_guard import StorageError, StorageReason
from station.model import RESOLUTIONS
from station.refusals import NotAllowed, Refusal
from ui.i18n import translate

__all__ = ["refusal_words", "storage_words", "words_for"]


def storage_words(exc: StorageError) -> str:
    """Why nothing was saved, in one line for the packer."""
    reason = getattr(exc, "reason", None)
    if reason is StorageReason.DISK_FULL:
        return translate("Refusal", "the disk is full: nothing was saved")
    if reason is StorageReason.LOCKED:
        return translate("Refusal", "the database is busy (locked by another program): nothing was saved, scan again")
    if reason is StorageReason.READ_ONLY:
        return translate("Refusal", "the database is read-only: nothing was saved")
    if reason is StorageReason.BENCH_CHANGING:
        return translate(
            "Refusal", "the order kept changing on another bench or program: nothing was saved, scan again"
        )
    if reason is StorageReason.FILE_CHANGED or reason is None:
        return str(exc)  # its own line (station.file_guard.DatabaseFileChanged)
    return translate("Refusal", "the database refused the write ({detail}): nothing was saved").format(
        detail=exc.detail
    )


def refusal_words(exc: NotAllowed) -> str:
    """Why a supervisor's clearance or escalation was refused."""
    reason = exc.reason
    if reason is Refusal.UNKNOWN_RESOLUTION:
        return translate("Refusal", "unknown resolution {resolution}; choose one of {choices}").format(
            resolution=repr(exc.resolution), choices=", ".join(RESOLUTIONS)
        )
    if reason is Refusal.REASON_REQUIRED:
        return translate("Refusal", "a reason is required")
    if reason is Refusal.NO_SUCH_INCIDENT:
        return translate("Refusal", "no incident {incident}").format(incident=exc.incident_id)
    if reason is Refusal.ALREADY_RESOLVED:
        return translate("Refusal", "incident {incident} is already {status}").format(
            incident=exc.incident_id, status=exc.status
        )
    if reason is Refusal.FOUR_EYES:
        return translate("Refusal", "four eyes: the packer who caused an incident cannot clear it")
    if reason is Refusal.NOT_ON_THIS_BENCH:
        return translate(
            "Refusal",
            "order {order} is not on this bench: ship it short, pull it or escalate it at the bench where it is",
        ).format(order=exc.order_id)
    return reason.value.replace("_", " ")


def words_for(exc: BaseException) -> str:
    """The one line shown for a refused operation of either kind (anything else: its own text)."""
    if isinstance(exc, NotAllowed):
        return refusal_words(exc)
    if isinstance(exc, StorageError):
        return storage_words(exc)
    return str(exc)
