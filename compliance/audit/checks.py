"""One audit row (`Check`): what was expected of one resource, what was found, whether they agree.

An AWS error becomes the ACTUAL text of a FAIL row through `compliance.aws.error_text`, after `cannot read: `: such a
row is not drift but a check that could not be made (`Check.unreadable`).
"""

from __future__ import annotations

from dataclasses import dataclass

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

    @property
    def result(self) -> str:
        return "PASS" if self.passed else "FAIL"

    @property
    def unreadable(self) -> bool:
        """A FAIL row whose resource could not be read: the check was not made, neither drift nor in order."""
        return not self.passed and self.actual.startswith(UNREADABLE)
