"""Stack: usage visibility for one Region: the dashboard, saved queries and Athena over the invocation logs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_cdk import CfnOutput, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam
from constructs import Construct

from core.usage.athena import DATABASE_NAME, TABLE_NAME, WORKGROUP_NAME
from stacks.usage.construct import ClaudeUsage, UsageProps


@dataclass(frozen=True)
class UsageExports:
    """What a platform team opens: the dashboard, and the policy that lets a role run the Athena queries."""

    dashboard: cloudwatch.Dashboard
    query_policy: iam.ManagedPolicy


class UsageStack(Stack):
    """Reads what the logging and invoker stacks of the Region deployed; holds no log data of its own."""

    def __init__(self, scope: Construct, construct_id: str, *, props: UsageProps, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        built = ClaudeUsage(self, "ClaudeUsage", props=props)
        self.exports = UsageExports(dashboard=built.dashboard, query_policy=built.athena.reader_policy)
        CfnOutput(self, "DashboardName", value=built.dashboard.dashboard_name)
        CfnOutput(self, "AthenaWorkGroup", value=WORKGROUP_NAME, description="Run the named queries in this workgroup")
        CfnOutput(self, "GlueTable", value=f"{DATABASE_NAME}.{TABLE_NAME}", description="The invocation logs in S3")
        CfnOutput(
            self,
            "AthenaResultsBucketName",
            value=built.athena.results_bucket.bucket_name,
            description="Encrypted Athena query results, expired after a week",
        )
        CfnOutput(
            self,
            "UsageQueryPolicyArn",
            value=built.athena.reader_policy.managed_policy_arn,
            description="Attach to a role that may run the Athena queries over the invocation logs",
        )
