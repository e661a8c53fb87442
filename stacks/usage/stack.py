"""Stack: usage visibility for one Region: the dashboard, saved queries and Athena over the invocation logs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aws_cdk import CfnOutput, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_s3 as s3
from constructs import Construct

from core.usage.athena import DATABASE_NAME, TABLE_NAME, WORKGROUP_NAME
from stacks.usage.construct import ClaudeUsage


class UsageStack(Stack):
    """Reads what the logging and invoker stacks of the Region deployed; holds no log data of its own."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        region: str,
        endpoint_scope: str,
        invocation_log_group_name: str,
        invoker_log_group_name: str,
        log_bucket: s3.IBucket,
        log_key_arn: str,
        alarms: Sequence[cloudwatch.CfnAlarm],
        retention_days: int,
        log_removal_policy: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.usage = ClaudeUsage(
            self,
            "ClaudeUsage",
            region=region,
            endpoint_scope=endpoint_scope,
            invocation_log_group_name=invocation_log_group_name,
            invoker_log_group_name=invoker_log_group_name,
            log_bucket=log_bucket,
            log_key_arn=log_key_arn,
            alarms=alarms,
            retention_days=retention_days,
            log_removal_policy=log_removal_policy,
        )
        CfnOutput(self, "DashboardName", value=self.usage.dashboard.dashboard_name)
        CfnOutput(self, "AthenaWorkGroup", value=WORKGROUP_NAME, description="Run the named queries in this workgroup")
        CfnOutput(self, "GlueTable", value=f"{DATABASE_NAME}.{TABLE_NAME}", description="The invocation logs in S3")
        CfnOutput(
            self,
            "AthenaResultsBucketName",
            value=self.usage.athena.results_bucket.bucket_name,
            description="Encrypted Athena query results, expired after a week",
        )
        CfnOutput(
            self,
            "UsageQueryPolicyArn",
            value=self.usage.athena.reader_policy.managed_policy_arn,
            description="Attach to a role that may run the Athena queries over the invocation logs",
        )
