"""Stack: the deployment's budgets, once (AWS Budgets is global), in the first configured Region.

Only with `budget_monthly_usd` or a team's `monthly_budget_usd`. The teams stacks whose teams have a budget action
deploy after it: their actions name its budgets.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from core.invocation_access.permissions import sid
from stacks.budgets.construct import BudgetsProps, ClaudeBudgets


class BudgetsStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, *, props: BudgetsProps, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        built = ClaudeBudgets(self, "ClaudeBudgets", props=props)
        for plan in props.plans:
            CfnOutput(
                self,
                f"{sid(plan.name)}BudgetName",
                value=built.budgets[plan.name].ref,
                description=f"AWS Budgets budget of {plan.amount_usd} USD a month"
                + (f", tags {dict(plan.tags)}" if plan.tags else f", services containing '{plan.service_contains}'"),
            )
