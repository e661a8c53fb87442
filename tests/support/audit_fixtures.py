"""The moto account the audit tests read, as pytest fixtures shared by every test of the checks: the command's
(tests/compliance/), the report as deployed, and the continuous audit function's (tests/lambda/log_audit/).

A conftest imports them (`from tests.support.audit_fixtures import aws_session, compliant_account`); the session
is shared by the conftest's package, the account is fresh per test.
"""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest

from tests.support.fake_account import CompliantAccount, compliant_deployment, fake_credentials_session


@pytest.fixture(scope="package")
def aws_session() -> Iterator[boto3.Session]:
    """Fake credentials, no profile, one session for the package."""
    with fake_credentials_session() as session:
        yield session


@pytest.fixture
def compliant_account(aws_session: boto3.Session) -> Iterator[CompliantAccount]:
    """What the invocation-logging stack deploys in us-east-1, in moto; each test drifts its own copy."""
    with compliant_deployment(aws_session) as account:
        yield account
