"""Construct: one configured Amazon Bedrock guardrail and its current numbered version.

A guardrail version is immutable. The version's description carries a fingerprint of the configuration, so a change
of the guardrail replaces the version resource and Bedrock numbers a new version; the old version is retained (not
deleted on replacement), so callers that still name it keep working until their stacks apply the new one.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import RemovalPolicy
from aws_cdk import aws_bedrock as bedrock
from constructs import Construct

from core.config import GuardrailDefinition
from core.guardrails.guardrail import AppliedGuardrail, definition_fingerprint, guardrail_properties


@dataclass(frozen=True)
class GuardrailProps:
    """What `ClaudeGuardrail` is built from."""

    # One entry of `guardrails`: its name, filters, denied topics, PII actions and blocked messages.
    definition: GuardrailDefinition


class ClaudeGuardrail(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, props: GuardrailProps) -> None:
        super().__init__(scope, construct_id)
        definition = props.definition
        properties = guardrail_properties(definition)
        self.resource = bedrock.CfnGuardrail(
            self,
            "Guardrail",
            name=properties.pop("Name"),
            blocked_input_messaging=properties.pop("BlockedInputMessaging"),
            blocked_outputs_messaging=properties.pop("BlockedOutputsMessaging"),
        )
        # The policies as CloudFormation spells them (core.guardrails.guardrail), written onto the resource unchanged.
        for name, value in properties.items():
            self.resource.add_property_override(name, value)
        self.version = bedrock.CfnGuardrailVersion(
            self,
            "Version",
            guardrail_identifier=self.resource.attr_guardrail_id,
            description=f"Configuration {definition_fingerprint(definition)}",
        )
        self.version.apply_removal_policy(RemovalPolicy.RETAIN)
        self.applied = AppliedGuardrail(
            definition=definition, arn=self.resource.attr_guardrail_arn, version=self.version.attr_version
        )
