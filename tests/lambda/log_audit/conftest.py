"""Fixtures for the continuous audit's tests: its code root on the path, and a compliant moto account per test.

`lambda/log_audit` is a code root; at synthesis the stack copies it, with compliance/audit and the modules they
read, into the function's package. Here the same modules run from the repository.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.support.audit_fixtures import aws_session, compliant_account

CODE_ROOT = Path(__file__).resolve().parents[3] / "lambda" / "log_audit"
if str(CODE_ROOT) not in sys.path:
    sys.path.insert(0, str(CODE_ROOT))

__all__ = ["aws_session", "compliant_account"]
