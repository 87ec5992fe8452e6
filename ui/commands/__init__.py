"""Sub-commands of the `packgate` command line, one module per noun.

Each module exposes `register(subparsers)`, which adds its parser(s) and sets `func=handler` with
`handler(args) -> int` (the exit code). `ui.cli` imports the modules listed in `COMMAND_MODULES`.
Errors meant for the user are raised as `ui.commands.CommandError` and printed as one line.
"""

COMMAND_MODULES = [
    "ui.commands.orders",
]


class CommandError(Exception):
    """A user-facing failure: printed as one line on stderr, exit status `exit_code`."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code
