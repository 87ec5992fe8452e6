"""The domain refuses a user change or a clearance with a typed reason and the fields its sentence needs;
the words are made in `ui.user_words`, the same words the CLI and the screens showed before."""

from __future__ import annotations

import pytest

from station.user_rules import RefusalReason, Task
from station.users import ClearanceRefused, UserDirectory, UserError, UserProblem, authorize_clearance
from ui.bootstrap import Station
from ui.user_words import refusal_text, user_error_text


def test_a_refused_change_carries_its_reason_and_fields_not_a_sentence(directory: UserDirectory) -> None:
    with pytest.raises(UserError) as refused:
        directory.add("S1", "supervisor", badge="BADGE-X", pin="123456")
    assert (refused.value.problem, refused.value.name) == (UserProblem.NAME_TAKEN, "S1")
    assert str(refused.value) == "name_taken"  # a log key, not words for a person
    assert user_error_text(refused.value) == "user S1 already exists"
    with pytest.raises(UserError) as refused:
        directory.add("S9", "supervisor", badge="BADGE-S9", pin="12")
    assert (refused.value.problem, refused.value.low, refused.value.high) == (UserProblem.PIN_LENGTH, 6, 12)
    assert user_error_text(refused.value) == "a PIN has 6 to 12 digits"
    with pytest.raises(UserError) as refused:
        directory.reset_pin("nobody", "123456")
    assert user_error_text(refused.value) == "no user nobody"


def test_every_problem_and_every_task_has_words() -> None:
    for problem in UserProblem:
        text = user_error_text(UserError(problem, name="S1", role="admin", order_id="1", code_field="tote", low=6))
        assert text and text == text.strip() and not text.endswith(".")
    for task in Task:
        assert refusal_text(ClearanceRefused(RefusalReason.ROLE, "Pat", "packer", task))


def test_clearance_refusals_read_as_before(blocked: Station, directory: UserDirectory) -> None:
    incident = blocked.service.open_incidents()[0]
    packer = directory.authenticate_badge("BADGE-P1", "135791")
    with pytest.raises(ClearanceRefused) as refused:
        authorize_clearance(packer, incident)
    assert refused.value.reason is RefusalReason.ROLE and refused.value.task is Task.CLEAR_PACKAGE
    assert refusal_text(refused.value) == "Pat Packer is a packer: only a supervisor can clear a package"
    refused_admin = ClearanceRefused(RefusalReason.ROLE, "Sam Supervisor", "supervisor", Task.CHANGE_USERS)
    assert refusal_text(refused_admin) == "Sam Supervisor is a supervisor: only an admin changes users"
