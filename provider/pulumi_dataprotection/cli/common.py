"""What every command shares: exit codes, the input error type, consoles, reading files or stdin, printing errors."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.text import Text

EXIT_OK = 0
EXIT_FAILED = 1
"""The check failed (findings at the gate), Azure reported a failure, or the backup job failed or timed out."""
EXIT_USAGE = 2
"""The command line or an input file is wrong (argparse uses 2 as well)."""


class CliError(Exception):
    """A problem the user can fix in the command line or its inputs; ``hint`` says how."""

    def __init__(self, message: str, *, hint: str | None = None, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.exit_code = exit_code


def console(stream: TextIO) -> Console:
    """A rich console on ``stream``: colours and live displays on a terminal, wide plain text otherwise.

    Console markup, emoji codes and highlighting are off: printed strings carry names, tags and messages from Azure
    or a preview, printed as they are (``[bold]``, ``[/x]`` or ``:smile:`` stay text). Styles come from ``Text``."""
    if stream.isatty():
        return Console(file=stream, markup=False, emoji=False, highlight=False)
    width = int(os.environ.get("COLUMNS") or 200)
    return Console(file=stream, width=width, no_color=True, soft_wrap=True, markup=False, emoji=False, highlight=False)


def read_input(path: str) -> tuple[str, str]:
    """The text of a file, or of stdin for ``-``, and a name for it in messages."""
    if path == "-":
        return sys.stdin.read(), "<stdin>"
    try:
        return Path(path).read_text(encoding="utf-8"), path
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from exc


def write_output(path: str, text: str) -> None:
    """Write a generated file (the directory must exist)."""
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror or exc}") from exc


def print_error(err: Console, message: str, hint: str | None = None) -> None:
    """An error on stderr: the message in red, then what to do."""
    err.print(Text("error: ", style="bold red") + Text(message))
    if hint:
        err.print(Text("hint: ", style="bold") + Text(hint))


TOKEN_ENV = "DATAPROTECTION_TOKEN"


def add_token_options(
    parser: argparse.ArgumentParser | argparse._ArgumentGroup, *, what: str = "static bearer token"
) -> None:
    """``--token-file PATH`` (the token's file; else $DATAPROTECTION_TOKEN), and ``--token`` kept hidden for old
    scripts: a command line can be read by every user of the machine."""
    parser.add_argument(
        "--token-file", metavar="PATH", help=f"file holding the {what} (else ${TOKEN_ENV}; never on the command line)"
    )
    parser.add_argument("--token", metavar="TOKEN", help=argparse.SUPPRESS)


def token_option(args: argparse.Namespace, err: Console) -> str | None:
    """The token given by ``--token-file`` (or the deprecated ``--token``, with a warning), None when neither is
    given (callers then read $DATAPROTECTION_TOKEN)."""
    path, inline = getattr(args, "token_file", None), getattr(args, "token", None)
    if path and inline:
        raise CliError("--token and --token-file both give a token", hint="keep --token-file")
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise CliError(f"cannot read --token-file {path}: {exc.strerror or exc}") from None
        if not text:
            raise CliError(f"--token-file {path} is empty")
        return text
    if inline:
        print_error(
            err,
            "warning: --token puts the token on the command line, where every user of this machine can read it "
            "(ps, /proc/<pid>/cmdline)",
            hint=f"set ${TOKEN_ENV} or use --token-file instead; --token will be removed",
        )
        return str(inline)
    return None
