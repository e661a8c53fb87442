"""Construct: least-privilege permission to invoke chosen Claude models through one scope."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_iam as iam
from constructs import Construct

from core.config import AccessConfig
from core.invocation_access.plan import RegionPlan
from stacks.shared.nag import acknowledge


@dataclass(frozen=True)
class InvocationAccessProps:
    """What `ClaudeInvocationAccess` (and the access stack around it) is built from."""

    # The Region's profiles and the callers' statements, planned once (core.deployment).
    plan: RegionPlan
    # The `access_*` keys: who may assume the role, and whether Marketplace subscription is allowed.
    access: AccessConfig


class ClaudeInvocationAccess(Construct):
    """The customer-managed policy `InvokePolicy` that any role can attach, holding the plan's statements; when they
    outgrow one policy (many models), the rest in `InvokePolicy2`, `InvokePolicy3`... (`RegionPlan.access_policies`).
    """

    def __init__(self, scope: Construct, construct_id: str, *, props: InvocationAccessProps) -> None:
        super().__init__(scope, construct_id)
        plan = props.plan
        self.profiles = plan.profiles
        documents = plan.access_policies()
        description = (
            f"Invoke {', '.join(p.model.name for p in plan.profiles)} on Amazon Bedrock "
            f"through the {plan.endpoint_scope} inference profile from {plan.region} only"
        )
        if len(description) > 1000:  # IAM's limit for a policy description
            description = (
                f"Invoke {len(plan.profiles)} Claude models on Amazon Bedrock through the {plan.endpoint_scope} "
                + (f"inference profile from {plan.region} only")
            )
        self.policies = [
            iam.ManagedPolicy(
                self,
                "InvokePolicy" if number == 1 else f"InvokePolicy{number}",
                description=description
                if len(documents) == 1
                else f"{description} (part {number} of {len(documents)})",
                document=iam.PolicyDocument(statements=[iam.PolicyStatement.from_json(s) for s in statements]),
            )
            for number, statements in enumerate(documents, start=1)
        ]
        self.policy = self.policies[0]
        for policy, statements in zip(self.policies, documents, strict=True):
            if props.access.allow_marketplace_subscription and any(
                s["Sid"].startswith("Marketplace") for s in statements
            ):
                acknowledge(
                    policy,
                    "AwsSolutions-IAM5[Resource::*]",
                    "aws-marketplace:Subscribe and ViewSubscriptions have no resource-level permissions; AWS "
                    "documents them with Resource '*'. Enabled only by access_allow_marketplace_subscription for the "
                    "first use of a model.",
                )
