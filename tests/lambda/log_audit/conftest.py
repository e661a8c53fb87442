"""Fixtures for the continuous audit's tests: its code root on the path, and a compliant moto account per test.

`lambda/log_audit` is a code root; at synthesis the stack copies it, with compliance/audit and the core modules it
reads, into the function's package. Here the same modules run from the repository.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from tests.support.fake_account import CompliantAccount, compliant_deployment, fake_credentials_session

CODE_ROOT = Path(__file__).resolve().parents[3] / "lambda" / "log_audit"
if str(CODE_ROOT) not in sys.path:
    sys.path.insert(0, str(CODE_ROOT))


@pytest.fixture(scope="package")
def aws_session() -> Iterator[boto3.Session]:
    with fake_credentials_session() as session:
        yield session


@pytest.fixture
def compliant_account(aws_session: boto3.Session) -> Iterator[CompliantAccount]:
    with compliant_deployment(aws_session) as account:
        yield account
