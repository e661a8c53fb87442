"""Stack: Amazon Bedrock model invocation logging for one Region (a per-Region singleton of the account)."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from core.config import AlarmsConfig, LoggingConfig
from core.invocation_logging.configuration import INVOCATION_LOG_PREFIX, LARGE_PAYLOAD_PREFIX
from stacks.invocation_logging.construct import ClaudeInvocationLogging


def describe(logging: LoggingConfig, region: str) -> str:
    """The stack description a reviewer reads in the CloudFormation console."""
    lock = "" if logging.object_lock == "off" else f", S3 Object Lock {logging.object_lock}"
    kept = "kept" if logging.keep_configuration_on_delete else "deleted"
    replica = f", replicated to {logging.replica.bucket_arn}" if logging.replica else ""
    return (
        f"Amazon Bedrock model invocation logging for {region}: {', '.join(logging.data)} data to S3 and "
        f"CloudWatch Logs, KMS-encrypted, kept {logging.retention_days} days{lock}{replica}; "
        f"logging configuration {kept} when the stack is deleted"
    )


class InvocationLoggingStack(Stack):
    """Where Bedrock records every Claude call made from this Region, encrypted and kept for the retention period."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        logging: LoggingConfig,
        alarms: AlarmsConfig,
        region: str,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("description", describe(logging, region))
        super().__init__(scope, construct_id, **kwargs)
        self.logging = ClaudeInvocationLogging(
            self, "ClaudeInvocationLogging", logging=logging, alarms=alarms, region=region
        )
        storage = self.logging.storage

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
            value=str(logging.retention_days),
            description="Days the invocation logs are kept in S3 and CloudWatch Logs (rolling)",
        )
        CfnOutput(self, "InvocationLogKeyArn", value=storage.key.key_arn, description="KMS key of the logs")
        CfnOutput(
            self,
            "DeliveredData",
            value=",".join(logging.data),
            description="Kinds of request and response data Bedrock delivers (metadata is always delivered)",
        )
        CfnOutput(
            self,
            "ObjectLock",
            value=logging.object_lock
            if logging.object_lock == "off"
            else f"{logging.object_lock}:{logging.object_lock_days}d",
            description="S3 Object Lock default retention of the invocation log bucket",
        )
        CfnOutput(
            self,
            "LoggingAlarmTopicArn",
            value=self.logging.alarms.topic.topic.topic_arn,
            description="Tamper-detection and delivery-failure notifications (alarm_emails are subscribed)",
        )
        CfnOutput(
            self,
            "TamperRuleName",
            value=self.logging.alarms.detection.rule.ref,
            description="EventBridge rule on Put/DeleteModelInvocationLoggingConfiguration by anyone but this stack",
        )
        detection = self.logging.alarms.detection
        if detection.target_role is not None:
            role_output = CfnOutput(
                self,
                "TamperRuleTargetRoleArn",
                value=detection.target_role.role_arn,
                description="Allow this role to sns:Publish in the policy of alarm_topic_arn (another account)",
            )
            role_output.condition = detection.in_another_account
        if self.logging.audit is not None:
            CfnOutput(
                self,
                "LogAuditFunctionName",
                value=self.logging.audit.function.function_name,
                description=f"Continuous audit, every {logging.audit_schedule_hours} h (metrics in "
                "ClaudeOnBedrock/LoggingAudit)",
            )
        if self.logging.replication is not None and logging.replica is not None:
            CfnOutput(
                self,
                "LogReplicaBucketArn",
                value=logging.replica.bucket_arn,
                description="Bucket S3 replicates the invocation logs to (its policy must allow LogReplicaRoleArn)",
            )
            CfnOutput(
                self,
                "LogReplicaRoleArn",
                value=self.logging.replication.role.role_arn,
                description="Role S3 replicates with: allow it in the replica bucket's policy and its key's policy",
            )
