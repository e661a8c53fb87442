"""Validate the event (an Anthropic Messages API request) and resolve the model it asks for.

Checks are about shape and types, with messages naming the field; what the catalog knows a model refuses is
`claude_invoker.rules`. The finer rules (for example which content block types a model accepts) are Bedrock's,
whose ValidationException comes back as `invalid_request_error` too. Image and PDF `document` blocks, structured
output schemas and context-management edits pass through unchanged.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from claude_invoker import rules
from claude_invoker.config import ModelEntry, Settings
from claude_invoker.errors import InvokerError, echo, invalid
from claude_invoker.json_text import MAX_NESTING, too_deep
from claude_invoker.mirrored import LATENCIES, SERVICE_TIERS

# Beta flags Anthropic retired: sent now they would fail at Bedrock or do nothing, so they are refused with why.
# The 1M-token context beta ended on 2026-04-30 (Anthropic "Model deprecations"); the models with a 1M window
# have it natively.
CONTEXT_1M_BETA = "context-1m-2025-08-07"
RETIRED_BETAS = {CONTEXT_1M_BETA: "Anthropic retired the 1M-token context beta on 2026-04-30"}
CREATE = "create"
COUNT_TOKENS = "count_tokens"
OPERATIONS = (CREATE, COUNT_TOKENS)

# Fields sent to Bedrock as they are (after validation): the Messages API body Bedrock documents for Claude on
# InvokeModel (user guide: Request and Response, Structured outputs, Adaptive thinking, Compaction).
BODY_FIELDS = (
    "messages",
    "max_tokens",
    "system",
    "temperature",
    "top_p",
    "top_k",
    "stop_sequences",
    "tools",
    "tool_choice",
    "thinking",
    "metadata",
    "output_config",
    "context_management",
)
# Fields the function consumes: which model, beta flags (sent in the body as Bedrock wants them), Bedrock's request
# options (sent as InvokeModel parameters, never in the body), which operation, and which Anthropic API version
# (one the model takes; claude_invoker.rules.api_version).
CONTROL_FIELDS = (
    "model",
    "anthropic_beta",
    "bedrock_service_tier",
    "bedrock_latency",
    "invoker_operation",
    "anthropic_version",
)
ALLOWED_FIELDS = frozenset(BODY_FIELDS + CONTROL_FIELDS)

STREAMING_HINT = (
    "the function returns the whole response; to stream, call InvokeModelWithResponseStream through InvokerRole "
    "(docs/callers/streaming.md)"
)
# Fields a caller may send with the one value that asks for what the function does; they are not forwarded.
ACCEPTED_AS_IS = {"stream": False}
_HINTS = {
    "stream": STREAMING_HINT,
    "service_tier": "Anthropic's service_tier ('auto', 'standard_only') does not exist on Bedrock; use "
    f"bedrock_service_tier ({', '.join(SERVICE_TIERS)})",
    "betas": "send beta flags as anthropic_beta",
    "output_format": "deprecated by Anthropic; use output_config.format",
}


class InvocationRequest(NamedTuple):
    model: ModelEntry
    body: dict[str, Any]
    betas: tuple[str, ...]
    operation: str = CREATE
    service_tier: str | None = None  # Bedrock serviceTier: the request's, else the configured default
    latency: str | None = None  # Bedrock performanceConfigLatency, likewise

    @property
    def user_id(self) -> str | None:
        """The caller-asserted end-user ID from Anthropic's `metadata.user_id` (not authenticated)."""
        metadata = self.body.get("metadata")
        value = metadata.get("user_id") if isinstance(metadata, dict) else None
        return value if isinstance(value, str) and value else None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return (_is_int(value) or isinstance(value, float)) and math.isfinite(value)  # type: ignore[arg-type]


def _type_name(value: object) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number"
    )


def _block_list(value: list[Any], field: str) -> None:
    for i, block in enumerate(value):
        if not isinstance(block, dict):
            raise invalid(f"{field}[{i}]: must be a content block object, got {_type_name(block)}")
        if not isinstance(block.get("type"), str) or not block["type"]:
            raise invalid(f"{field}[{i}].type: must be a non-empty string")


def _messages(value: object) -> None:
    if not isinstance(value, list) or not value:
        raise invalid("messages: must be a non-empty array of {role, content} objects")
    for i, message in enumerate(value):
        where = f"messages[{i}]"
        if not isinstance(message, dict):
            raise invalid(f"{where}: must be an object with 'role' and 'content', got {_type_name(message)}")
        if message.get("role") not in ("user", "assistant"):
            raise invalid(f"{where}.role: must be 'user' or 'assistant'")
        if "content" not in message:
            raise invalid(f"{where}.content: required")
        content = message["content"]
        if isinstance(content, list):
            _block_list(content, f"{where}.content")
        elif not isinstance(content, str):
            raise invalid(f"{where}.content: must be a string or an array of content blocks")


