"""Construct: the deployment's AWS Budgets budgets (`core.usage.budgets`): the account's Bedrock spend and each
team's, notifying at 80% forecast and 100% actual; with `budget_action: deny`, the team's action (`action.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aws_cdk import aws_budgets as budgets
from constructs import Construct

from core.invocation_access.permissions import sid
from core.usage.budgets import ACTUAL_PERCENT, FORECASTED_PERCENT, BudgetPlan, Subscriber
from stacks.budgets.action import TeamBudgetAction


@dataclass(frozen=True)
class TeamRole:
    """A team's role in one Region, as its teams stack's outputs give it (a reference to another Region's stack)."""

    team: str
    arn: str
    name: str


@dataclass(frozen=True)
class BudgetsProps:
    """The budgets to create, who they notify (`alarm_emails`, `alarm_topic_arn`), and the team roles a budget's
    action denies Claude."""

    plans: Sequence[BudgetPlan]
    subscribers: Sequence[Subscriber]
    team_roles: Sequence[TeamRole] = ()


def _filter(plan: BudgetPlan) -> budgets.CfnBudget.ExpressionProperty:
    """What the budget counts: costs whose SERVICE contains a text, or costs carrying every one of the tags."""
    if plan.service_contains is not None:
        return budgets.CfnBudget.ExpressionProperty(
            dimensions=budgets.CfnBudget.ExpressionDimensionValuesProperty(
                key="SERVICE", values=[plan.service_contains], match_options=["CONTAINS"]
            )
        )
    tags = [
        budgets.CfnBudget.ExpressionProperty(
            tags=budgets.CfnBudget.TagValuesProperty(key=key, values=[value], match_options=["EQUALS"])
        )
        for key, value in plan.tags
    ]
    return tags[0] if len(tags) == 1 else budgets.CfnBudget.ExpressionProperty(and_=tags)


def _notification(
    kind: str, percent: int, subscribers: Sequence[Subscriber]
) -> budgets.CfnBudget.NotificationWithSubscribersProperty:
    return budgets.CfnBudget.NotificationWithSubscribersProperty(
        notification=budgets.CfnBudget.NotificationProperty(
            comparison_operator="GREATER_THAN", notification_type=kind, threshold=percent, threshold_type="PERCENTAGE"
        ),
        subscribers=[
            budgets.CfnBudget.SubscriberProperty(address=s.address, subscription_type=s.kind) for s in subscribers
        ],
    )


class ClaudeBudgets(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, props: BudgetsProps) -> None:
        super().__init__(scope, construct_id)
        self.budgets: dict[str, budgets.CfnBudget] = {}
        for plan in props.plans:
            self.budgets[plan.name] = budgets.CfnBudget(
                self,
                f"{sid(plan.name)}Budget",
                budget=budgets.CfnBudget.BudgetDataProperty(
                    budget_name=plan.name,
                    budget_type="COST",
                    time_unit="MONTHLY",
                    budget_limit=budgets.CfnBudget.SpendProperty(amount=float(plan.amount_usd), unit="USD"),
                    filter_expression=_filter(plan),
                ),
                notifications_with_subscribers=[
                    _notification("FORECASTED", FORECASTED_PERCENT, props.subscribers),
                    _notification("ACTUAL", ACTUAL_PERCENT, props.subscribers),
                ],
            )
        self.actions = {
            plan.deny_team: TeamBudgetAction(
                self,
                team=plan.deny_team,
                budget=self.budgets[plan.name],
                budget_name=plan.name,
                role_arns=[r.arn for r in props.team_roles if r.team == plan.deny_team],
                role_names=[r.name for r in props.team_roles if r.team == plan.deny_team],
                subscribers=props.subscribers,
            )
            for plan in props.plans
            if plan.deny_team is not None
        }
