"""One audit row (`Check`): what was expected of one resource, what was found, whether they agree.

An AWS error becomes the ACTUAL text of a FAIL row through `compliance.aws.error_text`, after `cannot read: `: such a
row is not drift but a check that could not be made (`Check.unreadable`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# A row that is not drift but that a reader must see: WARN, a risk the audit cannot settle from what it may read (e.g.
# a Region it may not read because an SCP refuses it); INFO, something listed that is not wrong (e.g. an expired key).
Advisory = Literal["WARN", "INFO"]

# How every check starts the ACTUAL text of a row it could not read.
UNREADABLE = "cannot read: "


@dataclass(frozen=True)
class Check:
    """One row of the audit: what was expected of one resource, what was found, and whether they agree."""

    name: str
    region: str
    resource: str
    expected: str
    actual: str
    passed: bool
    # Only on a row that passes: a WARN or INFO row counts as no drift (exit code 0, CheckPassed 1).
    advisory: Advisory | None = None

    def __post_init__(self) -> None:
        assert self.passed or self.advisory is None, "a failing row is FAIL, never WARN or INFO"

    @property
    def result(self) -> str:
        return self.advisory or ("PASS" if self.passed else "FAIL")

    @property
    def unreadable(self) -> bool:
        """A FAIL row whose resource could not be read: the check was not made, neither drift nor in order."""
        return not self.passed and self.actual.startswith(UNREADABLE)
