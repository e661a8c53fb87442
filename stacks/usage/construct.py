"""Construct: what a platform team needs to see and attribute Claude usage in one Region.

- `dashboard.py`: the invoker's metrics, Bedrock's, invocation-log delivery and the state of the Region's alarms.
- `queries.py`: saved Logs Insights queries on the invocation log group (and the invoker's own log group).
- `athena.py`: a Glue table over the S3 logs, an Athena workgroup with encrypted, expiring results, named queries
  matching the saved ones, and a policy to run them.
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_s3 as s3
from constructs import Construct

from stacks.shared.lifetimes import removal_policy
from stacks.usage.athena import AthenaOverLogs
from stacks.usage.dashboard import UsageDashboard
from stacks.usage.queries import SavedQueries


class ClaudeUsage(Construct):
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
    ) -> None:
        super().__init__(scope, construct_id)
        self.queries = SavedQueries(
            self,
            invocation_log_group_name=invocation_log_group_name,
            invoker_log_group_name=invoker_log_group_name,
        )
        self.athena = AthenaOverLogs(
            self,
            region=region,
            log_bucket=log_bucket,
            log_key_arn=log_key_arn,
            retention_days=retention_days,
            removal=removal_policy(log_removal_policy),
        )
        self.dashboard = UsageDashboard(
            self,
            region=region,
            endpoint_scope=endpoint_scope,
            invocation_log_group_name=invocation_log_group_name,
            alarms=alarms,
        ).dashboard
