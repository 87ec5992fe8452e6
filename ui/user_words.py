"""The words for a refused user change or clearance: `station.users` raises `UserError` (a `UserProblem`
and the fields it names) and `ClearanceRefused` (a `RefusalReason` and the `Task` asked for); the command
line (`ui.commands.users`) and the screens (`ui.supervisor.login`, `ui.supervisor.users_admin`) show the
sentences made here, and those of a failed sign-in (`AuthError` and its kinds). Lower-case, no full stop:
each caller frames the sentence its own way.
"""

from __future__ import annotations

from station import users as u

#: The one sentence for any failed login: it never says whether the badge or user exists.
AUTH_FAILED = "badge, name, PIN or password not accepted"


def user_error_text(error: u.UserError) -> str:
    """One line saying why a user change was refused."""
    p, e = u.UserProblem, error
    words = {
        p.BAD_NAME: "a user name is 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
        p.UNKNOWN_ROLE: f"unknown role {e.role!r}; choose one of {', '.join(u.ROLES)}",
        p.PIN_NEEDS_BADGE: "a PIN goes with a badge: give --badge too",
        p.SECRET_REQUIRED: f"a {e.role} needs a PIN or a password to log in",
        p.SET_SECRET_FIRST: f"a {e.role} needs a PIN or a password to log in: set one first",
        p.NAME_TAKEN: f"user {e.name} already exists",
        p.BADGE_TAKEN: "that badge is already assigned to another user",
        p.BADGE_IS_ORDER_CODE: (
            f"that badge is the {e.code_field} of order {e.order_id}: scanned at the bench it "
            "would open that order, not sign anyone in; choose another badge"
        ),
        p.NAME_OR_BADGE_TAKEN: f"user {e.name} or that badge already exists",
        p.NO_BADGE: f"{e.name} has no badge: a PIN is used with a badge scan",
        p.SAME_PIN: "the new PIN must differ from the old one",
        p.NO_SUCH_USER: f"no user {e.name}",
        p.PIN_NOT_DIGITS: "a PIN is digits only",
        p.PIN_LENGTH: f"a PIN has {e.low} to {e.high} digits",
        p.PASSWORD_TOO_SHORT: f"a password has at least {e.low} characters",
    }
    return words[error.problem]


#: After "NAME is a ROLE: ", what the task needs.
_TASK_NEEDS = {
    u.Task.CLEAR_PACKAGE: "only a supervisor can clear a package",
    u.Task.CHANGE_USERS: "only an admin changes users",
    u.Task.MANAGE_USERS: "only an admin manages users",
    u.Task.SIGN_HANDOVER: "a supervisor signs the hand-over",
    u.Task.CHANGE_SETTINGS: "only a supervisor or admin changes the settings",
}


def refusal_text(refused: u.ClearanceRefused) -> str:
    """One line saying why this signed-in user may not do what they asked."""
    if refused.reason is u.RefusalReason.DISABLED:
        return f"{refused.display_name}'s account is disabled"
    if refused.reason is u.RefusalReason.FOUR_EYES:
        return f"{refused.display_name} packed this order: another supervisor must clear it"
    if refused.task is u.Task.SHIFT_VIEW:
        return "the shift view is for supervisors"
    return f"{refused.display_name} is a {refused.role}: {_TASK_NEEDS[refused.task]}"


def auth_error_text(error: u.AuthError) -> str:
    """One line saying why a sign-in did not succeed."""
    if isinstance(error, u.AccountLocked):
        return f"account locked until {error.until:%H:%M} UTC after {u.MAX_FAILED_ATTEMPTS} wrong attempts"
    if isinstance(error, u.PinChangeRequired):
        return f"choose a new PIN of at least {error.min_digits} digits to sign in"
    if isinstance(error, u.CredentialStoreError):
        return str(error)  # which key file and what is wrong with it (`station.credentials`)
    return AUTH_FAILED
