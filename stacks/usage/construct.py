"""Construct: what a platform team needs to see and attribute Claude usage in one Region.

- `dashboard.py`: the invoker's metrics, Bedrock's, invocation-log delivery and the state of the Region's alarms.
- `queries.py`: saved Logs Insights queries on the invocation log group (and the invoker's own log group).
- `athena.py`: a Glue table over the S3 logs, an Athena workgroup with encrypted, expiring results, named queries
  matching the saved ones, and a policy to run them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_s3 as s3
from constructs import Construct

from stacks.shared.lifetimes import removal_policy
from stacks.usage.athena import AthenaOverLogs
from stacks.usage.dashboard import UsageDashboard
from stacks.usage.queries import SavedQueries


@dataclass(frozen=True)
class UsageProps:
    """What `ClaudeUsage` (and the usage stack around it) is built from: what the Region's other stacks deployed."""

    # The Region's name and `endpoint_scope`, for the dashboard's title.
    region: str
    endpoint_scope: str
    # The log groups the saved queries and the dashboard read: Bedrock's invocation logs and the invoker's own.
    invocation_log_group_name: str
    invoker_log_group_name: str
    # The invocation logs in S3 and their key: what the Glue table and the query policy read.
    log_bucket: s3.IBucket
    log_key_arn: str
    # Every alarm of the Region's other stacks, for the dashboard's alarm status widget.
    alarms: Sequence[cloudwatch.CfnAlarm]
    # `log_retention_days`: the days of logs the Glue table projects; `log_removal_policy`: whether Athena's results
    # bucket and key are kept when the stack is deleted.
    log_retention_days: int
    log_removal_policy: str


class ClaudeUsage(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, props: UsageProps) -> None:
        super().__init__(scope, construct_id)
        self.queries = SavedQueries(
            self,
            invocation_log_group_name=props.invocation_log_group_name,
            invoker_log_group_name=props.invoker_log_group_name,
        )
        self.athena = AthenaOverLogs(
            self,
            region=props.region,
            log_bucket=props.log_bucket,
            log_key_arn=props.log_key_arn,
            retention_days=props.log_retention_days,
            removal=removal_policy(props.log_removal_policy),
        )
        self.dashboard = UsageDashboard(
            self,
            region=props.region,
            endpoint_scope=props.endpoint_scope,
            invocation_log_group_name=props.invocation_log_group_name,
            alarms=props.alarms,
        ).dashboard
