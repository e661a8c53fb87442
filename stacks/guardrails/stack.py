"""Stack: the configured Amazon Bedrock guardrails of one Region (only when `guardrails` lists any)."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from core.config import GuardrailsConfig
from core.guardrails.guardrail import AppliedGuardrail
from core.invocation_access.permissions import sid
from stacks.guardrails.construct import ClaudeGuardrail


class GuardrailsStack(Stack):
    """Each guardrail of `guardrails`, with its version; teams and the invoker apply them by ARN and version."""

    def __init__(self, scope: Construct, construct_id: str, *, guardrails: GuardrailsConfig, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.guardrails: dict[str, ClaudeGuardrail] = {}
        for definition in guardrails.definitions:
            # A stable id per name: the same guardrail keeps its ARN whatever else is configured.
            name = sid(definition.name)
            guardrail = ClaudeGuardrail(self, f"{name}Guardrail", definition=definition)
            self.guardrails[definition.name] = guardrail
            CfnOutput(self, f"{name}GuardrailArn", value=guardrail.guardrail.attr_guardrail_arn)
            CfnOutput(
                self,
                f"{name}GuardrailVersion",
                value=guardrail.version.attr_version,
                description="The version callers pass as guardrailVersion (IAM requires exactly this one)",
            )

    def applied(self, name: str) -> AppliedGuardrail:
        return self.guardrails[name].applied
