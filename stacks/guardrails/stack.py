"""Stack: the configured Amazon Bedrock guardrails of one Region (only when `guardrails` lists any)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from core.guardrails.guardrail import AppliedGuardrail
from core.invocation_access.permissions import sid
from stacks.guardrails.construct import ClaudeGuardrail, GuardrailProps


@dataclass(frozen=True)
class GuardrailsExports:
    """What teams and the invoker apply: each guardrail's ARN and version, by its configured name."""

    applied: Mapping[str, AppliedGuardrail]


class GuardrailsStack(Stack):
    """Each configured guardrail, with its version; teams and the invoker apply them by ARN and version."""

    def __init__(
        self, scope: Construct, construct_id: str, *, guardrails: Sequence[GuardrailProps], **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        applied: dict[str, AppliedGuardrail] = {}
        for props in guardrails:
            # A stable id per name: the same guardrail keeps its ARN whatever else is configured.
            name = sid(props.definition.name)
            guardrail = ClaudeGuardrail(self, f"{name}Guardrail", props=props)
            applied[props.definition.name] = guardrail.applied
            CfnOutput(self, f"{name}GuardrailArn", value=guardrail.applied.arn)
            CfnOutput(
                self,
                f"{name}GuardrailVersion",
                value=guardrail.applied.version,
                description="The version callers pass as guardrailVersion (IAM requires exactly this one)",
            )
        self.exports = GuardrailsExports(applied=applied)
