"""The invocation logging stack as a reviewer reads it: its description, its outputs, its rule-pack findings."""

from __future__ import annotations

from tests.support.logical_ids import (
    ACCESS_LOG_BUCKET,
    LOG_AUDIT_FUNCTION,
    LOG_BUCKET,
    LOG_GROUP,
    LOG_KEY,
    LOGGING_ALARM_TOPIC,
    REPLICATION_ROLE,
    RETENTION_BUCKET,
    RETENTION_KEY,
    TAMPER_RULE,
)
from tests.support.project import ARCHIVE_BUCKET_ARN
from tests.support.synth import Synth

STACK = "ClaudeInvocationLogging-us-east-1"


def test_description_and_outputs_tell_a_reviewer_what_is_kept(default_synth: Synth) -> None:
    template = default_synth.templates[STACK]
    assert template["Description"] == (
        "Amazon Bedrock model invocation logging for us-east-1: text, image data to S3 and CloudWatch Logs, "
        "KMS-encrypted, kept 30 days, S3 Object Lock governance; logging configuration kept when the stack is deleted; "
        "data retention mode none, retention storage unmanaged"
    )
    # PublishOutput*: what CDK publishes for the usage stack's references (the log group, bucket and key).
    outputs = template["Outputs"].items()
    assert {name: output["Value"] for name, output in outputs if not name.startswith("PublishOutput")} == {
        "InvocationLogBucketName": {"Ref": LOG_BUCKET},
        "InvocationLogPrefix": "invocation-logs/",
        "LargePayloadPrefix": "large-payloads/",
        "InvocationLogGroupName": {"Ref": LOG_GROUP},
        "AccessLogBucketName": {"Ref": ACCESS_LOG_BUCKET},
        "RetentionDays": "30",
        "InvocationLogKeyArn": {"Fn::GetAtt": [LOG_KEY, "Arn"]},
        "DeliveredData": "text,image",
        "ObjectLock": "governance:30d",
        "LoggingAlarmTopicArn": {"Ref": LOGGING_ALARM_TOPIC},
        "TamperRuleName": {"Ref": TAMPER_RULE},
        "LogAuditFunctionName": {"Ref": LOG_AUDIT_FUNCTION},
        "DataRetentionMode": "none",
        "DataRetentionStorage": "unmanaged",
    }


def test_description_and_outputs_follow_the_options(logging_options_synth: Synth) -> None:
    template = logging_options_synth.templates[STACK]
    assert template["Description"] == (
        "Amazon Bedrock model invocation logging for us-east-1: text, embedding data to S3 and CloudWatch Logs, "
        "KMS-encrypted, kept 90 days, S3 Object Lock governance; logging configuration deleted when the stack is "
        "deleted; data retention mode unmanaged, retention storage customer_managed"
    )
    outputs = {name: output["Value"] for name, output in template["Outputs"].items()}
    assert (outputs["RetentionDays"], outputs["DeliveredData"], outputs["ObjectLock"]) == (
        "90",
        "text,embedding",
        "governance:60d",
    )
    assert (outputs["DataRetentionMode"], outputs["DataRetentionStorage"]) == ("unmanaged", "customer_managed")
    assert outputs["DataRetentionBucketName"] == {"Ref": RETENTION_BUCKET}
    assert outputs["DataRetentionKeyArn"] == {"Fn::GetAtt": [RETENTION_KEY, "Arn"]}


def test_outputs_and_description_name_the_replica_and_the_role(every_option_synth: Synth) -> None:
    template = every_option_synth.templates["ClaudeInvocationLogging-eu-west-1"]
    assert f", replicated to {ARCHIVE_BUCKET_ARN};" in template["Description"]
    outputs = {name: output["Value"] for name, output in template["Outputs"].items()}
    assert outputs["LogReplicaBucketArn"] == ARCHIVE_BUCKET_ARN
    assert outputs["LogReplicaRoleArn"] == {"Fn::GetAtt": [REPLICATION_ROLE, "Arn"]}


def test_no_unacknowledged_rule_pack_finding_on_the_logging_stack(
    default_synth: Synth, logging_options_synth: Synth
) -> None:
    for synthesis in (default_synth, logging_options_synth):
        assert STACK in synthesis.templates
        assert [v for v in synthesis.violations if v["path"].startswith(f"{STACK}/")] == []
