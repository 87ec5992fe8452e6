"""``packgate-central serve`` options from the environment, for a systemd unit's ``EnvironmentFile``.

Every long option of ``serve`` can also be given as ``PACKGATE_CENTRAL_<OPTION>`` (upper case, ``-`` as
``_``): ``--port 8700`` is ``PACKGATE_CENTRAL_PORT=8700``, ``--no-docs`` is ``PACKGATE_CENTRAL_NO_DOCS=1``.
A flag on the command line wins over the environment, which wins over the built-in default. The database
keeps its older name, ``PACKGATE_CENTRAL_DB``. Done generically over the parser's own options, so an option
added later is configurable this way without another line here.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping

PREFIX = "PACKGATE_CENTRAL_"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class EnvironmentValueError(ValueError):
    """A ``PACKGATE_CENTRAL_*`` variable holds a value its option does not take; the message names both."""


def variable_name(action: argparse.Action) -> str | None:
    long = [o for o in action.option_strings if o.startswith("--")]
    if not long or action.dest in ("help", "db"):
        return None
    return PREFIX + long[0][2:].upper().replace("-", "_")


def apply_environment(parser: argparse.ArgumentParser, environ: Mapping[str, str] | None = None) -> list[str]:
    """Set ``parser``'s defaults from the environment; returns the variables used (for the start-up log)."""
    environ = os.environ if environ is None else environ
    used = []
    for action in parser._actions:  # argparse has no public list of a parser's options
        name = variable_name(action)
        if name is None or name not in environ:
            continue
        raw = environ[name].strip()
        if isinstance(action, argparse._StoreTrueAction):
            if raw.lower() not in _TRUE | _FALSE:
                raise EnvironmentValueError(f"${name}={raw!r}: write 1 or 0 (true/false, yes/no)")
            action.default = raw.lower() in _TRUE
        elif isinstance(action, argparse._StoreAction):
            try:
                action.default = action.type(raw) if callable(action.type) else raw
            except (TypeError, ValueError) as exc:
                kind = getattr(action.type, "__name__", "value")
                raise EnvironmentValueError(
                    f"${name}={raw!r} is not a valid {kind} for {action.option_strings[0]}"
                ) from exc
            if action.choices is not None and action.default not in action.choices:
                raise EnvironmentValueError(f"${name}={raw!r}: choose one of {', '.join(map(str, action.choices))}")
        else:
            continue
        used.append(name)
    return used
