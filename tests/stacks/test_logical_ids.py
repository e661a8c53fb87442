"""Logical IDs that must never change by accident: the stateful resources, and those named by ARN elsewhere.

A new logical ID makes CloudFormation create a new resource and delete (or, retained, orphan) the old one: a new
empty log bucket, a new key, a new queue that has lost its messages, a new role callers no longer trust. The IDs
are those of the committed snapshots (tests/support/logical_ids.py); refactoring the constructs must keep them.
"""

from __future__ import annotations

from tests.support import logical_ids as ids
from tests.support.synth import Synth

# The resource types that hold data (or decrypt it) in these stacks.
STATEFUL_TYPES = ("AWS::KMS::Key", "AWS::S3::Bucket", "AWS::Logs::LogGroup", "AWS::SQS::Queue", "AWS::SNS::Topic")

STATEFUL = {
    "ClaudeInvocationLogging-": {
        ids.LOG_BUCKET: "AWS::S3::Bucket",
        ids.ACCESS_LOG_BUCKET: "AWS::S3::Bucket",
        ids.LOG_KEY: "AWS::KMS::Key",
        ids.LOG_GROUP: "AWS::Logs::LogGroup",
        ids.PROVIDER_LOG_GROUP: "AWS::Logs::LogGroup",
    },
    "ClaudeInvoker-": {
        ids.INVOKER_KEY: "AWS::KMS::Key",
        ids.INVOKER_LOG_GROUP: "AWS::Logs::LogGroup",
        ids.DEAD_LETTER_QUEUE: "AWS::SQS::Queue",
        ids.ASYNC_RESULTS_QUEUE: "AWS::SQS::Queue",
        ids.ALARM_TOPIC: "AWS::SNS::Topic",
        ids.ASYNC_RESULTS_BUCKET: "AWS::S3::Bucket",
        ids.RESULTS_ACCESS_LOG_BUCKET: "AWS::S3::Bucket",
    },
    "ClaudeInvocationAccess-": {},
}

NAMED_BY_ARN = {
    "ClaudeInvocationAccess-": {ids.ACCESS_POLICY: "AWS::IAM::ManagedPolicy", ids.ACCESS_ROLE: "AWS::IAM::Role"},
    "ClaudeInvoker-": {
        ids.INVOKER_FUNCTION: "AWS::Lambda::Function",
        ids.INVOKE_FUNCTION_POLICY: "AWS::IAM::ManagedPolicy",
        ids.ASYNC_ALIAS: "AWS::Lambda::Alias",
        ids.READ_ASYNC_RESULTS_POLICY: "AWS::IAM::ManagedPolicy",
    },
}


def _stateful(synth: Synth, stack_prefix: str) -> dict[str, str]:
    resources = synth.templates[synth.stack_name(stack_prefix)]["Resources"]
    return {logical_id: r["Type"] for logical_id, r in resources.items() if r["Type"] in STATEFUL_TYPES}


def test_logical_ids_of_every_stateful_resource_are_pinned(default_synth: Synth, every_option_synth: Synth) -> None:
    # Exactly these, of exactly these types: a new stateful resource must be added here, deliberately.
    for stack_prefix, pinned in STATEFUL.items():
        assert _stateful(default_synth, stack_prefix) == pinned, stack_prefix
    # The same IDs whatever the options; the VPC adds its flow-log group.
    for stack_prefix, pinned in STATEFUL.items():
        extra = {ids.VPC_FLOW_LOG_GROUP: "AWS::Logs::LogGroup"} if stack_prefix == "ClaudeInvoker-" else {}
        assert _stateful(every_option_synth, stack_prefix) == {**pinned, **extra}, stack_prefix


def test_logical_ids_of_resources_named_by_arn_elsewhere_are_pinned(default_synth: Synth) -> None:
    for stack_prefix, pinned in NAMED_BY_ARN.items():
        resources = default_synth.templates[default_synth.stack_name(stack_prefix)]["Resources"]
        assert {logical_id: resources[logical_id]["Type"] for logical_id in pinned if logical_id in resources} == pinned
