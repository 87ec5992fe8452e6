"""Sub-commands of the `packgate` command line, one module per noun.

Each module exposes `register(subparsers, common)`, which adds its parser(s) (with `parents=[common]` so
`--data-dir`/`--station` work after the sub-command too) and sets `func=handler` with
`handler(args) -> int` (the exit code). `ui.cli` imports the modules listed in `COMMAND_MODULES`.
Errors meant for the user are raised as `CommandError` and printed as one line.
"""

COMMAND_MODULES = [
    "ui.commands.orders",
    "ui.commands.items",
    "ui.commands.incidents",
    "ui.commands.maintenance",
    "ui.commands.users",
    "ui.commands.decode",
    "ui.commands.sync",
    "ui.commands.desktop",
    "ui.commands.printing",
    "ui.commands.language",
]


class CommandError(Exception):
    """A user-facing failure: printed on stderr as `packgate: <message>`, exit status `exit_code`."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code
