"""Conditions in words: each operator and key the templates use, the fallback for any other, never JSON."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from compliance.report.cloud_assembly import Names, read_stacks
from compliance.report.conditions import describe, in_words
from tests.support.synth import Synth

CASES = [
    ({"StringEquals": {"aws:SourceAccount": "{account}"}}, "only on behalf of this account"),
    ({"StringEquals": {"aws:SourceAccount": "111122223333"}}, "only on behalf of account 111122223333"),
    (
        {"ArnLike": {"aws:SourceArn": "arn:aws:bedrock:us-east-1:{account}:*"}},
        "only for requests from Bedrock resources of this account in us-east-1",
    ),
    (
        {"StringNotEquals": {"aws:PrincipalServiceName": "bedrock.amazonaws.com"}},
        "unless the caller is the service bedrock.amazonaws.com",
    ),
    ({"ArnNotEquals": {"aws:PrincipalArn": "arn:aws:iam::1:role/B"}}, "unless the caller is arn:aws:iam::1:role/B"),
    ({"Bool": {"aws:SecureTransport": "false"}}, "only without TLS"),
    ({"NumericLessThan": {"s3:TlsVersion": 1.2}}, "only when s3:TlsVersion is less than 1.2"),
    ({"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}, "only for requests to eu-west-1"),
    (
        {"StringEquals": {"aws:RequestedRegion": "unspecified"}},
        "only for requests to no Region ('unspecified', cross-Region routing)",
    ),
    ({"StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}}, "only through S3 in eu-west-1"),
    (
        {
            "ArnLike": {
                "kms:EncryptionContext:aws:logs:arn": [
                    "arn:aws:logs:us-east-1:{account}:log-group:/a/b",
                    "arn:aws:logs:us-east-1:{account}:log-group:/c",
                ]
            }
        },
        "only for the log groups /a/b or /c",
    ),
    ({"StringEquals": {"s3:ResourceAccount": "{account}"}}, "only in buckets of this account"),
    (
        {
            "StringEquals": {
                "bedrock:InferenceProfileArn": [
                    "arn:aws:bedrock:us-east-1:{account}:inference-profile/us.x",
                    "{Team/Profile}",
                ]
            }
        },
        "only through the profiles us.x or {Team/Profile}",
    ),
    ({"StringNotEquals": {"bedrock:GuardrailIdentifier": "{G}:{V}"}}, "unless the guardrail {G}:{V} is applied"),
    ({"StringEquals": {"cloudwatch:namespace": "NS"}}, "only in the metric namespace NS"),
    ({"StringEquals": {"iam:PassedToService": "bedrock.amazonaws.com"}}, "only when passed to bedrock.amazonaws.com"),
    ({"StringEquals": {"sts:ExternalId": "abc"}}, "only with the external ID abc"),
    ({"StringEquals": {"aws:PrincipalOrgID": "o-1"}}, "only for principals of the organization o-1"),
    # Unknown keys and operators: readable words, qualifiers said.
    ({"StringLike": {"ec2:InstanceType": ["t3.*", "m5.*"]}}, "only when ec2:InstanceType matches t3.* or m5.*"),
    ({"StringNotEqualsIfExists": {"x:Y": "z"}}, "unless x:Y is z (when present)"),
    ({"ForAnyValue:StringEquals": {"aws:TagKeys": "a"}}, "only when aws:TagKeys is a (for any value)"),
    ({"Null": {"aws:TokenIssueTime": "true"}}, "only when aws:TokenIssueTime is absent"),
    (
        {"DateGreaterThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}},
        "only when aws:CurrentTime is after 2030-01-01T00:00:00Z",
    ),
    ({"SomeFutureOperator": {"k:v": "1"}}, "only when k:v SomeFutureOperator 1"),
]


@pytest.mark.parametrize(("condition", "words"), CASES, ids=[c[1][:40] for c in CASES])
def test_each_operator_and_key_reads_as_words(condition: dict[str, dict[str, object]], words: str) -> None:
    assert describe(condition) == [words]


def test_every_phrase_of_a_block_holds_together() -> None:
    condition = {
        "StringEquals": {"aws:SourceAccount": "{account}"},
        "ArnLike": {"aws:SourceArn": "arn:aws:bedrock:eu-west-1:{account}:*"},
    }
    assert in_words(condition) == (
        "only on behalf of this account, only for requests from Bedrock resources of this account in eu-west-1"
    )
    assert in_words(None) == in_words({}) == ""


def _conditions(value: Any) -> Iterator[dict[str, Any]]:
    """Every `Condition` block of every policy statement in a template."""
    if isinstance(value, dict):
        if "Effect" in value and isinstance(value.get("Condition"), dict):
            yield value["Condition"]
        for item in value.values():
            yield from _conditions(item)
    elif isinstance(value, list):
        for item in value:
            yield from _conditions(item)


def test_no_condition_of_the_templates_is_left_as_json(every_option_synth: Synth, teams_synth: Synth) -> None:
    """Every condition of every synthesized policy reads as words: no JSON, no operator name, no intrinsic."""
    seen = 0
    for synth in (every_option_synth, teams_synth):
        stacks = read_stacks(synth.outdir)
        names = Names(stacks)
        for stack in stacks:
            for block in _conditions(stack.template):
                text = in_words(names.text(block, stack.region))
                assert text.startswith(("only ", "unless ")), text
                assert '{"' not in text and "Fn::" not in text and "Equals" not in text and "Like" not in text, text
                seen += 1
    assert seen >= 20
