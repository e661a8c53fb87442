"""The moto account itself (tests/support/fake_account.py): its clients are shared by the tests of a session, so what
one test registers on them (a denial, its account's stand-ins) must be gone when the next test starts."""

from __future__ import annotations

import boto3

from tests.support.fake_account import IAM_USER, audit, compliant_deployment, deny, failing


def test_what_a_test_registers_on_the_shared_clients_does_not_reach_the_next(aws_session: boto3.Session) -> None:
    with compliant_deployment(aws_session) as first:
        deny(first, "before-call.s3.GetBucketPolicy")
        first.facts.add_api_key(IAM_USER)
        code, checks, _ = audit(first)
        assert code == 1
        assert {"s3.bucket.deny_log_writes", "s3.bucket.deny_log_deletes", "iam.bedrock_api_keys"} <= set(
            failing(checks)
        )
    with compliant_deployment(aws_session) as second:
        assert second.session.clients is first.session.clients  # the very clients the denial was registered on
        code, checks, output = audit(second)
    assert code == 0, output
    assert not failing(checks)
