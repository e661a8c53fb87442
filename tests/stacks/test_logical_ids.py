"""Logical IDs that must never change by accident: the stateful resources, and those named by ARN elsewhere.

A new logical ID makes CloudFormation create a new resource and delete (or, retained, orphan) the old one: a new
empty log bucket, a new key, a new queue that has lost its messages, a new role callers no longer trust. The IDs
are those of the committed snapshots (tests/support/logical_ids.py); refactoring the constructs must keep them.
"""

from __future__ import annotations

from tests.support import logical_ids as ids
from tests.support.synth import Synth

# The resource types that hold data (or decrypt it), or whose replacement gives callers a new ARN, ID or version.
STATEFUL_TYPES = (
    "AWS::KMS::Key",
    "AWS::S3::Bucket",
    "AWS::Logs::LogGroup",
    "AWS::SQS::Queue",
    "AWS::SNS::Topic",
    "AWS::Glue::Database",
    "AWS::Glue::Table",
    "AWS::Athena::WorkGroup",
    "AWS::Bedrock::Guardrail",
    "AWS::Bedrock::GuardrailVersion",
    "AWS::Bedrock::ApplicationInferenceProfile",
)

STATEFUL = {
    "ClaudeInvocationLogging-": {
        ids.LOG_BUCKET: "AWS::S3::Bucket",
        ids.ACCESS_LOG_BUCKET: "AWS::S3::Bucket",
        ids.LOG_KEY: "AWS::KMS::Key",
        ids.LOG_GROUP: "AWS::Logs::LogGroup",
        ids.PROVIDER_LOG_GROUP: "AWS::Logs::LogGroup",
        ids.ALARM_TOPIC_KEY: "AWS::KMS::Key",
        ids.LOGGING_ALARM_TOPIC: "AWS::SNS::Topic",
        ids.LOG_AUDIT_LOG_GROUP: "AWS::Logs::LogGroup",
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
    "ClaudeUsage-": {
        ids.ATHENA_RESULTS_KEY: "AWS::KMS::Key",
        ids.ATHENA_RESULTS_BUCKET: "AWS::S3::Bucket",
        ids.GLUE_DATABASE: "AWS::Glue::Database",
        ids.GLUE_TABLE: "AWS::Glue::Table",
        ids.ATHENA_WORKGROUP: "AWS::Athena::WorkGroup",
    },
}
# Only with guardrails and teams configured (tests/conftest.py TEAMS_CONTEXT).
STATEFUL_WITH_TEAMS = {
    "ClaudeGuardrails-": {
        ids.GUARDRAIL: "AWS::Bedrock::Guardrail",
        ids.GUARDRAIL_VERSION: "AWS::Bedrock::GuardrailVersion",
    },
    "ClaudeTeams-": {
        ids.DATA_SCIENCE_OPUS_PROFILE: "AWS::Bedrock::ApplicationInferenceProfile",
        ids.DATA_SCIENCE_SONNET_PROFILE: "AWS::Bedrock::ApplicationInferenceProfile",
        ids.SUPPORT_HAIKU_PROFILE: "AWS::Bedrock::ApplicationInferenceProfile",
    },
}

NAMED_BY_ARN = {
    # The configuration resource's ServiceToken is its provider's ARN, which CloudFormation refuses to change.
    "ClaudeInvocationLogging-": {
        ids.CONFIGURATION_RESOURCE: "Custom::BedrockModelInvocationLogging",
        ids.PROVIDER_FUNCTION: "AWS::Lambda::Function",
    },
    "ClaudeInvocationAccess-": {ids.ACCESS_POLICY: "AWS::IAM::ManagedPolicy", ids.ACCESS_ROLE: "AWS::IAM::Role"},
    "ClaudeUsage-": {
        ids.USAGE_QUERY_POLICY: "AWS::IAM::ManagedPolicy",
        ids.USAGE_DASHBOARD: "AWS::CloudWatch::Dashboard",
    },
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


def test_logical_ids_of_every_stateful_resource_are_pinned(
    default_synth: Synth, every_option_synth: Synth, teams_synth: Synth
) -> None:
    # Exactly these, of exactly these types: a new stateful resource must be added here, deliberately.
    for stack_prefix, pinned in STATEFUL.items():
        assert _stateful(default_synth, stack_prefix) == pinned, stack_prefix
    # The same IDs whatever the options; the VPC adds its flow-log group.
    for stack_prefix, pinned in STATEFUL.items():
        extra = {ids.VPC_FLOW_LOG_GROUP: "AWS::Logs::LogGroup"} if stack_prefix == "ClaudeInvoker-" else {}
        assert _stateful(every_option_synth, stack_prefix) == {**pinned, **extra}, stack_prefix
    # Guardrails and teams add their stacks; the others keep exactly their IDs.
    for stack_prefix, pinned in {**STATEFUL, **STATEFUL_WITH_TEAMS}.items():
        assert _stateful(teams_synth, stack_prefix) == pinned, stack_prefix


def test_the_retention_storage_and_settings_keep_their_ids(logging_options_synth: Synth, default_synth: Synth) -> None:
    """With customer-managed retention storage the logging stack adds its bucket and key, and nothing else stateful."""
    retention = {ids.RETENTION_KEY: "AWS::KMS::Key", ids.RETENTION_BUCKET: "AWS::S3::Bucket"}
    pinned = STATEFUL["ClaudeInvocationLogging-"]
    assert _stateful(logging_options_synth, "ClaudeInvocationLogging-") == {**pinned, **retention}
    options = logging_options_synth.templates[logging_options_synth.stack_name("ClaudeInvocationLogging-")]
    assert options["Resources"][ids.RETENTION_STORAGE_RESOURCE]["Type"] == "Custom::BedrockDataRetentionStorage"
    default = default_synth.templates[default_synth.stack_name("ClaudeInvocationLogging-")]
    assert default["Resources"][ids.RETENTION_MODE_RESOURCE]["Type"] == "Custom::BedrockDataRetention"


def test_team_roles_and_policies_are_named_by_team(teams_synth: Synth) -> None:
    resources = teams_synth.templates[teams_synth.stack_name("ClaudeTeams-")]["Resources"]
    for logical_id, kind in (
        (ids.DATA_SCIENCE_ROLE, "AWS::IAM::Role"),
        (ids.DATA_SCIENCE_POLICY, "AWS::IAM::ManagedPolicy"),
        (ids.SUPPORT_ROLE, "AWS::IAM::Role"),
        (ids.SUPPORT_POLICY, "AWS::IAM::ManagedPolicy"),
    ):
        assert resources[logical_id]["Type"] == kind


def test_logical_ids_of_resources_named_by_arn_elsewhere_are_pinned(default_synth: Synth) -> None:
    for stack_prefix, pinned in NAMED_BY_ARN.items():
        resources = default_synth.templates[default_synth.stack_name(stack_prefix)]["Resources"]
        assert {logical_id: resources[logical_id]["Type"] for logical_id in pinned if logical_id in resources} == pinned


def test_the_organization_rollout_keeps_its_ids(organization_synth: Synth) -> None:
    """The StackSet (its replacement deletes every member's stacks), and the member baseline's stateful resources:
    exactly the logging stack's, under the same IDs, without the continuous audit's log group."""
    organization = organization_synth.templates["ClaudeOrganization"]["Resources"]
    # Beside the StackSet, only the organization's policies, which a new ID would replace without losing anything.
    assert {k: r["Type"] for k, r in organization.items() if r["Type"] != "AWS::Organizations::Policy"} == {
        ids.STACK_SET: "AWS::CloudFormation::StackSet"
    }
    pinned = {k: v for k, v in STATEFUL["ClaudeInvocationLogging-"].items() if k != ids.LOG_AUDIT_LOG_GROUP}
    assert _stateful(organization_synth, "ClaudeMemberBaseline") == pinned
    member = organization_synth.templates["ClaudeMemberBaseline"]["Resources"]
    for logical_id, kind in (
        (ids.CONFIGURATION_RESOURCE, "Custom::BedrockModelInvocationLogging"),
        (ids.PROVIDER_FUNCTION, "AWS::Lambda::Function"),
        (ids.MEMBER_ACCESS_POLICY_US_EAST_1, "AWS::IAM::ManagedPolicy"),
        (ids.MEMBER_ACCESS_POLICY_EU_WEST_1, "AWS::IAM::ManagedPolicy"),
        (ids.AUDIT_ROLE, "AWS::IAM::Role"),
    ):
        assert member[logical_id]["Type"] == kind
