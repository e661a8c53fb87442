"""Every step that would blind the guards of invocation logging or destroy what they keep is heard.

The synthesized guard rules, resolved to a sample account, are matched by moto's EventBridge pattern matcher against
CloudTrail-shaped events of each step on the project's own resources (each heard by exactly one rule), and of the
same step on a resource that is not the project's (heard by none). The patterns fit EventBridge's 2,048 characters
with the longest names CloudFormation may give, in every variant and in the member baseline.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk.assertions import Template

from core.invocation_logging.guard import sample_cloudtrail_event
from core.invocation_logging.guarded_resources import EVENT_PATTERN_LIMIT
from tests.support.cfn_values import CfnValues
from tests.support.fake_guards import matches
from tests.support.project import CENTRAL_TOPIC_ARN, SAMPLE_ACCOUNT
from tests.support.synth import Synth

REGION = "us-east-1"
STACK = "ClaudeInvocationLogging-us-east-1"
ADMIN = f"arn:aws:sts::{SAMPLE_ACCOUNT}:assumed-role/Administrator/mallory"
GUARD_RULES = ("StorageGuardRule", "KeysAndRolesGuardRule", "ProvidersGuardRule", "DetectorsGuardRule")


def _logical_id(template: dict[str, Any], part: str, kind: str | None = None) -> str:
    (found,) = [i for i, r in template["Resources"].items() if part in i and (kind is None or r["Type"] == kind)]
    return found


@pytest.fixture(scope="module")
def template(default_synth: Synth) -> dict[str, Any]:
    return default_synth.templates[STACK]


@pytest.fixture(scope="module")
def values(template: dict[str, Any]) -> CfnValues:
    return CfnValues(template, region=REGION, stack_name=STACK)


@pytest.fixture(scope="module")
def patterns(template: dict[str, Any], values: CfnValues) -> dict[str, dict[str, Any]]:
    """Every rule of the logging stack with a pattern, by its construct id, resolved."""
    rules = {
        rule_id: _logical_id(template, rule_id, "AWS::Events::Rule")
        for rule_id in ("LoggingTamperRule", "LoggingDeploymentRule", *GUARD_RULES)
    }
    return {
        rule_id: values.resolve(template["Resources"][i]["Properties"]["EventPattern"]) for rule_id, i in rules.items()
    }


def _call(source: str, name: str, request: dict[str, Any] | None = None) -> dict[str, Any]:
    return sample_cloudtrail_event(
        name,
        account=SAMPLE_ACCOUNT,
        region=REGION,
        caller_arn=ADMIN,
        event_source=f"{source}.amazonaws.com",
        request=request or {},
    )


def steps(template: dict[str, Any], values: CfnValues) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(what, the rule that must hear it, the step on the project's resource, the same step on another's)."""

    def name(part: str, kind: str) -> str:
        return str(values.resolve({"Ref": _logical_id(template, part, kind)}))

    bucket = name("InvocationLogBucket", "AWS::S3::Bucket")
    access_logs = name("AccessLogBucket", "AWS::S3::Bucket")
    log_group = str(
        values.resolve(resource_props(template, "InvocationLogGroup", "AWS::Logs::LogGroup")["LogGroupName"])
    )
    log_key = _logical_id(template, "InvocationLogKey", "AWS::KMS::Key")
    topic_key = _logical_id(template, "AlarmTopicKey", "AWS::KMS::Key")
    provider = name("AWS679f53fac002430cb0da5b7982bd22872D164C4C", "AWS::Lambda::Function")
    audit = name("LogAuditFunction", "AWS::Lambda::Function")
    provider_role = name("ConfigurationProviderRole", "AWS::IAM::Role")
    delivery_role = name("LoggingDeliveryRole", "AWS::IAM::Role")
    provider_policy = name("ConfigurationProviderPolicy", "AWS::IAM::ManagedPolicy")
    topic = name("LoggingAlarmTopic", "AWS::SNS::Topic")
    tamper_rule = name("LoggingTamperRule", "AWS::Events::Rule")
    deployment_rule = name("LoggingDeploymentRule", "AWS::Events::Rule")
    storage_rule = name("StorageGuardRule", "AWS::Events::Rule")
    detectors_rule = name("DetectorsGuardRule", "AWS::Events::Rule")
    schedule = name("LogAuditSchedule", "AWS::Events::Rule")
    # A name as CloudFormation generates one for an alarm without AlarmName: the stack's name, the logical ID, a
    # random suffix (what `aws cloudwatch describe-alarms --alarm-name-prefix <stack>` relies on, logging.md).
    _logical_id(template, "ModelInvocationLogsS3DeliveryFailureAlarm", "AWS::CloudWatch::Alarm")
    alarm = f"{STACK}-ClaudeInvocationLoggingModelInvocationLogsS3Deliv-1A2B3C4D5E6F"
    key_arn = values.arn(log_key)
    other_arn = f"arn:aws:kms:{REGION}:{SAMPLE_ACCOUNT}:key/00000000-0000-0000-0000-000000000000"
    s3, logs, kms = "s3", "logs", "kms"
    return [
        (
            "bucket policy put",
            "StorageGuardRule",
            _call(s3, "PutBucketPolicy", {"bucketName": bucket}),
            _call(s3, "PutBucketPolicy", {"bucketName": "someone-elses-bucket"}),
        ),
        (
            "bucket policy deleted",
            "StorageGuardRule",
            _call(s3, "DeleteBucketPolicy", {"bucketName": bucket}),
            _call(s3, "DeleteBucketPolicy", {"bucketName": "someone-elses-bucket"}),
        ),
        (
            "lifecycle",
            "StorageGuardRule",
            _call(s3, "PutBucketLifecycle", {"bucketName": bucket}),
            _call(s3, "PutBucketLifecycle", {"bucketName": "someone-elses-bucket"}),
        ),
        (
            "versioning",
            "StorageGuardRule",
            _call(s3, "PutBucketVersioning", {"bucketName": access_logs}),
            _call(s3, "PutBucketVersioning", {"bucketName": "someone-elses-bucket"}),
        ),
        (
            "object lock",
            "StorageGuardRule",
            _call(s3, "PutObjectLockConfiguration", {"bucketName": bucket}),
            _call(s3, "GetBucketPolicy", {"bucketName": bucket}),
        ),
        (
            "log object version deleted",
            "StorageGuardRule",
            _call(s3, "DeleteObject", {"bucketName": bucket, "key": "invocation-logs/x", "versionId": "v1"}),
            _call(s3, "PutObject", {"bucketName": bucket, "key": "invocation-logs/x"}),
        ),
        (
            "retention shortened",
            "StorageGuardRule",
            _call(logs, "PutRetentionPolicy", {"logGroupName": log_group}),
            _call(logs, "PutRetentionPolicy", {"logGroupName": "/aws/lambda/other"}),
        ),
        (
            "log group deleted",
            "StorageGuardRule",
            _call(logs, "DeleteLogGroup", {"logGroupName": log_group}),
            _call(logs, "DeleteLogGroup", {"logGroupName": "/aws/lambda/other"}),
        ),
        (
            "log stream deleted",
            "StorageGuardRule",
            _call(
                logs, "DeleteLogStream", {"logGroupName": log_group, "logStreamName": "aws/bedrock/modelinvocations"}
            ),
            _call(logs, "DeleteLogStream", {"logGroupName": "/aws/lambda/other", "logStreamName": "x"}),
        ),
        (
            "outside reader added to the log key",
            "KeysAndRolesGuardRule",
            _call(kms, "PutKeyPolicy", {"keyId": key_arn, "policyName": "default"}),
            _call(kms, "PutKeyPolicy", {"keyId": other_arn, "policyName": "default"}),
        ),
        (
            "alarm topic key disabled",
            "KeysAndRolesGuardRule",
            _call(kms, "DisableKey", {"keyId": topic_key.lower()}),
            _call(kms, "DisableKey", {"keyId": "00000000-0000-0000-0000-000000000000"}),
        ),
        (
            "log key deletion scheduled",
            "KeysAndRolesGuardRule",
            _call(kms, "ScheduleKeyDeletion", {"keyId": key_arn, "pendingWindowInDays": 7}),
            _call(kms, "ScheduleKeyDeletion", {"keyId": other_arn, "pendingWindowInDays": 7}),
        ),
        (
            "provider re-trusted",
            "KeysAndRolesGuardRule",
            _call("iam", "UpdateAssumeRolePolicy", {"roleName": provider_role, "policyDocument": "{}"}),
            _call("iam", "UpdateAssumeRolePolicy", {"roleName": "app", "policyDocument": "{}"}),
        ),
        (
            "delivery role given a policy",
            "KeysAndRolesGuardRule",
            _call("iam", "AttachRolePolicy", {"roleName": delivery_role, "policyArn": "arn:aws:iam::aws:policy/x"}),
            _call("iam", "AttachRolePolicy", {"roleName": "app", "policyArn": "arn:aws:iam::aws:policy/x"}),
        ),
        (
            "provider policy rewritten",
            "KeysAndRolesGuardRule",
            _call("iam", "CreatePolicyVersion", {"policyArn": provider_policy, "setAsDefault": True}),
            _call("iam", "CreatePolicyVersion", {"policyArn": f"arn:aws:iam::{SAMPLE_ACCOUNT}:policy/app"}),
        ),
        (
            "provider code replaced",
            "ProvidersGuardRule",
            _call("lambda", "UpdateFunctionCode20150331v2", {"functionName": provider}),
            _call("lambda", "UpdateFunctionCode20150331v2", {"functionName": "someone-elses-function"}),
        ),
        (
            "provider configuration changed",
            "ProvidersGuardRule",
            _call(
                "lambda",
                "UpdateFunctionConfiguration20150331v2",
                {"functionName": f"arn:aws:lambda:{REGION}:{SAMPLE_ACCOUNT}:function:{provider}"},
            ),
            _call("lambda", "UpdateFunctionConfiguration20150331v2", {"functionName": "someone-elses-function"}),
        ),
        (
            "audit invocable by another principal",
            "ProvidersGuardRule",
            _call("lambda", "AddPermission20150331v2", {"functionName": audit, "principal": "*"}),
            _call("lambda", "AddPermission20150331v2", {"functionName": "someone-elses-function"}),
        ),
        (
            "detectors rule disabled",
            "ProvidersGuardRule",
            _call("events", "DisableRule", {"name": detectors_rule}),
            _call("events", "DisableRule", {"name": "someone-elses-rule"}),
        ),
        (
            "tamper rule disabled",
            "DetectorsGuardRule",
            _call("events", "DisableRule", {"name": tamper_rule}),
            _call("events", "DisableRule", {"name": "someone-elses-rule"}),
        ),
        (
            "deployment rule deleted",
            "DetectorsGuardRule",
            _call("events", "DeleteRule", {"name": deployment_rule}),
            _call("events", "DeleteRule", {"name": "someone-elses-rule"}),
        ),
        (
            "storage rule's targets removed",
            "DetectorsGuardRule",
            _call("events", "RemoveTargets", {"rule": storage_rule, "ids": ["Topic0"]}),
            _call("events", "RemoveTargets", {"rule": "someone-elses-rule", "ids": ["Topic0"]}),
        ),
        (
            "audit schedule disabled",
            "DetectorsGuardRule",
            _call("events", "DisableRule", {"name": schedule}),
            _call("events", "EnableRule", {"name": schedule}),
        ),
        (
            "alarm deleted",
            "DetectorsGuardRule",
            _call("monitoring", "DeleteAlarms", {"alarmNames": [alarm]}),
            _call("monitoring", "DeleteAlarms", {"alarmNames": ["OtherStack-SomeAlarm-1A2B"]}),
        ),
        (
            "alarm actions disabled",
            "DetectorsGuardRule",
            _call("monitoring", "DisableAlarmActions", {"alarmNames": ["OtherStack-X", alarm]}),
            _call("monitoring", "DisableAlarmActions", {"alarmNames": ["OtherStack-X"]}),
        ),
        (
            "topic policy replaced",
            "DetectorsGuardRule",
            _call("sns", "SetTopicAttributes", {"topicArn": topic, "attributeName": "Policy"}),
            _call("sns", "SetTopicAttributes", {"topicArn": f"arn:aws:sns:{REGION}:{SAMPLE_ACCOUNT}:other"}),
        ),
        (
            "trail stopped",
            "DetectorsGuardRule",
            _call("cloudtrail", "StopLogging", {"name": "organization-trail"}),
            _call("cloudtrail", "StartLogging", {"name": "organization-trail"}),
        ),
        (
            "trail deleted",
            "DetectorsGuardRule",
            _call("cloudtrail", "DeleteTrail", {"name": "account-trail"}),
            _call("cloudtrail", "CreateTrail", {"name": "account-trail"}),
        ),
        (
            "event selectors narrowed",
            "DetectorsGuardRule",
            _call("cloudtrail", "PutEventSelectors", {"trailName": "account-trail"}),
            _call("cloudtrail", "GetEventSelectors", {"trailName": "account-trail"}),
        ),
        (
            "trail redirected",
            "DetectorsGuardRule",
            _call("cloudtrail", "UpdateTrail", {"name": "account-trail"}),
            _call("cloudtrail", "ListTrails", {}),
        ),
    ]


