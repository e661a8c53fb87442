"""Configuration section `guardrails`: Amazon Bedrock Guardrails a team or the invoker applies, and which one the
invoker applies (`invoker_guardrail`, kept here beside the names it refers to).

Value rules are those of the CloudFormation resource AWS::Bedrock::Guardrail (its registry schema, as bundled with
cfn-lint): content filter types and strengths, denied topics (name pattern, lengths, at most 30, at most five
examples), PII entity types and actions, and messages of 1 to 500 characters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.config.values import as_list, check_fields, fail

DEFAULTS: dict[str, Any] = {
    "guardrails": [],
    "invoker_guardrail": None,
}

CONTENT_FILTERS = ("SEXUAL", "VIOLENCE", "HATE", "INSULTS", "MISCONDUCT", "PROMPT_ATTACK")
STRENGTHS = ("NONE", "LOW", "MEDIUM", "HIGH")
PII_ACTIONS = ("BLOCK", "ANONYMIZE", "NONE")
PII_ENTITIES = (
    "ADDRESS",
    "AGE",
    "AWS_ACCESS_KEY",
    "AWS_SECRET_KEY",
    "CA_HEALTH_NUMBER",
    "CA_SOCIAL_INSURANCE_NUMBER",
    "CREDIT_DEBIT_CARD_CVV",
    "CREDIT_DEBIT_CARD_EXPIRY",
    "CREDIT_DEBIT_CARD_NUMBER",
    "DRIVER_ID",
    "EMAIL",
    "INTERNATIONAL_BANK_ACCOUNT_NUMBER",
    "IP_ADDRESS",
    "LICENSE_PLATE",
    "MAC_ADDRESS",
    "NAME",
    "PASSWORD",
    "PHONE",
    "PIN",
    "SWIFT_CODE",
    "UK_NATIONAL_HEALTH_SERVICE_NUMBER",
    "UK_NATIONAL_INSURANCE_NUMBER",
    "UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER",
    "URL",
    "USERNAME",
    "US_BANK_ACCOUNT_NUMBER",
    "US_BANK_ROUTING_NUMBER",
    "US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER",
    "US_PASSPORT_NUMBER",
    "US_SOCIAL_SECURITY_NUMBER",
    "VEHICLE_IDENTIFICATION_NUMBER",
)
DEFAULT_BLOCKED_INPUT = "This request was blocked by the organization's content policy."
DEFAULT_BLOCKED_OUTPUT = "The response was blocked by the organization's content policy."

# Our names become part of the guardrail's name (`claude-<name>`, at most 50 characters of [0-9a-zA-Z-_]).
NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
NAME_MAX = 32
_TOPIC_NAME = re.compile(r"^[0-9a-zA-Z-_ !?.]{1,100}$")
_OPTIONAL = ("content_filters", "denied_topics", "pii", "blocked_input_message", "blocked_output_message")


@dataclass(frozen=True)
class DeniedTopic:
    name: str
    definition: str
    examples: tuple[str, ...]


@dataclass(frozen=True)
class GuardrailDefinition:
    """One guardrail as configured: what it filters, denies and masks, and what a blocked caller is told."""

    name: str
    content_filters: tuple[tuple[str, str], ...]  # (filter type, strength)
    denied_topics: tuple[DeniedTopic, ...]
    pii: tuple[tuple[str, str], ...]  # (entity type, action)
    blocked_input_message: str
    blocked_output_message: str


@dataclass(frozen=True)
class GuardrailsConfig:
    definitions: tuple[GuardrailDefinition, ...]
    # The guardrail the invoker function applies to every call (and that IAM makes it apply), or None.
    invoker: GuardrailDefinition | None

    def named(self, name: str) -> GuardrailDefinition | None:
        return next((d for d in self.definitions if d.name == name), None)


def parse_guardrails(raw: Mapping[str, Any]) -> GuardrailsConfig:
    definitions: list[GuardrailDefinition] = []
    for index, item in enumerate(as_list("guardrails", raw["guardrails"])):
        definition = _definition(index, item)
        if any(d.name == definition.name for d in definitions):
            raise fail("guardrails.name", definition.name, "a name used by one guardrail only")
        definitions.append(definition)
    config = GuardrailsConfig(tuple(definitions), None)
    invoker = raw["invoker_guardrail"]
    if invoker in (None, ""):
        return config
    chosen = config.named(str(invoker))
    if chosen is None:
        names = ", ".join(d.name for d in definitions) or "none defined; add one under 'guardrails'"
        raise fail("invoker_guardrail", invoker, f"the name of a guardrail in 'guardrails' ({names}), or unset")
    return GuardrailsConfig(config.definitions, chosen)


def _definition(index: int, item: Any) -> GuardrailDefinition:
    key = "guardrails"
    example = '{"name": ..., "content_filters": {...}, "denied_topics": [...], "pii": {...}}'
    check_fields(key, index, item, ("name",), _OPTIONAL, example)
    name = item["name"]
    if not isinstance(name, str) or not NAME.match(name) or len(name) > NAME_MAX:
        raise fail(f"{key}.name", name, f"1-{NAME_MAX} lower-case letters, digits and single hyphens")
    where = f"{key}[{name}]"
    filters = _pairs(f"{where}.content_filters", item.get("content_filters", {}), CONTENT_FILTERS, STRENGTHS)
    pii = _pairs(f"{where}.pii", item.get("pii", {}), PII_ENTITIES, PII_ACTIONS)
    topics = tuple(
        _topic(f"{where}.denied_topics", index, t)
        for index, t in enumerate(as_list(f"{where}.denied_topics", item.get("denied_topics")))
    )
    if len(topics) > 30:
        raise fail(f"{where}.denied_topics", len(topics), "at most 30 topics")
    if len({t.name for t in topics}) != len(topics):
        raise fail(f"{where}.denied_topics", [t.name for t in topics], "each topic name once")
    if not (filters or pii or topics):
        raise fail(where, item, "at least one of content_filters, denied_topics, pii")
    return GuardrailDefinition(
        name=name,
        content_filters=filters,
        denied_topics=topics,
        pii=pii,
        blocked_input_message=_message(
            f"{where}.blocked_input_message", item.get("blocked_input_message"), DEFAULT_BLOCKED_INPUT
        ),
        blocked_output_message=_message(
            f"{where}.blocked_output_message", item.get("blocked_output_message"), DEFAULT_BLOCKED_OUTPUT
        ),
    )


def _pairs(key: str, value: Any, names: tuple[str, ...], choices: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise fail(key, value, f'an object such as {{"{names[0]}": "{choices[0]}"}}')
    pairs = []
    for name, choice in value.items():
        if name not in names:
            raise fail(key, name, ", ".join(names))
        if choice not in choices:
            raise fail(f"{key}.{name}", choice, ", ".join(choices))
        pairs.append((str(name), str(choice)))
    return tuple(pairs)


def _topic(key: str, index: int, value: Any) -> DeniedTopic:
    example = '{"name": ..., "definition": ..., "examples": [...]}'
    check_fields(key, index, value, ("name", "definition"), ("examples",), example)
    name, definition = value["name"], value["definition"]
    if not isinstance(name, str) or not _TOPIC_NAME.match(name):
        raise fail(f"{key}.name", name, "1-100 characters of letters, digits, spaces and - _ ! ? .")
    if not isinstance(definition, str) or not 1 <= len(definition) <= 1000:
        raise fail(f"{key}[{name}].definition", definition, "1-1000 characters")
    examples = as_list(f"{key}[{name}].examples", value.get("examples"))
    if len(examples) > 5 or not all(isinstance(e, str) and 1 <= len(e) <= 100 for e in examples):
        raise fail(f"{key}[{name}].examples", examples, "at most 5 examples of 1-100 characters")
    return DeniedTopic(name, definition, tuple(examples))


def _message(key: str, value: Any, default: str) -> str:
    if value is None:
        return default
    if not isinstance(value, str) or not 1 <= len(value) <= 500:
        raise fail(key, value, "1-500 characters")
    return value
