"""Stack: the invocation policy and the role callers assume, for one source Region."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_cdk import CfnOutput, Duration, Stack
from aws_cdk import aws_iam as iam
from constructs import Construct

from stacks.invocation_access.construct import ClaudeInvocationAccess, InvocationAccessProps
from stacks.shared.principals import principal


@dataclass(frozen=True)
class AccessExports:
    """What other stacks and callers use: the invocation policy (all its parts) and the role that carries it."""

    policies: tuple[iam.ManagedPolicy, ...]
    role: iam.Role


class InvocationAccessStack(Stack):
    """Who may call Claude from this Region: a managed policy for the scope and a role that carries it."""

    def __init__(self, scope: Construct, construct_id: str, *, props: InvocationAccessProps, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        plan, access = props.plan, props.access
        policies = tuple(ClaudeInvocationAccess(self, "ClaudeAccess", props=props).policies)
        # No principals configured: trust this account, so its IAM administrators decide who assumes the role.
        principals = [principal(p, access.role_external_id) for p in access.role_principals] or [
            iam.AccountRootPrincipal()
        ]
        # The construct id predates the `access_role_*` keys; it stays, so the role keeps its ARN.
        role = iam.Role(
            self,
            "InvokerRole",
            description=f"Assumed by callers that invoke Claude through the {plan.endpoint_scope} inference profile",
            assumed_by=iam.CompositePrincipal(*principals),
            managed_policies=list(policies),
            max_session_duration=Duration.hours(1),
        )
        self.exports = AccessExports(policies=policies, role=role)

        CfnOutput(
            self,
            "InvokePolicyArn",
            value=policies[0].managed_policy_arn,
            description="Attach to any role or user that may invoke the allowed Claude models"
            + (" (with the other parts in InvokePolicyArns)" if len(policies) > 1 else ""),
        )
        if len(policies) > 1:
            CfnOutput(
                self,
                "InvokePolicyArns",
                value=",".join(policy.managed_policy_arn for policy in policies),
                description="Every part of the invocation policy: attach them all (the statements outgrew one policy)",
            )
        CfnOutput(self, "InvokerRoleArn", value=role.role_arn, description="Role the configured principals assume")
        CfnOutput(
            self,
            "ModelIds",
            value=",".join(p.profile_id for p in plan.profiles),
            description="The exact modelId values a caller sends to bedrock-runtime from this Region",
        )
        CfnOutput(
            self,
            "EndpointScope",
            value=plan.endpoint_scope,
            description="global, or the geography that calls are kept in",
        )
