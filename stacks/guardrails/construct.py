"""Construct: one configured Amazon Bedrock guardrail and its current numbered version.

A guardrail version is immutable. The version's description carries a fingerprint of the configuration, so a change
of the guardrail replaces the version resource and Bedrock numbers a new version; the old version is retained (not
deleted on replacement), so callers that still name it keep working until their stacks apply the new one.
"""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_bedrock as bedrock
from constructs import Construct

from core.config import GuardrailDefinition
from core.guardrails.guardrail import AppliedGuardrail, definition_fingerprint, guardrail_properties


class ClaudeGuardrail(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, definition: GuardrailDefinition) -> None:
        super().__init__(scope, construct_id)
        properties = guardrail_properties(definition)
        self.guardrail = bedrock.CfnGuardrail(
            self,
            "Guardrail",
            name=properties.pop("Name"),
            blocked_input_messaging=properties.pop("BlockedInputMessaging"),
            blocked_outputs_messaging=properties.pop("BlockedOutputsMessaging"),
        )
        # The policies as CloudFormation spells them (core.guardrails.guardrail), written onto the resource unchanged.
        for name, value in properties.items():
            self.guardrail.add_property_override(name, value)
        self.version = bedrock.CfnGuardrailVersion(
            self,
            "Version",
            guardrail_identifier=self.guardrail.attr_guardrail_id,
            description=f"Configuration {definition_fingerprint(definition)}",
        )
        self.version.apply_removal_policy(RemovalPolicy.RETAIN)
        self.applied = AppliedGuardrail(
            definition=definition, arn=self.guardrail.attr_guardrail_arn, version=self.version.attr_version
        )
