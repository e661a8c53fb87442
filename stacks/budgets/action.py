"""A team's AWS Budgets action (`budget_action: deny`): at 100% of its budget, AWS Budgets attaches a policy that
denies the team's roles every Claude call, using an execution role that may attach exactly that policy to exactly
those roles.

Created in the budgets construct's scope (CloudFormation offers AWS::Budgets::BudgetsAction in fewer Regions than
Bedrock; IAM is global, so the policy and the role can live here too). The team's roles are those of its teams
stack in every configured Region, read from their outputs. AWS Budgets needs a service role it assumes to run an
action ("Setting up a role for AWS Budgets to run budget actions", Cost Management user guide); its permissions are
AWS's "Allow AWS Budgets to apply IAM policies and SCPs" example cut to what this action does: attach and detach one
policy (`iam:PolicyARN`) on these roles.
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import aws_budgets as budgets
from aws_cdk import aws_iam as iam
from constructs import Construct

from core.invocation_access.permissions import sid
from core.usage.budgets import ACTUAL_PERCENT, BUDGETS_SERVICE, DENIED_ACTIONS, EXECUTION_ACTIONS, Subscriber


class TeamBudgetAction:
    def __init__(
        self,
        scope: Construct,
        *,
        team: str,
        budget: budgets.CfnBudget,
        budget_name: str,
        role_arns: Sequence[str],
        role_names: Sequence[str],
        subscribers: Sequence[Subscriber],
    ) -> None:
        name = sid(team)
        self.deny_policy = iam.ManagedPolicy(
            scope,
            f"{name}BudgetDenyPolicy",
            description=f"No Claude call for team {team}: AWS Budgets attaches it to its roles at 100% of its budget",
            statements=[
                iam.PolicyStatement(
                    sid="DenyClaudeOnceTheBudgetIsSpent",
                    effect=iam.Effect.DENY,
                    actions=list(DENIED_ACTIONS),
                    resources=["*"],
                )
            ],
        )
        self.execution_role = iam.Role(
            scope,
            f"{name}BudgetActionRole",
            description=f"Assumed by AWS Budgets to attach and detach team {team}'s deny policy on its roles",
            assumed_by=iam.ServicePrincipal(BUDGETS_SERVICE),
        )
        self.execution_policy = iam.ManagedPolicy(
            scope,
            f"{name}BudgetActionPolicy",
            description=f"AWS Budgets may attach and detach team {team}'s deny policy on its roles, and nothing else",
            statements=[
                iam.PolicyStatement(
                    sid="AttachTheDenyPolicyToTheTeamRoles",
                    actions=list(EXECUTION_ACTIONS),
                    resources=list(role_arns),
                    conditions={"ArnEquals": {"iam:PolicyARN": self.deny_policy.managed_policy_arn}},
                )
            ],
            roles=[self.execution_role],
        )
        self.action = budgets.CfnBudgetsAction(
            scope,
            f"{name}BudgetAction",
            budget_name=budget_name,
            action_type="APPLY_IAM_POLICY",
            action_threshold=budgets.CfnBudgetsAction.ActionThresholdProperty(type="PERCENTAGE", value=ACTUAL_PERCENT),
            notification_type="ACTUAL",
            approval_model="AUTOMATIC",
            execution_role_arn=self.execution_role.role_arn,
            definition=budgets.CfnBudgetsAction.DefinitionProperty(
                iam_action_definition=budgets.CfnBudgetsAction.IamActionDefinitionProperty(
                    policy_arn=self.deny_policy.managed_policy_arn, roles=list(role_names)
                )
            ),
            subscribers=[
                budgets.CfnBudgetsAction.SubscriberProperty(address=s.address, type=s.kind) for s in subscribers
            ],
        )
        # The budget must exist, and AWS Budgets may check the role's permissions, when the action is created.
        self.action.node.add_dependency(budget, self.execution_policy)
