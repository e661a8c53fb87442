"""One audit row (`Check`): what was expected of one resource, what was found, whether they agree.

An AWS error becomes the ACTUAL text of a FAIL row through `compliance.aws.error_text`.
"""

from __future__ import annotations

from dataclasses import dataclass


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