def resource_props(template: dict[str, Any], part: str, kind: str) -> dict[str, Any]:
    props: dict[str, Any] = template["Resources"][_logical_id(template, part, kind)]["Properties"]
    return props


def test_each_blinding_or_destroying_step_is_heard_by_exactly_its_rule_and_no_other_resource_is(
    template: dict[str, Any], values: CfnValues, patterns: dict[str, dict[str, Any]]
) -> None:
    catalog = steps(template, values)
    assert len(catalog) >= 30
    for what, rule_id, step, elsewhere in catalog:
        heard = {r for r, pattern in patterns.items() if matches(pattern, step)}
        # The detectors rule matches its own removal by its name's prefix too, but a removed rule hears nothing: the
        # providers rule is what hears it.
        assert heard - ({"DetectorsGuardRule"} if rule_id == "ProvidersGuardRule" else set()) == {rule_id}, what
        assert [r for r, pattern in patterns.items() if matches(pattern, elsewhere)] == [], what


def test_the_key_of_the_topic_is_heard_through_a_path_that_does_not_depend_on_it(every_option_synth: Synth) -> None:
    """With `alarm_topic_arn` (another account's topic, its own key), the rule hearing the logging topic's key
    notifies that topic too."""
    stack = every_option_synth.template("ClaudeInvocationLogging-").to_json()
    rule = stack["Resources"][_logical_id(stack, "KeysAndRolesGuardRule", "AWS::Events::Rule")]["Properties"]
    assert CENTRAL_TOPIC_ARN in [t["Arn"] for t in rule["Targets"]]
    topic_key = _logical_id(stack, "AlarmTopicKey", "AWS::KMS::Key")
    assert {"Ref": topic_key} in json.loads(json.dumps(rule["EventPattern"]))["detail"]["$or"][0]["requestParameters"][
        "keyId"
    ]


