"""The audit of every enabled Region: outside `regions`, a Region where Bedrock can be called without logging FAILS;
one whose read an SCP refuses is a WARN that says why; Regions not enabled, or without Bedrock, are not checked.

The fake account's enabled Regions come from its facts (tests/support/account_stand_ins.py); the parsing of a real
DescribeRegions answer is proven with botocore's Stubber on EC2's service model.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber

from compliance.audit.enabled_regions import bedrock_regions, check_every_region
from core.catalog.claude_models import BUILTIN_MODELS
from core.catalog.scopes import SCOPES
from tests.support.fake_account import (
    ACCESS_DENIED,
    OTHER_CONFIGURED_REGION,
    OTHER_REGION,
    REGION,
    CompliantAccount,
    assert_only_these_rows_fail,
    audit,
    deny,
)

SCP_MESSAGE = (
    "User: arn:aws:sts::123456789012:assumed-role/Auditor/cli is not authorized to perform: "
    "bedrock:GetModelInvocationLoggingConfiguration with an explicit deny in a service control policy"
)


def region_rows(account: CompliantAccount) -> dict[str, tuple[str, str]]:
    return {c.region: (c.result, c.actual) for c in audit(account)[1] if c.name == "bedrock.region.logging"}


def refuse_in(account: CompliantAccount, region: str, message: str) -> None:
    """GetModelInvocationLoggingConfiguration in `region` answers 403 AccessDeniedException with `message`."""

    def handler(params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        if f".{region}." not in params["url"]:
            return None
        response = AWSResponse("https://example.invalid", 403, {}, None)  # type: ignore[arg-type]
        error = {"Code": "AccessDeniedException", "Message": message}
        return response, {"Error": error, "ResponseMetadata": {"HTTPStatusCode": 403}}

    account.session.register("before-call.bedrock.GetModelInvocationLoggingConfiguration", handler, first=True)


def test_an_enabled_region_without_logging_fails(compliant_account: CompliantAccount) -> None:
    compliant_account.facts.regions.append((OTHER_REGION, "opt-in-not-required"))
    assert_only_these_rows_fail(
        compliant_account, {"bedrock.region.logging": "not configured: calls made in this Region are logged nowhere"}
    )
    assert region_rows(compliant_account)[OTHER_REGION][0] == "FAIL"


def test_a_region_an_scp_refuses_is_a_warn_that_says_why(compliant_account: CompliantAccount) -> None:
    compliant_account.facts.regions.append((OTHER_REGION, "opt-in-not-required"))
    refuse_in(compliant_account, OTHER_REGION, SCP_MESSAGE)
    code, _, output = audit(compliant_account)
    result, actual = region_rows(compliant_account)[OTHER_REGION]
    assert (code, result) == (0, "WARN")
    assert actual.startswith("refused by a service control policy (AccessDeniedException: ")
    assert "cannot tell whether it refuses invocations too" in actual
    assert output.rstrip().endswith("0 failed, 1 WARN: no drift")


def test_a_refusal_by_anything_but_an_scp_fails(compliant_account: CompliantAccount) -> None:
    refuse_in(compliant_account, OTHER_CONFIGURED_REGION, "not authorized because no identity-based policy allows it")
    assert_only_these_rows_fail(compliant_account, {"bedrock.region.logging": "cannot read: AccessDeniedException"})


def test_regions_not_enabled_and_the_audited_ones_are_not_checked_again(compliant_account: CompliantAccount) -> None:
    compliant_account.facts.regions.append((OTHER_REGION, "not-opted-in"))
    assert set(region_rows(compliant_account)) == {OTHER_CONFIGURED_REGION}
    row = next(c for c in audit(compliant_account)[1] if c.name == "account.regions")
    assert row.actual.startswith(f"3 enabled; audited in full: {REGION}; checked below: {OTHER_CONFIGURED_REGION}")


def test_unreadable_enabled_regions_are_a_fail_row(compliant_account: CompliantAccount) -> None:
    deny(compliant_account, "before-call.ec2.DescribeRegions")
    assert_only_these_rows_fail(compliant_account, {"account.regions": ACCESS_DENIED})


def test_a_describe_regions_answer_is_read_by_its_opt_in_status() -> None:
    """EC2's real service model: enabled are `opt-in-not-required` and `opted-in`; Bedrock's endpoint list decides
    which of them are checked."""
    ec2 = boto3.client("ec2", region_name=REGION, aws_access_key_id="a", aws_secret_access_key="b")
    answer = {
        "Regions": [
            {"RegionName": name, "Endpoint": f"ec2.{name}.amazonaws.com", "OptInStatus": status}
            for name, status in [
                (REGION, "opt-in-not-required"),
                ("eu-central-2", "opted-in"),
                ("me-central-1", "not-opted-in"),
                ("sa-east-1", "opt-in-not-required"),
            ]
        ]
    }
    asked: list[str] = []

    class Bedrock:
        def __init__(self, region: str) -> None:
            asked.append(region)

        def get_model_invocation_logging_configuration(self) -> dict[str, Any]:
            return {}

    with Stubber(ec2) as stub:
        stub.add_response("describe_regions", answer, {})
        rows = check_every_region(ec2, Bedrock, REGION, [REGION])
    assert asked == ["eu-central-2", "sa-east-1"]
    assert [(r.name, r.region, r.passed) for r in rows] == [
        ("account.regions", REGION, True),
        ("bedrock.region.logging", "eu-central-2", False),
        ("bedrock.region.logging", "sa-east-1", False),
    ]


@pytest.mark.parametrize("scope", SCOPES)
def test_every_region_the_catalog_calls_claude_from_has_a_bedrock_endpoint(scope: str) -> None:
    """The endpoint list the audit reads (botocore's) covers the catalog's every source Region of every scope."""
    sources = {source for model in BUILTIN_MODELS for source in model.sources(scope)}
    assert sources and sources <= set(bedrock_regions("aws"))
