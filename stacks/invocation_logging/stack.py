"""Stack: Amazon Bedrock model invocation logging for one Region (a per-Region singleton of the account)."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from stacks.config import AppConfig
from stacks.invocation_logging.construct import (
    INVOCATION_LOG_PREFIX,
    LARGE_PAYLOAD_PREFIX,
    ClaudeInvocationLogging,
)


def describe(config: AppConfig, region: str) -> str:
    """The stack description a reviewer reads in the CloudFormation console."""
    lock = "" if config.log_object_lock == "off" else f", S3 Object Lock {config.log_object_lock}"
    kept = "kept" if config.keep_logging_configuration_on_delete else "deleted"
    replica = f", replicated to {config.log_replica_bucket_arn}" if config.log_replica_bucket_arn else ""
    return (
        f"Amazon Bedrock model invocation logging for {region}: {', '.join(config.log_data)} data to S3 and "
        f"CloudWatch Logs, KMS-encrypted, kept {config.log_retention_days} days{lock}{replica}; "
        f"logging configuration {kept} when the stack is deleted"
    )


class InvocationLoggingStack(Stack):
    """Where Bedrock records every Claude call made from this Region, encrypted and kept for the retention period."""

    def __init__(self, scope: Construct, construct_id: str, *, config: AppConfig, region: str, **kwargs: Any) -> None:
        kwargs.setdefault("description", describe(config, region))
        super().__init__(scope, construct_id, **kwargs)
        self.logging = ClaudeInvocationLogging(self, "ClaudeInvocationLogging", config=config, region=region)

        CfnOutput(
            self,
            "InvocationLogBucketName",
            value=self.logging.bucket.bucket_name,
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
            value=self.logging.log_group.log_group_name,
            description="CloudWatch Logs group of the invocation log records",
        )
        CfnOutput(
            self,
            "AccessLogBucketName",
            value=self.logging.access_log_bucket.bucket_name,
            description="S3 server access logs of the invocation log bucket",
        )
        CfnOutput(
            self,
            "RetentionDays",
            value=str(config.log_retention_days),
            description="Days the invocation logs are kept in S3 and CloudWatch Logs (rolling)",
        )
        CfnOutput(self, "InvocationLogKeyArn", value=self.logging.key.key_arn, description="KMS key of the logs")
        CfnOutput(
            self,
            "DeliveredData",
            value=",".join(config.log_data),
            description="Kinds of request and response data Bedrock delivers (metadata is always delivered)",
        )
        CfnOutput(
            self,
            "ObjectLock",
            value=config.log_object_lock
            if config.log_object_lock == "off"
            else f"{config.log_object_lock}:{config.log_object_lock_days}d",
            description="S3 Object Lock default retention of the invocation log bucket",
        )
        if self.logging.replication_role is not None:
            CfnOutput(
                self,
                "LogReplicaBucketArn",
                value=str(config.log_replica_bucket_arn),
                description="Bucket S3 replicates the invocation logs to (its policy must allow LogReplicaRoleArn)",
            )
            CfnOutput(
                self,
                "LogReplicaRoleArn",
                value=self.logging.replication_role.role_arn,
                description="Role S3 replicates with: allow it in the replica bucket's policy and its key's policy",
            )
