"""One audit row: what was expected, what was found, PASS or FAIL."""

from __future__ import annotations

from compliance.audit.checks import Check


def test_a_row_passes_or_fails() -> None:
    row = Check("iam.role.trust", "us-east-1", "arn:aws:iam::1:role/r", "trusts only Bedrock", "*", False)
    assert row.result == "FAIL"
    assert Check("n", "r", "res", "e", "a", True).result == "PASS"
