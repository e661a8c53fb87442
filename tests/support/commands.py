"""What app.py hands a command (`compliance.command.Settings`, `Options`), for a configuration a test built, and
what the command printed."""

from __future__ import annotations

import io
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from typing import Any

from compliance.command import Options, Settings
from core.config import AppConfig


def settings_of(config: AppConfig) -> Settings:
    """The configuration alone: no context file behind it (only the report reads the context, for its cover)."""
    return Settings(config, context={}, sources=())


def flags(*names: str) -> Options:
    return Options(frozenset(names))


def printed(run: Callable[..., int], *args: Any, **kwargs: Any) -> tuple[int, str, str]:
    """The exit code of `run(*args, **kwargs)`, and what it wrote to standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = run(*args, **kwargs)
    return code, out.getvalue(), err.getvalue()
