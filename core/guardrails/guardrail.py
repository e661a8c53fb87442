"""A configured guardrail as CloudFormation describes it, and the IAM statements that make a principal apply it.

Enforcement follows the Amazon Bedrock user guide, "Enforce the use of specific guardrails in model inference
requests" (guardrails-permissions-id): the condition key `bedrock:GuardrailIdentifier` carries
`<guardrail ARN>:<version>` for a numbered version, and an explicit Deny with `StringNotEquals` on that value
"keeps the user request from calling the listed actions with any other GuardrailIdentifier and guardrail version
no matter what other permissions the user might have". IAM treats a negated operator on an absent key as matching,
so a request without any guardrail is denied too. Every AWS example also allows `bedrock:ApplyGuardrail` on the
guardrail's ARN (without version) beside the inference actions; it is granted the same way here.

The Allow statements of the caller stay those of `core.invocation_access.permissions`: the Deny alone decides
whether a guardrail was applied, on every resource Bedrock authorizes in the call (profile and routed models alike).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from core.config.guardrails import GuardrailDefinition
from core.invocation_access.permissions import INVOKE, INVOKE_STREAM, Statement

APPLY_GUARDRAIL = "bedrock:ApplyGuardrail"
GUARDRAIL_IDENTIFIER_KEY = "bedrock:GuardrailIdentifier"
# A guardrail ARN of the deployed length, for policy sizes measured before the guardrail exists.
SAMPLE_GUARDRAIL_ARN = "arn:aws:bedrock:ap-southeast-4:123456789012:guardrail/abcdefghij12"
SAMPLE_GUARDRAIL_VERSION = "99999999"
# Prompt attacks are user prompts ("Detect prompt attacks with Amazon Bedrock Guardrails"): filtered on input only.
INPUT_ONLY_FILTERS = ("PROMPT_ATTACK",)


def guardrail_name(definition: GuardrailDefinition) -> str:
    """The guardrail's name in Bedrock (at most 50 characters of [0-9a-zA-Z-_])."""
    return f"claude-{definition.name}"


def guardrail_properties(definition: GuardrailDefinition) -> dict[str, Any]:
    """The AWS::Bedrock::Guardrail properties of `definition`, as the CloudFormation resource spells them."""
    properties: dict[str, Any] = {
        "Name": guardrail_name(definition),
        "Description": f"Claude on Bedrock guardrail '{definition.name}' (configuration key guardrails)",
        "BlockedInputMessaging": definition.blocked_input_message,
        "BlockedOutputsMessaging": definition.blocked_output_message,
    }
    if definition.content_filters:
        properties["ContentPolicyConfig"] = {
            "FiltersConfig": [
                {
                    "Type": kind,
                    "InputStrength": strength,
                    "OutputStrength": "NONE" if kind in INPUT_ONLY_FILTERS else strength,
                }
                for kind, strength in definition.content_filters
            ]
        }
    if definition.denied_topics:
        properties["TopicPolicyConfig"] = {
            "TopicsConfig": [
                {
                    "Name": topic.name,
                    "Definition": topic.definition,
                    **({"Examples": list(topic.examples)} if topic.examples else {}),
                    "Type": "DENY",
                }
                for topic in definition.denied_topics
            ]
        }
    if definition.pii:
        properties["SensitiveInformationPolicyConfig"] = {
            "PiiEntitiesConfig": [{"Type": kind, "Action": action} for kind, action in definition.pii]
        }
    return properties


def definition_fingerprint(definition: GuardrailDefinition) -> str:
    """A short hash of everything the guardrail enforces. The version's description carries it, so a change of the
    guardrail replaces its version resource and Bedrock numbers a new version (a version is immutable)."""
    text = json.dumps(guardrail_properties(definition), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def guardrail_identifier(guardrail_arn: str, version: str) -> str:
    """The value of `bedrock:GuardrailIdentifier` for a numbered version: `<ARN>:<version>` (AWS example 1)."""
    return f"{guardrail_arn}:{version}"


def guardrail_statements(guardrail_arn: str, version: str) -> list[Statement]:
    """Deny every inference call that does not apply this guardrail version; allow applying the guardrail."""
    actions = [INVOKE, INVOKE_STREAM]  # denied whatever the caller's Allow statements grant
    return [
        {
            "Sid": "DenyInvocationWithoutTheGuardrail",
            "Effect": "Deny",
            "Action": actions,
            "Resource": "*",
            "Condition": {"StringNotEquals": {GUARDRAIL_IDENTIFIER_KEY: guardrail_identifier(guardrail_arn, version)}},
        },
        {
            "Sid": "ApplyTheGuardrail",
            "Effect": "Allow",
            "Action": [APPLY_GUARDRAIL],
            "Resource": [guardrail_arn],
        },
    ]


@dataclass(frozen=True)
class AppliedGuardrail:
    """A deployed guardrail version a principal must apply: its ARN and version (CDK tokens at synthesis)."""

    definition: GuardrailDefinition
    arn: str
    version: str

    def statements(self) -> list[Statement]:
        return guardrail_statements(self.arn, self.version)

    def stand_ins(self) -> dict[str, str]:
        """Deployed-length values for the tokens, for policy sizes."""
        return {self.arn: SAMPLE_GUARDRAIL_ARN, self.version: SAMPLE_GUARDRAIL_VERSION}
