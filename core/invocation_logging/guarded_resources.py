"""The event patterns that hear every step that would blind the guards of invocation logging or destroy what they
keep: on the project's own buckets, log groups, keys, rules, alarms, topic, provider functions and roles, and on
any trail of the account.

Matched on CloudTrail management events as EventBridge delivers them ("AWS API Call via CloudTrail"), by the
service's `eventSource` and `eventName` (the API action: "eventName: The requested action, which is one of the
actions in the API for that service", CloudTrail record contents), scoped to the project's resources by the name or
ARN the call carries in `requestParameters`. Where names are many, a prefix: alarm names begin with their stack's
name (as CloudFormation generates them, and docs/platform/logging.md lists them by it), the guard rules' with one
the stack sets. Trails are not the
project's: any change of one is heard. Lambda records its calls with an API version (`UpdateFunctionCode20150331v2`),
hence prefixes. IAM is global: its events reach EventBridge only in us-east-1 ("The default event bus for the us-east-1
Region receives all events that the global services generate", AWS Knowledge Center,
https://repost.aws/knowledge-center/eventbridge-rule-triggers-iam-single-region), so the role patterns fire only in
a stack of that Region. A pattern may hold at most 2,048 characters (botocore's events model, `EventPattern`), hence
one rule per group of resources (tests/stacks/invocation_logging/test_guard_rules.py bounds each with the longest
names CloudFormation may give).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.invocation_logging.guard import CLOUDTRAIL_DETAIL_TYPE

Filter = str | dict[str, str]

BUCKET_CHANGES: tuple[Filter, ...] = (
    "PutBucketPolicy",
    "DeleteBucketPolicy",
    "PutBucketVersioning",
    {"prefix": "PutBucketLifecycle"},
    {"prefix": "DeleteBucketLifecycle"},
    {"wildcard": "Put*ObjectLockConfiguration"},
    "PutBucketReplication",
    "DeleteBucketReplication",
    "PutBucketEncryption",
    "DeleteBucketEncryption",
    "DeleteBucket",
    # Data events, heard when a trail records them for the bucket: the break-glass path.
    "DeleteObject",
    "DeleteObjects",
)
LOG_GROUP_CHANGES = (
    "PutRetentionPolicy",
    "DeleteRetentionPolicy",
    "DeleteLogGroup",
    "DeleteLogStream",
    "DisassociateKmsKey",
)
KEY_CHANGES = ("DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy", "DisableKeyRotation")
RULE_CHANGES = ("DisableRule", "DeleteRule", "PutRule", "RemoveTargets", "PutTargets")
ALARM_CHANGES = ("DeleteAlarms", "DisableAlarmActions", "PutMetricAlarm")
TOPIC_CHANGES = ("DeleteTopic", "SetTopicAttributes", "RemovePermission")
TRAIL_CHANGES = ("StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors")
FUNCTION_CHANGES = (
    "UpdateFunctionCode",
    "UpdateFunctionConfiguration",
    "AddPermission",
    "RemovePermission",
    "PublishVersion",
    "CreateAlias",
    "UpdateAlias",
    "DeleteAlias",
    "DeleteFunction",
    "PutFunctionConcurrency",
)
ROLE_CHANGES = (
    "UpdateAssumeRolePolicy",
    "AttachRolePolicy",
    "DetachRolePolicy",
    "PutRolePolicy",
    "DeleteRolePolicy",
    "PutRolePermissionsBoundary",
    "DeleteRolePermissionsBoundary",
    "DeleteRole",
)
POLICY_CHANGES = ("CreatePolicyVersion", "SetDefaultPolicyVersion", "DeletePolicyVersion")
EVENT_PATTERN_LIMIT = 2048


@dataclass(frozen=True)
class GuardedResources:
    """The project's resources of one logging stack, by what their calls name them with (tokens at synthesis)."""

    buckets: tuple[str, ...]
    log_groups: tuple[str, ...]
    # Key IDs and key ARNs: these calls take either ("the key ID or key ARN"; no alias).
    keys: tuple[str, ...]
    # Role names, and the ARNs of the customer-managed policies attached to them.
    roles: tuple[str, ...]
    policies: tuple[str, ...]
    # Function names: a call names a function by its name, ARN or partial ARN, each ending with the name.
    functions: tuple[str, ...]
    topics: tuple[str, ...]
    # Rules with generated names (the tamper rule, the audit schedule); the guard rules' own names all begin with
    # `rule_prefix`, and the detectors rule, which cannot hear its own removal, is heard by the providers rule.
    rules: tuple[str, ...]
    rule_prefix: str
    detectors_rule: str
    # The start of every alarm name of the stack.
    alarm_prefix: str


