"""Stack: Amazon Bedrock model invocation logging for one Region (a per-Region singleton of the account)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_cdk import CfnOutput, Stack
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct

from core.config import DataRetentionConfig, LoggingConfig
from core.invocation_logging.configuration import INVOCATION_LOG_PREFIX, LARGE_PAYLOAD_PREFIX
from stacks.invocation_logging.construct import ClaudeInvocationLogging, InvocationLoggingProps


def describe(invocation_logging: LoggingConfig, data_retention: DataRetentionConfig, region: str) -> str:
    """The stack description a reviewer reads in the CloudFormation console."""
    lock = "" if invocation_logging.object_lock == "off" else f", S3 Object Lock {invocation_logging.object_lock}"
    kept = "kept" if invocation_logging.keep_configuration_on_delete else "deleted"
    replica = f", replicated to {invocation_logging.replica.bucket_arn}" if invocation_logging.replica else ""
    return (
        f"Amazon Bedrock model invocation logging for {region}: {', '.join(invocation_logging.data)} data to S3 and "
        f"CloudWatch Logs, KMS-encrypted, kept {invocation_logging.retention_days} days{lock}{replica}; "
        f"logging configuration {kept} when the stack is deleted; data retention mode {data_retention.mode_text}, "
        f"retention storage {data_retention.storage_text}"
    )


@dataclass(frozen=True)
class LoggingDestinations:
    """Where Bedrock delivers the Region's invocation logs: what the usage stack reads."""

    bucket: s3.IBucket
    log_group: logs.ILogGroup
    key: kms.IKey


class InvocationLoggingStack(Stack):
    """Where Bedrock records every Claude call made from this Region, encrypted and kept for the retention period."""

    def __init__(self, scope: Construct, construct_id: str, *, props: InvocationLoggingProps, **kwargs: Any) -> None:
        kwargs.setdefault("description", describe(props.invocation_logging, props.data_retention, props.region))
        super().__init__(scope, construct_id, **kwargs)
        built = ClaudeInvocationLogging(self, "ClaudeInvocationLogging", props=props)
        storage = built.storage
        self.destinations = LoggingDestinations(bucket=storage.bucket, log_group=storage.log_group, key=storage.key)
        self._storage_outputs(built, props.invocation_logging)
        self._guard_outputs(built, props.invocation_logging)
        retention_outputs(self, built, props.data_retention)

    def _storage_outputs(self, built: ClaudeInvocationLogging, invocation_logging: LoggingConfig) -> None:
        """Where the logs are, what they hold and how long they are kept."""
        storage = built.storage
        CfnOutput(
            self,
            "InvocationLogBucketName",
            value=storage.bucket.bucket_name,
            description="S3 bucket of the invocation logs (SSE-KMS, versioned, TLS only)",
        )
        CfnOutput(
            self,
            "InvocationLogPrefix",
            value=f"{INVOCATION_LOG_PREFIX}/",
            description="Key prefix of the invocation log records in the bucket",
        )
        CfnOutput(
            self,
            "LargePayloadPrefix",
            value=f"{LARGE_PAYLOAD_PREFIX}/",
            description="Key prefix of payloads over 100 KB and binary data delivered with the CloudWatch Logs records",
        )
        CfnOutput(
            self,
            "InvocationLogGroupName",
            value=storage.log_group.log_group_name,
            description="CloudWatch Logs group of the invocation log records",
        )
        CfnOutput(
            self,
            "AccessLogBucketName",
            value=storage.access_log_bucket.bucket_name,
            description="S3 server access logs of the invocation log bucket",
        )
        CfnOutput(
            self,
            "RetentionDays",
            value=str(invocation_logging.retention_days),
            description="Days the invocation logs are kept in S3 and CloudWatch Logs (rolling)",
        )
        CfnOutput(self, "InvocationLogKeyArn", value=storage.key.key_arn, description="KMS key of the logs")
        CfnOutput(
            self,
            "DeliveredData",
            value=",".join(invocation_logging.data),
            description="Kinds of request and response data Bedrock delivers (metadata is always delivered)",
        )
        CfnOutput(
            self,
            "ObjectLock",
            value=invocation_logging.object_lock
            if invocation_logging.object_lock == "off"
            else f"{invocation_logging.object_lock}:{invocation_logging.object_lock_days}d",
            description="S3 Object Lock default retention of the invocation log bucket",
        )

    def _guard_outputs(self, built: ClaudeInvocationLogging, invocation_logging: LoggingConfig) -> None:
        """What watches the logging (alarm topic, tamper rule, continuous audit) and where the replica goes."""
        detection = built.alarms.detection
        CfnOutput(
            self,
            "LoggingAlarmTopicArn",
            value=built.alarms.alarm_topic.topic.topic_arn,
            description="Tamper-detection and delivery-failure notifications (alarm_emails are subscribed)",
        )
        CfnOutput(
            self,
            "TamperRuleName",
            value=detection.rule.ref,
            description="EventBridge rule on Put/DeleteModelInvocationLoggingConfiguration by anyone but this stack",
        )
        if detection.target_role is not None:
            role_output = CfnOutput(
                self,
                "TamperRuleTargetRoleArn",
                value=detection.target_role.role_arn,
                description="Allow this role to sns:Publish in the policy of alarm_topic_arn (another account)",
            )
            role_output.condition = detection.in_another_account
        if built.audit is not None:
            CfnOutput(
                self,
                "LogAuditFunctionName",
                value=built.audit.function.function_name,
                description=f"Continuous audit, every {invocation_logging.audit_schedule_hours} h (metrics in "
                "ClaudeOnBedrock/LoggingAudit)",
            )
        if built.replication is not None and invocation_logging.replica is not None:
            CfnOutput(
                self,
                "LogReplicaBucketArn",
                value=invocation_logging.replica.bucket_arn,
                description="Bucket S3 replicates the invocation logs to (its policy must allow LogReplicaRoleArn)",
            )
            CfnOutput(
                self,
                "LogReplicaRoleArn",
                value=built.replication.role.role_arn,
                description="Role S3 replicates with: allow it in the replica bucket's policy and its key's policy",
            )


def retention_outputs(stack: Stack, built: ClaudeInvocationLogging, data_retention: DataRetentionConfig) -> None:
    """The data retention mode and storage the stack applies, and with customer-managed storage where it is: what
    the compliance report answers "Is Claude traffic retained, where, and by whom?" from."""
    CfnOutput(
        stack,
        "DataRetentionMode",
        value=data_retention.mode_text,
        description="Amazon Bedrock data retention mode this stack sets in its Region (unmanaged: left as it is)",
    )
    CfnOutput(
        stack,
        "DataRetentionStorage",
        value=data_retention.storage_text,
        description="Where Bedrock keeps retained data of Anthropic's models (unmanaged: left as it is)",
    )
    storage = built.data_retention.storage if built.data_retention else None
    if storage is not None:
        CfnOutput(stack, "DataRetentionBucketName", value=storage.bucket.bucket_name, description="Retained data (S3)")
        CfnOutput(stack, "DataRetentionKeyArn", value=storage.key.key_arn, description="KMS key of the retained data")
