"""PINs and passwords on the command line: asked without echo (twice when setting one), or read one a line
from standard input so provisioning can be scripted. The one place the CLI reads a secret; nothing here
prints or logs one.
"""

from __future__ import annotations

import getpass
import sys

from ui.commands import CommandError


def ask_twice(label: str) -> str:
    """A new secret, typed twice without echo; refused when the two differ."""
    first = getpass.getpass(f"{label}: ")
    if getpass.getpass(f"{label} again: ") != first:
        raise CommandError(f"the two {label}s differ; nothing changed")
    return first


def stdin_lines(count: int, what: str | None = None) -> list[str]:
    """The first `count` lines of standard input, none of them empty (`what` names them in the refusal)."""
    lines = [sys.stdin.readline().rstrip("\r\n") for _ in range(count)]
    if any(not line for line in lines):
        what = what or ("a PIN" if count == 1 else "a PIN and a password, one per line")
        raise CommandError(f"expected {what} on standard input")
    return lines


def read_secret(from_stdin: bool, prompt: str, what: str) -> str:
    """One existing secret: the first line of standard input, or asked once without echo."""
    return stdin_lines(1, what)[0] if from_stdin else getpass.getpass(prompt)