def _calls(source: str, names: tuple[Filter, ...], **request: list[Any]) -> list[dict[str, Any]]:
    """One service's calls on the named resources: one `$or` alternative per request field that can name them (all
    the service's calls when none is given)."""
    base = {"eventSource": [f"{source}.amazonaws.com"], "eventName": list(names)}
    if not request:
        return [base]
    return [{**base, "requestParameters": {field: values}} for field, values in request.items()]


def _prefixed(names: tuple[str, ...], key: str = "prefix") -> list[dict[str, str]]:
    return [{key: name} for name in names]


def _pattern(*calls: list[dict[str, Any]]) -> dict[str, Any]:
    return {"detail-type": [CLOUDTRAIL_DETAIL_TYPE], "detail": {"$or": [c for group in calls for c in group]}}


def guard_event_patterns(resources: GuardedResources) -> dict[str, dict[str, Any]]:
    """Four patterns, by rule: storage (buckets, log groups), keys and roles (keys, roles, their policies),
    providers (functions, and the detectors rule), detectors (rules, alarms, topics, trails)."""
    rules: list[Any] = [*resources.rules, {"prefix": resources.rule_prefix}]
    detectors = [resources.detectors_rule]
    return {
        "storage": _pattern(
            _calls("s3", BUCKET_CHANGES, bucketName=list(resources.buckets)),
            _calls("logs", LOG_GROUP_CHANGES, logGroupName=list(resources.log_groups)),
        ),
        "keys-roles": _pattern(
            _calls("kms", KEY_CHANGES, keyId=list(resources.keys)),
            _calls("iam", ROLE_CHANGES, roleName=list(resources.roles)),
            _calls("iam", POLICY_CHANGES, policyArn=list(resources.policies)),
        ),
        "providers": _pattern(
            _calls("lambda", tuple(_prefixed(FUNCTION_CHANGES)), functionName=_prefixed(resources.functions, "suffix")),
            _calls("events", RULE_CHANGES, name=detectors, rule=detectors),
        ),
        "detectors": _pattern(
            _calls("events", RULE_CHANGES, name=rules, rule=rules),
            _calls(
                "monitoring",
                ALARM_CHANGES,
                alarmName=[{"prefix": resources.alarm_prefix}],
                alarmNames=[{"prefix": resources.alarm_prefix}],
            ),
            _calls("sns", TOPIC_CHANGES, topicArn=list(resources.topics)),
            _calls("cloudtrail", TRAIL_CHANGES),
        ),
    }


# What a guard notification tells: the call, on what, by whom, when, from where. Plain text, for the reason the
# tamper message is (core.invocation_logging.guard).
GUARD_INPUT_PATHS = {
    "event": "$.detail.eventName",
    "service": "$.detail.eventSource",
    "region": "$.detail.awsRegion",
    "who": "$.detail.userIdentity.arn",
    "time": "$.detail.eventTime",
    "request": "$.detail.requestParameters",
}
GUARD_MESSAGE = "\n".join(
    [
        "A guard of Claude invocation logging, or what it keeps, was changed (by a deployment of the stacks too: then "
        "Who is the CloudFormation execution role).",
        "<event> on <service> in <region> by <who> at <time>",
        "Request: <request>",
    ]
)
