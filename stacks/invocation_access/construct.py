"""Construct: least-privilege permission to invoke chosen Claude models through one scope."""

from __future__ import annotations

from aws_cdk import aws_iam as iam
from constructs import Construct

from core.plan import RegionPlan
from stacks.nag import acknowledge


class ClaudeInvocationAccess(Construct):
    """One customer-managed policy (`InvokePolicy`) that any role can attach, holding the plan's statements."""

    def __init__(
        self, scope: Construct, construct_id: str, *, plan: RegionPlan, allow_marketplace_subscription: bool
    ) -> None:
        super().__init__(scope, construct_id)
        self.profiles = plan.profiles
        self.policy = iam.ManagedPolicy(
            self,
            "InvokePolicy",
            description=(
                f"Invoke {', '.join(p.model.name for p in plan.profiles)} on Amazon Bedrock "
                f"through the {plan.scope} inference profile from {plan.region} only"
            ),
            document=iam.PolicyDocument(
                statements=[iam.PolicyStatement.from_json(statement) for statement in plan.access_statements]
            ),
        )
        if allow_marketplace_subscription:
            acknowledge(
                self.policy,
                "AwsSolutions-IAM5[Resource::*]",
                "aws-marketplace:Subscribe and ViewSubscriptions have no resource-level permissions; AWS documents "
                "them with Resource '*'. Enabled only by access_allow_marketplace_subscription for the first use of "
                "a model.",
            )
