"""Budgets, as plain data: what each AWS Budgets budget counts, its amount, when it notifies, and what a team's
budget action denies.

- The account's budget (`budget_monthly_usd`) counts every cost whose SERVICE contains "Bedrock": "Amazon Bedrock",
  and the service names under which models sold through AWS Marketplace may be billed (which AWS's pages we read do
  not list, hence CONTAINS rather than EQUALS; AWS::Budgets::Budget ExpressionDimensionValues takes EQUALS,
  STARTS_WITH, ENDS_WITH, CONTAINS...).
- A team's budget (`teams[].monthly_budget_usd`) counts the costs carrying the team's tags that no other team has
  (core/config/teams.py `attributing_tags`): its application inference profiles carry them, so Bedrock meters their
  calls under them once the keys are activated as cost allocation tags.
- Both notify at 80% of the amount forecast and at 100% actual (AWS Budgets "Creating a cost budget"; threshold type
  PERCENTAGE). A team's `budget_action: deny` adds an AWS Budgets action (APPLY_IAM_POLICY, automatic) at 100% actual
  that attaches a policy denying the team's role every Claude call.

Budgets are global: one set per deployment (one per Region would count the same spend once per Region), in the
stack `ClaudeBudgets` in us-east-1, whatever `regions` says: the AWS Budgets endpoint is there, and CloudFormation's
registry does not offer AWS::Budgets::Budget or AWS::Budgets::BudgetsAction in every Region (eu-central-2, for one,
lacks both: the synthesis validates resource types per Region). A team's action names the team's role in every
Region, read from the teams stacks' outputs with `Fn::GetStackOutput`, which "supports cross-account and
cross-region references" (AWS CloudFormation template reference,
https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getstackoutput.html);
the budgets stack therefore deploys after them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from core.config import AppConfig, TeamConfig
from core.config.teams import attributing_tags

BUDGETS_STACK_NAME = "ClaudeBudgets"
BUDGETS_REGION = "us-east-1"
BUDGETS_PARTITION = "aws"
NAME_PREFIX = "claude-on-bedrock"
ACCOUNT_BUDGET_NAME = f"{NAME_PREFIX}-bedrock"
SERVICE_CONTAINS = "Bedrock"
FORECASTED_PERCENT = 80
ACTUAL_PERCENT = 100
# What a denied team role may no longer do: every Claude call (InvokeModel authorizes Converse and the Messages API
# too, InvokeModelWithResponseStream their streaming forms).
DENIED_ACTIONS = ("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream")
# What AWS Budgets needs to apply and reverse an IAM policy action on a role ("Allow AWS Budgets to apply IAM
# policies and SCPs", Cost Management user guide: iam:Attach*Policy and iam:Detach*Policy), for roles only.
EXECUTION_ACTIONS = ("iam:AttachRolePolicy", "iam:DetachRolePolicy")
BUDGETS_SERVICE = "budgets.amazonaws.com"


def team_budget_name(team: str) -> str:
    return f"{NAME_PREFIX}-team-{team}"


@dataclass(frozen=True)
class BudgetPlan:
    """One monthly cost budget: its name and amount, and what it counts (a SERVICE text, or tags)."""

    name: str
    amount_usd: Decimal
    service_contains: str | None = None
    tags: tuple[tuple[str, str], ...] = ()
    # The team whose role the budget's action denies Claude at 100%, when it has one.
    deny_team: str | None = None


def budget_plans(config: AppConfig) -> tuple[BudgetPlan, ...]:
    plans = []
    if config.cost.budget_monthly_usd is not None:
        plans.append(BudgetPlan(ACCOUNT_BUDGET_NAME, config.cost.budget_monthly_usd, service_contains=SERVICE_CONTAINS))
    plans += [_team_plan(team, config.teams) for team in config.teams if team.monthly_budget_usd is not None]
    return tuple(plans)


def _team_plan(team: TeamConfig, teams: Sequence[TeamConfig]) -> BudgetPlan:
    assert team.monthly_budget_usd is not None
    return BudgetPlan(
        team_budget_name(team.name),
        team.monthly_budget_usd,
        tags=attributing_tags(team, teams),
        deny_team=team.name if team.budget_action == "deny" else None,
    )


@dataclass(frozen=True)
class Subscriber:
    """Who a budget notifies: an e-mail address or an SNS topic (AWS Budgets SubscriptionType EMAIL or SNS)."""

    kind: str
    address: str


def subscribers(config: AppConfig) -> tuple[Subscriber, ...]:
    """`alarm_emails`, and `alarm_topic_arn` of the first Region (a notification takes one SNS topic)."""
    topic = config.alarms.topic_arn_in(config.regions[0])
    return (*(Subscriber("EMAIL", e) for e in config.alarms.emails), *([Subscriber("SNS", topic)] if topic else []))