def _longest(node: Any, template: dict[str, Any]) -> Any:
    """The template value with every name at the longest CloudFormation may give: a 128-character stack name, the
    maximum length of each generated name, a 256-character topic name and a 128-character policy name."""
    longest = {"AWS::S3::Bucket": 63, "AWS::IAM::Role": 64, "AWS::Lambda::Function": 64, "AWS::Events::Rule": 64}
    arn = "arn:aws-us-gov:{}:ap-southeast-7:123456789012:"
    if isinstance(node, list):
        return [_longest(item, template) for item in node]
    if not isinstance(node, dict):
        return node
    if "Ref" in node:
        name = node["Ref"]
        pseudo = {
            "AWS::StackName": "S" * 128,
            "AWS::Partition": "aws-us-gov",
            "AWS::AccountId": "123456789012",
            "AWS::Region": "ap-southeast-7",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::StackId": arn.format("cloudformation") + "stack/" + "S" * 128 + "/" + "u" * 36,
        }
        if name in pseudo:
            return pseudo[name]
        kind = template["Resources"][name]["Type"]
        if kind == "AWS::IAM::ManagedPolicy":
            return "arn:aws-us-gov:iam::123456789012:policy/" + "p" * 128
        if kind == "AWS::SNS::Topic":
            return arn.format("sns") + "t" * 256
        if kind == "AWS::KMS::Key":
            return "k" * 36
        return "x" * longest[kind]
    if "Fn::GetAtt" in node:
        kind = template["Resources"][node["Fn::GetAtt"][0]]["Type"]
        return arn.format("kms" if kind == "AWS::KMS::Key" else "lambda") + "f" * 64
    if "Fn::Join" in node:
        separator, parts = node["Fn::Join"]
        return separator.join(str(_longest(part, template)) for part in parts)
    if "Fn::Select" in node:
        return "u" * 36
    return {key: _longest(value, template) for key, value in node.items()}


