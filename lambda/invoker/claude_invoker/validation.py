"""Validate the event (an Anthropic Messages API request) and resolve the model it asks for.

Checks are about shape and types, with messages naming the field; the finer rules (for example which content
block types a model accepts) are Bedrock's, whose ValidationException comes back as `invalid_request_error` too.
Image and PDF `document` blocks pass through unchanged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from claude_invoker.config import ModelEntry, Settings
from claude_invoker.errors import InvokerError, invalid

ANTHROPIC_VERSION = "bedrock-2023-05-31"
CONTEXT_1M_BETA = "context-1m-2025-08-07"

# Fields sent to Bedrock as they are (after validation).
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
)
# Fields the function consumes.
CONTROL_FIELDS = ("model", "anthropic_beta")
ALLOWED_FIELDS = frozenset(BODY_FIELDS + CONTROL_FIELDS)

_HINTS = {
    "stream": "streaming is not supported; the function returns the whole response",
    "anthropic_version": f"the function sets it ('{ANTHROPIC_VERSION}'); do not send it",
}


@dataclass(frozen=True)
class InvocationRequest:
    model: ModelEntry
    body: dict[str, Any]
    betas: tuple[str, ...]

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
        role = message.get("role")
        if role not in ("user", "assistant"):
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
        raise invalid("thinking: must be an object with a string 'type' (for example 'enabled')")
    if value["type"] == "enabled" and not (_is_int(value.get("budget_tokens")) and value["budget_tokens"] > 0):
        raise invalid("thinking.budget_tokens: must be a positive integer when thinking.type is 'enabled'")


def _metadata(value: object) -> None:
    # Bedrock's Anthropic schema accepts only `user_id` under `metadata`.
    if not isinstance(value, dict):
        raise invalid("metadata: must be an object")
    extra = sorted(set(value) - {"user_id"})
    if extra:
        raise invalid(f"metadata.{extra[0]}: unknown field; only metadata.user_id is allowed")
    user_id = value.get("user_id")
    if user_id is not None and not isinstance(user_id, str):
        raise invalid("metadata.user_id: must be a string")


def resolve_model(requested: object, settings: Settings) -> ModelEntry:
    """Find a configured model by alias, base model ID or inference profile ID."""
    if requested is None:
        return settings.default_model
    if not isinstance(requested, str) or not requested.strip():
        raise invalid("model: must be a non-empty string (a model alias, model ID or inference profile ID)")
    name = requested.strip()
    for model in settings.models.values():
        if name in (model.alias, model.model_id, model.profile_id):
            return model
    allowed = ", ".join(settings.models)
    prefix, _, rest = name.partition(".")
    for model in settings.models.values():
        if rest == model.model_id and prefix != settings.scope:
            raise invalid(
                f"model: '{name}' is a '{prefix}' profile, but this function calls Bedrock through the "
                f"'{settings.scope}' scope; send '{model.profile_id}' or '{model.alias}'"
            )
    raise invalid(f"model: unknown model '{name}'; allowed: {allowed} (or their model IDs or profile IDs)")


def check_betas(betas: list[str], model: ModelEntry) -> None:
    """Refuse beta flags the catalog knows do not apply to the model."""
    if CONTEXT_1M_BETA in betas and model.long_context != "beta":
        reason = (
            f"its {model.context_window:,}-token context window is native; no beta flag is needed"
            if model.long_context == "native"
            else "it does not offer the 1M-token context window"
        )
        raise invalid(f"anthropic_beta: '{CONTEXT_1M_BETA}' does not apply to {model.name} ({model.alias}): {reason}")


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
}


def parse_request(event: object, settings: Settings) -> InvocationRequest:
    """Validate the event and build what is sent to Bedrock. Raises `InvokerError` (invalid_request_error)."""
    if not isinstance(event, dict):
        raise invalid(f"request: the event must be a JSON object (a Messages API request), got {_type_name(event)}")
    unknown = sorted(key for key in event if key not in ALLOWED_FIELDS)
    if unknown:
        key = unknown[0]
        hint = _HINTS.get(key, f"allowed fields: {', '.join(sorted(ALLOWED_FIELDS))}")
        raise invalid(f"{key}: unknown field; {hint}")
    if "messages" not in event:
        raise invalid("messages: required")
    if "max_tokens" not in event:
        raise invalid("max_tokens: required")
    max_tokens = event["max_tokens"]
    if not _is_int(max_tokens) or max_tokens <= 0:
        raise invalid("max_tokens: must be a positive integer")
    if "top_k" in event and not (_is_int(event["top_k"]) and event["top_k"] >= 0):
        raise invalid("top_k: must be a non-negative integer")
    for field, check in _CHECKS.items():
        if field in event:
            check(event[field])

    model = resolve_model(event.get("model"), settings)
    betas: list[str] = []
    if "anthropic_beta" in event:
        betas = _string_list(event["anthropic_beta"], "anthropic_beta")
        check_betas(betas, model)

    body: dict[str, Any] = {"anthropic_version": ANTHROPIC_VERSION}
    body.update((field, event[field]) for field in BODY_FIELDS if field in event)
    if betas:
        body["anthropic_beta"] = list(betas)
    return InvocationRequest(model=model, body=body, betas=tuple(betas))


__all__ = ["InvocationRequest", "InvokerError", "check_betas", "parse_request", "resolve_model"]
