"""Construct: what a platform team needs to see and attribute Claude usage in one Region.

- `queries.py`: saved Logs Insights queries on the invocation log group (and the invoker's own log group).
- `athena.py`: a Glue table over the S3 logs, an Athena workgroup with encrypted, expiring results, named queries
  matching the saved ones, and a policy to run them.
- `dashboard.py`: the invoker's metrics, Bedrock's, invocation-log delivery, estimated cost, capacity and the state
  of the Region's alarms.
- `capacity.py`: an alarm per model whose tokens-per-minute quota the configuration states.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_s3 as s3
from constructs import Construct

from core.catalog.models import ClaudeModel
from core.catalog.prices import PriceTable
from core.usage.capacity import QuotaAlarm
from core.usage.costs import PricedTarget, model_targets, profile_target
from core.usage.queries import QUERIES, UsageQuery, cost_queries, team_cost_query
from stacks.shared.lifetimes import removal_policy
from stacks.usage.athena import AthenaOverLogs
from stacks.usage.capacity import QuotaAlarms
from stacks.usage.dashboard import UsageDashboard
from stacks.usage.queries import SavedQueries


@dataclass(frozen=True)
class TeamProfile:
    """A team's application inference profile in the Region: whose it is, which model it copies, its ID."""

    team: str
    model: ClaudeModel
    profile_id: str


@dataclass(frozen=True)
class UsageProps:
    """What `ClaudeUsage` (and the usage stack around it) is built from: what the Region's other stacks deployed."""

    # The Region's name and `endpoint_scope`, for the dashboard's title and the teams' profiles' prices.
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
    # What the cost queries price: every model of the catalog (with `extra_models`) at the table's rates
    # (`usage_prices` over core/catalog/prices.py), and the Region's team profiles (from the teams stack).
    catalog: tuple[ClaudeModel, ...] = ()
    prices: PriceTable = field(default_factory=PriceTable)
    team_profiles: tuple[TeamProfile, ...] = ()
    # The capacity alarms of the Region (`quota_tokens_per_minute`), and the topics they notify.
    quota_alarms: tuple[QuotaAlarm, ...] = ()
    alarm_topic_arns: tuple[str, ...] = ()

    def targets(self) -> tuple[PricedTarget, ...]:
        """What the cost queries recognize: the team profiles first (their model is known), then every model."""
        teams = (profile_target(p.profile_id, p.model, self.endpoint_scope, self.prices) for p in self.team_profiles)
        return (*(t for t in teams if t is not None), *model_targets(self.catalog, self.prices))

    def queries(self) -> tuple[UsageQuery, ...]:
        """The saved queries: tokens, errors and latency; estimated cost; and the estimated cost of each team."""
        targets = self.targets()
        team_profiles = [(p.profile_id, p.team) for p in self.team_profiles]
        by_team = []
        for team in dict.fromkeys(p.team for p in self.team_profiles):
            own = [p.profile_id for p in self.team_profiles if p.team == team]
            others = {p.profile_id for p in self.team_profiles if p.team != team}
            by_team.append(team_cost_query([t for t in targets if t.suffix not in others], team, own))
        return (*QUERIES, *cost_queries(targets, team_profiles), *by_team)


class ClaudeUsage(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, props: UsageProps) -> None:
        super().__init__(scope, construct_id)
        queries = props.queries()
        self.queries = SavedQueries(
            self,
            queries=queries,
            invocation_log_group_name=props.invocation_log_group_name,
            invoker_log_group_name=props.invoker_log_group_name,
        )
        self.athena = AthenaOverLogs(
            self,
            queries=queries,
            region=props.region,
            log_bucket=props.log_bucket,
            log_key_arn=props.log_key_arn,
            retention_days=props.log_retention_days,
            removal=removal_policy(props.log_removal_policy),
        )
        self.capacity = QuotaAlarms(self, alarms=props.quota_alarms, topic_arns=props.alarm_topic_arns)
        self.dashboard = UsageDashboard(
            self,
            region=props.region,
            endpoint_scope=props.endpoint_scope,
            invocation_log_group_name=props.invocation_log_group_name,
            queries=queries,
            quota_alarms=self.capacity.alarms,
            alarms=props.alarms,
        ).dashboard
