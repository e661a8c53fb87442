"""The audit of the role Bedrock delivers CloudWatch Logs records with: it exists and trusts Bedrock only."""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import quote

import pytest

from compliance.audit import trusted_principals
from tests.support.fake_account import (
    ACCESS_DENIED,
    CompliantAccount,
    assert_only_these_rows_fail,
    deny,
    trust_policy,
)


def trust_another_account(account: CompliantAccount) -> None:
    account.client("iam").update_assume_role_policy(
        RoleName=account.role_name,
        PolicyDocument=trust_policy({"Service": "bedrock.amazonaws.com"}, {"AWS": "arn:aws:iam::999999999999:root"}),
    )


def delete_role(account: CompliantAccount) -> None:
    account.client("iam").delete_role(RoleName=account.role_name)


DRIFTS = [
    pytest.param(trust_another_account, {"iam.role.trust": "AWS:arn:aws:iam::999999999999:root"}, id="role-trust"),
    pytest.param(delete_role, {"iam.role.exists": "not found"}, id="role-deleted"),
]


@pytest.mark.parametrize(("drift", "expected_failures"), DRIFTS)
def test_drift_fails_its_own_row_only(
    compliant_account: CompliantAccount,
    drift: Callable[[CompliantAccount], None],
    expected_failures: dict[str, str],
) -> None:
    drift(compliant_account)
    assert_only_these_rows_fail(compliant_account, expected_failures)


def test_access_denied_is_a_fail_row(compliant_account: CompliantAccount) -> None:
    deny(compliant_account, "before-call.iam.GetRole")
    assert_only_these_rows_fail(compliant_account, {"iam.role.exists": ACCESS_DENIED})


def test_trust_principals_flag_wildcards_and_not_principal() -> None:
    document = {
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}, "Action": "sts:AssumeRole"},
            {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::2:root"}, "Action": "sts:AssumeRole"},
        ]
    }
    assert trusted_principals(document) == ["*", "NotPrincipal (everyone else)"]
    encoded = quote(
        json.dumps({"Statement": [{"Effect": "Allow", "Principal": {"Service": ["bedrock.amazonaws.com"]}}]})
    )
    assert trusted_principals(encoded) == ["Service:bedrock.amazonaws.com"]