def test_every_pattern_fits_eventbridge_with_the_longest_names(
    default_synth: Synth, every_option_synth: Synth, logging_options_synth: Synth, organization_synth: Synth
) -> None:
    templates = [
        default_synth.templates[STACK],
        every_option_synth.template("ClaudeInvocationLogging-").to_json(),
        logging_options_synth.template("ClaudeInvocationLogging-").to_json(),
        organization_synth.templates["ClaudeMemberBaseline"],
    ]
    for stack in templates:
        rules = [r["Properties"] for r in stack["Resources"].values() if r["Type"] == "AWS::Events::Rule"]
        sized = [
            len(json.dumps(_longest(r["EventPattern"], stack), separators=(",", ":")))
            for r in rules
            if "EventPattern" in r
        ]
        assert len(sized) == 6
        assert max(sized) <= EVENT_PATTERN_LIMIT, sized


def test_failed_deliveries_of_the_deployment_and_guard_rules_are_alarmed(template: dict[str, Any]) -> None:
    alarm = resource_props(template, "GuardRulesFailedInvocationsAlarm", "AWS::CloudWatch::Alarm")
    watched = [m["MetricStat"]["Metric"]["Dimensions"][0]["Value"] for m in alarm["Metrics"] if "MetricStat" in m]
    rules = [{"Ref": _logical_id(template, r, "AWS::Events::Rule")} for r in ("LoggingDeploymentRule", *GUARD_RULES)]
    assert sorted(map(str, watched)) == sorted(map(str, rules))
    assert all(
        m["MetricStat"]["Metric"]["MetricName"] == "FailedInvocations" for m in alarm["Metrics"] if "MetricStat" in m
    )
    assert alarm["AlarmActions"] == [{"Ref": _logical_id(template, "LoggingAlarmTopic", "AWS::SNS::Topic")}]
    assert (alarm["Threshold"], alarm["TreatMissingData"]) == (1, "notBreaching")


def test_the_guard_rules_name_themselves_after_their_stack(template: dict[str, Any], values: CfnValues) -> None:
    for rule_id in ("LoggingDeploymentRule", *GUARD_RULES):
        name = values.resolve(resource_props(template, rule_id, "AWS::Events::Rule")["Name"])
        assert name.startswith(f"claude-{values.stack_uuid}-") and len(name) <= 64
    assert Template.from_json(template).find_resources("AWS::Events::Rule")
