"""The audit of existing Bedrock API keys: an active long-term key (an IAM service-specific credential for
bedrock.amazonaws.com) FAILS with its user and key ID; an inactive or expired one is INFO; none passes.

moto has no service-specific credentials: the fake account answers ListServiceSpecificCredentials from its facts
(tests/support/account_stand_ins.py, checked against IAM's service model), and the paging and request shape are
proven with botocore's Stubber on the real model.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
import pytest
from botocore.stub import Stubber

from compliance.audit.api_keys import BEDROCK_SERVICE, check_bedrock_api_keys
from tests.support.fake_account import (
    ACCESS_DENIED,
    IAM_USER,
    CompliantAccount,
    assert_only_these_rows_fail,
    audit,
    deny,
)

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def rows(account: CompliantAccount) -> list[tuple[str, str, str]]:
    return [(c.resource, c.result, c.actual) for c in audit(account)[1] if c.name == "iam.bedrock_api_keys"]


def test_an_account_without_keys_passes(compliant_account: CompliantAccount) -> None:
    assert rows(compliant_account) == [("IAM users", "PASS", "none among 1 IAM users")]


def test_an_active_key_that_never_expires_fails_with_its_user_and_id(compliant_account: CompliantAccount) -> None:
    key = compliant_account.facts.add_api_key(IAM_USER)
    assert_only_these_rows_fail(compliant_account, {"iam.bedrock_api_keys": "Active, never expires"})
    ((resource, _, _),) = rows(compliant_account)
    assert resource == f"user/{IAM_USER} key {key}"


def test_an_active_key_with_an_expiry_fails_too(compliant_account: CompliantAccount) -> None:
    compliant_account.facts.add_api_key(IAM_USER, expires_in_days=30)
    ((_, result, actual),) = rows(compliant_account)
    assert result == "FAIL" and actual.startswith("Active, expires ") and "(in 29 days)" in actual


@pytest.mark.parametrize(
    ("status", "expires_in_days", "actual"),
    [("Inactive", None, "Inactive: cannot call Bedrock"), ("Expired", -3, "expired "), ("Active", -1, "expired ")],
    ids=["inactive", "expired", "active-but-past-its-expiry"],
)
def test_keys_that_cannot_call_bedrock_are_info(
    compliant_account: CompliantAccount, status: str, expires_in_days: int | None, actual: str
) -> None:
    compliant_account.facts.add_api_key(IAM_USER, status=status, expires_in_days=expires_in_days)
    code, _, output = audit(compliant_account)
    ((_, result, found),) = rows(compliant_account)
    assert (code, result) == (0, "INFO") and found.startswith(actual)
    assert output.rstrip().endswith("0 failed, 1 INFO: no drift")


def test_every_users_keys_are_listed(compliant_account: CompliantAccount) -> None:
    iam = compliant_account.client("iam")
    iam.create_user(UserName="bedrock-explorer")
    compliant_account.facts.add_api_key("bedrock-explorer", key_id="ACCAEXPLORER00000001")
    compliant_account.facts.add_api_key(IAM_USER, status="Inactive", key_id="ACCADEPLOYER00000001")
    assert sorted(rows(compliant_account)) == [
        ("user/bedrock-explorer key ACCAEXPLORER00000001", "FAIL", "Active, never expires: a long-term key calls "
         "Bedrock as this user until deleted or expired"),
        (f"user/{IAM_USER} key ACCADEPLOYER00000001", "INFO", "Inactive: cannot call Bedrock"),
    ]  # fmt: skip


def test_a_refused_listing_is_a_fail_row(compliant_account: CompliantAccount) -> None:
    deny(compliant_account, "before-call.iam.ListUsers")
    assert_only_these_rows_fail(compliant_account, {"iam.bedrock_api_keys": ACCESS_DENIED})


def test_the_keys_are_asked_per_user_for_bedrock_and_paged_by_marker() -> None:
    """Against IAM's real service model: the request names the user and Bedrock's service, and a truncated answer
    is followed by its Marker."""
    iam = boto3.client("iam", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    key = {
        "UserName": "app",
        "Status": "Active",
        "ServiceUserName": "app-at-111122223333",
        "CreateDate": NOW - timedelta(days=1),
        "ServiceSpecificCredentialId": "ACCA0000000000000001",
        "ServiceName": BEDROCK_SERVICE,
        "ExpirationDate": NOW + timedelta(days=5),
    }
    with Stubber(iam) as stub:
        created = NOW - timedelta(days=9)
        user = {"Path": "/", "UserName": "app", "UserId": "AIDA0000000000000001", "CreateDate": created}
        stub.add_response("list_users", {"Users": [{**user, "Arn": "arn:aws:iam::111122223333:user/app"}]}, {})
        asked = {"UserName": "app", "ServiceName": BEDROCK_SERVICE}
        page = {"ServiceSpecificCredentials": [], "IsTruncated": True, "Marker": "m1"}
        stub.add_response("list_service_specific_credentials", page, asked)
        stub.add_response(
            "list_service_specific_credentials", {"ServiceSpecificCredentials": [key]}, asked | {"Marker": "m1"}
        )
        (row,) = check_bedrock_api_keys(iam, now=NOW)
        stub.assert_no_pending_responses()
    assert (row.resource, row.passed) == ("user/app key ACCA0000000000000001", False)
    assert row.actual.startswith("Active, expires 2026-11-30 (in 5 days)")