def _system(value: object) -> None:
    if isinstance(value, str):
        return
    if not isinstance(value, list):
        raise invalid("system: must be a string or an array of text blocks")
    for i, block in enumerate(value):
        if not isinstance(block, dict) or block.get("type") != "text" or not isinstance(block.get("text"), str):
            raise invalid(f"system[{i}]: must be a text block {{'type': 'text', 'text': <string>}}")


def _unit_interval(value: object, field: str) -> None:
    if not _is_number(value) or not 0 <= value <= 1:  # type: ignore[operator]
        raise invalid(f"{field}: must be a number from 0 to 1")


def _string_list(value: object, field: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise invalid(f"{field}: must be an array of non-empty strings")
    return value


def _tools(value: object) -> None:
    if not isinstance(value, list):
        raise invalid("tools: must be an array of tool objects")
    for i, tool in enumerate(value):
        if not isinstance(tool, dict) or not isinstance(tool.get("name"), str) or not tool["name"]:
            raise invalid(f"tools[{i}]: must be an object with a non-empty string 'name'")


def _tool_choice(value: object) -> None:
    if not isinstance(value, dict) or value.get("type") not in ("auto", "any", "tool", "none"):
        raise invalid("tool_choice: must be an object whose 'type' is one of auto, any, tool, none")
    if value["type"] == "tool" and (not isinstance(value.get("name"), str) or not value["name"]):
        raise invalid("tool_choice.name: required (a tool name) when tool_choice.type is 'tool'")


def _thinking(value: object) -> None:
    if not isinstance(value, dict) or not isinstance(value.get("type"), str) or not value["type"]:
        raise invalid("thinking: must be an object with a string 'type' (for example 'adaptive')")
    if value["type"] == "enabled" and not (_is_int(value.get("budget_tokens")) and value["budget_tokens"] > 0):
        raise invalid("thinking.budget_tokens: must be a positive integer when thinking.type is 'enabled'")


def _metadata(value: object) -> None:
    # Bedrock's Anthropic schema accepts only `user_id` under `metadata`.
    if not isinstance(value, dict):
        raise invalid("metadata: must be an object")
    extra = sorted(set(value) - {"user_id"})
    if extra:
        raise invalid(f"metadata.{echo(extra[0])}: unknown field; only metadata.user_id is allowed")
    user_id = value.get("user_id")
    if user_id is not None and not isinstance(user_id, str):
        raise invalid("metadata.user_id: must be a string")


def _output_config(value: object) -> None:
    if not isinstance(value, dict):
        raise invalid("output_config: must be an object (format, effort)")
    fmt = value.get("format")
    if fmt is not None and not (isinstance(fmt, dict) and isinstance(fmt.get("type"), str)):
        raise invalid("output_config.format: must be an object with a string 'type' (for example 'json_schema')")
    if "effort" in value and (not isinstance(value["effort"], str) or not value["effort"]):
        raise invalid("output_config.effort: must be a string (for example 'high')")


def _context_management(value: object) -> None:
    if not isinstance(value, dict):
        raise invalid("context_management: must be an object (edits)")
    edits = value.get("edits", [])
    if not isinstance(edits, list) or not all(isinstance(e, dict) and isinstance(e.get("type"), str) for e in edits):
        raise invalid("context_management.edits: must be an array of objects with a string 'type'")


def _accepted_as_is(key: str, value: object) -> bool:
    return key in ACCEPTED_AS_IS and value is ACCEPTED_AS_IS[key]


def _choice(event: dict[str, Any], field: str, choices: tuple[str, ...]) -> str | None:
    value = event.get(field)
    if value is not None and value not in choices:
        raise invalid(f"{field}: must be one of {', '.join(choices)}")
    return value


def resolve_model(requested: object, settings: Settings) -> ModelEntry:
    """Find a configured model by alias, base model ID, inference profile ID or Anthropic API name."""
    if requested is None:
        return settings.default_model
    if not isinstance(requested, str) or not requested.strip():
        raise invalid("model: must be a non-empty string (a model alias, model ID or inference profile ID)")
    name = requested.strip()
    quoted = echo(name)
    for model in settings.models.values():
        if name in model.names:
            return model
    allowed = ", ".join(settings.models)
    prefix, _, rest = name.partition(".")
    for model in settings.models.values():
        if rest == model.model_id and prefix != settings.endpoint_scope:
            raise invalid(
                f"model: '{quoted}' is a '{echo(prefix)}' profile, but this function calls Bedrock through the "
                f"'{settings.endpoint_scope}' scope; send '{model.profile_id}' or '{model.alias}'"
            )
    raise invalid(
        f"model: unknown model '{quoted}'; allowed: {allowed} (or their model IDs, profile IDs or Anthropic API names)"
    )


def check_betas(betas: list[str], model: ModelEntry) -> None:
    """Refuse beta flags the catalog knows do not apply to the model."""
    for beta in betas:
        if beta in RETIRED_BETAS:
            raise invalid(
                f"anthropic_beta: '{beta}' is no longer offered ({RETIRED_BETAS[beta]}); {model.name} "
                f"({model.alias}) has a {model.context_window:,}-token context window without it: remove the flag"
            )


_CHECKS = {
    "messages": _messages,
    "system": _system,
    "temperature": lambda v: _unit_interval(v, "temperature"),
    "top_p": lambda v: _unit_interval(v, "top_p"),
    "stop_sequences": lambda v: _string_list(v, "stop_sequences"),
    "tools": _tools,
    "tool_choice": _tool_choice,
    "thinking": _thinking,
    "metadata": _metadata,
    "output_config": _output_config,
    "context_management": _context_management,
}


def parse_request(event: object, settings: Settings) -> InvocationRequest:
    """Validate the event and build what is sent to Bedrock. Raises `InvokerError` (invalid_request_error)."""
    if not isinstance(event, dict):
        raise invalid(f"request: the event must be a JSON object (a Messages API request), got {_type_name(event)}")
    unknown = sorted(key for key in event if key not in ALLOWED_FIELDS and not _accepted_as_is(key, event[key]))
    if unknown:
        key = unknown[0]
        if key == "stream" and event[key] is not True:
            raise invalid(f"stream: must be false or left out; {STREAMING_HINT}")
        hint = _HINTS.get(key, f"allowed fields: {', '.join(sorted(ALLOWED_FIELDS))}")
        raise invalid(f"{echo(key)}: unknown field; {hint}")
    for field, value in event.items():
        if too_deep(value, MAX_NESTING - 1) is not None:
            raise invalid(
                f"{echo(field)}: nested deeper than {MAX_NESTING} levels of arrays and objects, the most the function "
                "accepts"
            )
    operation = _choice(event, "invoker_operation", OPERATIONS) or CREATE
    if "messages" not in event:
        raise invalid("messages: required")
    if "max_tokens" not in event and operation == CREATE:
        raise invalid("max_tokens: required")
    if "max_tokens" in event and not (_is_int(event["max_tokens"]) and event["max_tokens"] > 0):
        raise invalid("max_tokens: must be a positive integer")
    if "top_k" in event and not (_is_int(event["top_k"]) and event["top_k"] >= 0):
        raise invalid("top_k: must be a non-negative integer")
    for field, check in _CHECKS.items():
        if field in event:
            check(event[field])
    service_tier = _choice(event, "bedrock_service_tier", SERVICE_TIERS)
    latency = _choice(event, "bedrock_latency", LATENCIES)

    model = resolve_model(event.get("model"), settings)
    betas: list[str] = []
    if "anthropic_beta" in event:
        betas = _string_list(event["anthropic_beta"], "anthropic_beta")
        check_betas(betas, model)

    body: dict[str, Any] = {"anthropic_version": rules.api_version(event.get("anthropic_version"), model)}
    body.update((field, event[field]) for field in BODY_FIELDS if field in event)
    if betas:
        body["anthropic_beta"] = list(betas)
    if operation == COUNT_TOKENS:
        rules.check_count_tokens(model)
        # CountTokens takes a whole InvokeModel body; max_tokens does not change the count of input tokens.
        body.setdefault("max_tokens", model.max_output_tokens or rules.COUNT_TOKENS_MAX_TOKENS)
    rules.check_model_rules(body, model, betas)
    if operation == CREATE:
        rules.check_time_budget(body["max_tokens"], settings)
    return InvocationRequest(
        model=model,
        body=body,
        betas=tuple(betas),
        operation=operation,
        service_tier=service_tier or settings.service_tier,
        latency=latency or settings.latency,
    )


__all__ = ["InvocationRequest", "InvokerError", "check_betas", "parse_request", "resolve_model"]
