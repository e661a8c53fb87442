"""Construct: least-privilege permission to invoke chosen Claude models through one scope."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from constructs import Construct

from stacks.catalog import ClaudeModel, ResolvedProfile, partition_of, resolve
from stacks.compliance import acknowledge
from stacks.invocation_access.permissions import (
    Statement,
    allow_statements,
    invoke_actions,
    marketplace_statements,
    residency_deny_statements,
)


class ClaudeInvocationAccess(Construct):
    """Describes who may invoke which Claude models through which inference profiles.

    Creates one customer-managed policy (`InvokePolicy`) that any role can attach,
    and offers `grant_invoke` to put the same statements on another principal.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        models: Sequence[ClaudeModel],
        endpoint_scope: str,
        source_region: str,
        allow_streaming: bool,
        allow_marketplace_subscription: bool,
    ) -> None:
        super().__init__(scope, construct_id)
        account = Stack.of(self).account
        self.endpoint_scope = endpoint_scope
        self.partition = partition_of(source_region)
        self.profiles: tuple[ResolvedProfile, ...] = tuple(
            resolve(model, endpoint_scope, source_region, account) for model in models
        )
        self.allow_marketplace_subscription = allow_marketplace_subscription
        actions = invoke_actions(allow_streaming)
        self.policy = iam.ManagedPolicy(
            self,
            "InvokePolicy",
            description=(
                f"Invoke {', '.join(p.model.name for p in self.profiles)} on Amazon Bedrock "
                f"through the {endpoint_scope} inference profile from {source_region} only"
            ),
            document=iam.PolicyDocument(statements=self.statements(actions)),
        )
        self._acknowledge_marketplace(self.policy)

    def statements(self, actions: list[str]) -> list[iam.PolicyStatement]:
        raw: list[Statement] = [
            *allow_statements(self.profiles, actions),
            *residency_deny_statements(self.endpoint_scope, self.partition, actions),
        ]
        if self.allow_marketplace_subscription:
            raw += marketplace_statements(p.model for p in self.profiles)
        return [iam.PolicyStatement.from_json(statement) for statement in raw]

    def grant_invoke(self, grantee: iam.IGrantable, *, streaming: bool = False) -> None:
        """Give `grantee` the same statements, with or without the streaming action."""
        for statement in self.statements(invoke_actions(streaming)):
            grantee.grant_principal.add_to_principal_policy(statement)

    def acknowledge_for(self, policy_owner: Construct) -> None:
        """Acknowledge, on the construct that carries the statements, the wildcards AWS requires."""
        self._acknowledge_marketplace(policy_owner)

    def _acknowledge_marketplace(self, owner: Construct) -> None:
        if not self.allow_marketplace_subscription:
            return
        acknowledge(
            owner,
            "AwsSolutions-IAM5[Resource::*]",
            "aws-marketplace:Subscribe and ViewSubscriptions have no resource-level permissions; AWS documents "
            "them with Resource '*'. Enabled only by allow_marketplace_subscription for the first use of a model.",
        )
