"""The words for a refused user change or clearance: `station.users` raises `UserError` (a `UserProblem`
and the fields it names) and `ClearanceRefused` (a `RefusalReason` and the `Task` asked for); the command
line (`ui.commands.users`) and the screens (`ui.supervisor.login`, `ui.supervisor.users_admin`) show the
sentences made here, and those of a failed sign-in (`AuthError` and its kinds). Lower-case, no full stop:
each caller frames the sentence its own way.
"""

from __future__ import annotations

from station import users as u
from ui.i18n import QT_TRANSLATE_NOOP, translate

#: The one sentence for any failed login: it never says whether the badge or user exists.
AUTH_FAILED = QT_TRANSLATE_NOOP("Users", "badge, name, PIN or password not accepted")


def user_error_text(error: u.UserError) -> str:
    """One line saying why a user change was refused."""
    p, e = u.UserProblem, error
    texts = {
        p.BAD_NAME: QT_TRANSLATE_NOOP(
            "Users", "a user name is 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"
        ),
        p.UNKNOWN_ROLE: QT_TRANSLATE_NOOP("Users", "unknown role {role}; choose one of {roles}"),
        p.PIN_NEEDS_BADGE: QT_TRANSLATE_NOOP("Users", "a PIN goes with a badge: give --badge too"),
        p.SECRET_REQUIRED: QT_TRANSLATE_NOOP("Users", "a {role} needs a PIN or a password to log in"),
        p.SET_SECRET_FIRST: QT_TRANSLATE_NOOP("Users", "a {role} needs a PIN or a password to log in: set one first"),
        p.NAME_TAKEN: QT_TRANSLATE_NOOP("Users", "user {name} already exists"),
        p.BADGE_TAKEN: QT_TRANSLATE_NOOP("Users", "that badge is already assigned to another user"),
        p.BADGE_IS_ORDER_CODE: QT_TRANSLATE_NOOP(
            "Users",
            "that badge is the {field} of order {order}: scanned at the bench it "
            "would open that order, not sign anyone in; choose another badge",
        ),
        p.NAME_OR_BADGE_TAKEN: QT_TRANSLATE_NOOP("Users", "user {name} or that badge already exists"),
        p.NO_BADGE: QT_TRANSLATE_NOOP("Users", "{name} has no badge: a PIN is used with a badge scan"),
        p.SAME_PIN: QT_TRANSLATE_NOOP("Users", "the new PIN must differ from the old one"),
        p.NO_SUCH_USER: QT_TRANSLATE_NOOP("Users", "no user {name}"),
        p.PIN_NOT_DIGITS: QT_TRANSLATE_NOOP("Users", "a PIN is digits only"),
        p.PIN_LENGTH: QT_TRANSLATE_NOOP("Users", "a PIN has {low} to {high} digits"),
        p.PASSWORD_TOO_SHORT: QT_TRANSLATE_NOOP("Users", "a password has at least {low} characters"),
    }
    return translate("Users", texts[error.problem]).format(
        role=role_name(e.role) if error.problem is not p.UNKNOWN_ROLE else repr(e.role),
        roles=", ".join(u.ROLES),
        name=e.name,
        field=e.code_field,
        order=e.order_id,
        low=e.low,
        high=e.high,
    )


#: A role as the screens name it (the stored value is the English word).
ROLE_NAMES = {
    "packer": QT_TRANSLATE_NOOP("Users", "packer"),
    "supervisor": QT_TRANSLATE_NOOP("Users", "supervisor"),
    "admin": QT_TRANSLATE_NOOP("Users", "admin"),
}


def role_name(role: str | None) -> str:
    """'supervisor' in the current language (an unknown role as stored)."""
    return translate("Users", ROLE_NAMES[role]) if role in ROLE_NAMES else str(role)


#: After "NAME is a ROLE: ", what the task needs.
_TASK_NEEDS = {
    u.Task.CLEAR_PACKAGE: QT_TRANSLATE_NOOP("Users", "only a supervisor can clear a package"),
    u.Task.CHANGE_USERS: QT_TRANSLATE_NOOP("Users", "only an admin changes users"),
    u.Task.MANAGE_USERS: QT_TRANSLATE_NOOP("Users", "only an admin manages users"),
    u.Task.SIGN_HANDOVER: QT_TRANSLATE_NOOP("Users", "a supervisor signs the hand-over"),
    u.Task.CHANGE_SETTINGS: QT_TRANSLATE_NOOP("Users", "only a supervisor or admin changes the settings"),
}


def refusal_text(refused: u.ClearanceRefused) -> str:
    """One line saying why this signed-in user may not do what they asked."""
    if refused.reason is u.RefusalReason.DISABLED:
        return translate("Users", "{name}'s account is disabled").format(name=refused.display_name)
    if refused.reason is u.RefusalReason.FOUR_EYES:
        return translate("Users", "{name} packed this order: another supervisor must clear it").format(
            name=refused.display_name
        )
    if refused.task is u.Task.SHIFT_VIEW:
        return translate("Users", "the shift view is for supervisors")
    return translate("Users", "{name} is a {role}: {needs}").format(
        name=refused.display_name, role=role_name(refused.role), needs=translate("Users", _TASK_NEEDS[refused.task])
    )


def auth_error_text(error: u.AuthError) -> str:
    """One line saying why a sign-in did not succeed."""
    if isinstance(error, u.AccountLocked):
        return translate("Users", "account locked until {time} UTC after {attempts} wrong attempts").format(
            time=f"{error.until:%H:%M}", attempts=u.MAX_FAILED_ATTEMPTS
        )
    if isinstance(error, u.PinChangeRequired):
        return translate("Users", "choose a new PIN of at least {digits} digits to sign in").format(
            digits=error.min_digits
        )
    if isinstance(error, u.CredentialStoreError):
        return str(error)  # which key file and what is wrong with it (`station.credentials`)
    return translate("Users", AUTH_FAILED)
