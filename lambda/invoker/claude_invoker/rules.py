"""What the catalog knows a model refuses, and what this deployment's time allows: refused before any call.

Each refusal is an `invalid_request_error` naming the field and the rule. A fact the catalog does not know (None)
refuses nothing: Bedrock decides. Sources of the facts are in core/catalog/claude_models.py.

The time budget is the Anthropic SDK's own estimate for a non-streaming call (anthropic `_base_client.py`,
`_calculate_nonstreaming_timeout`): 3600 s x max_tokens / 128000. A call whose estimate exceeds the time this
deployment waits for Bedrock (BEDROCK_READ_TIMEOUT_SECONDS) would be paid for and then time out.
"""

from __future__ import annotations

import math
from typing import Any

from claude_invoker.config import ModelEntry, Settings
from claude_invoker.errors import invalid
from claude_invoker.mirrored import (
    API_VERSION_2026_10_21,
    API_VERSIONS,
    REMOVED_CONTENT,
    REMOVED_SAMPLING_FIELDS,
    SAMPLING_FIELDS,
    THINKING_MODES,
)

# Anthropic's extended thinking: "budget_tokens ... Must be >= 1024 and less than max_tokens" (SDK docstring).
MIN_BUDGET_TOKENS = 1024
# With interleaved thinking (tools), the budget may exceed max_tokens (Anthropic's extended-thinking guide).
INTERLEAVED_THINKING_BETA = "interleaved-thinking-2025-05-14"
# The SDK's estimate: the longest non-streaming call (1 hour) for 128,000 output tokens.
SDK_SECONDS_PER_128K_TOKENS = 3600
SDK_TOKENS = 128_000
# max_tokens sent with a token count that names none, when the catalog does not know the model's limit.
COUNT_TOKENS_MAX_TOKENS = 4096
STREAMING_GUIDE = "docs/callers/streaming.md"
# Opus 4.7 and later: "setting temperature, top_p, or top_k to any non-default value will return a 400 error"
# (Anthropic, "What's new in Claude Opus 4.7"). Only temperature has a documented default (1.0, Bedrock "Request and
# Response"), so only that value passes; top_p and top_k are refused whatever their value.
FIXED_SAMPLING_FIELDS = SAMPLING_FIELDS
DOCUMENTED_DEFAULTS = {"temperature": 1}
# The Fable and Mythos 5.x cards: "top_p must be >= 0.99 and < 1.0, or unset" (near_default), "top_p must be 0.99 or
# unset" (near_default_one_of).
NEAR_DEFAULT_TOP_P = 0.99


def expected_seconds(max_tokens: int) -> float:
    """The anthropic SDK's estimate of how long a non-streaming call for `max_tokens` may take."""
    return SDK_SECONDS_PER_128K_TOKENS * max_tokens / SDK_TOKENS


def max_tokens_within(seconds: float) -> int:
    """The largest max_tokens whose estimate fits in `seconds`."""
    return math.floor(seconds * SDK_TOKENS / SDK_SECONDS_PER_128K_TOKENS)


def check_time_budget(max_tokens: int, settings: Settings) -> None:
    wait = settings.read_timeout_seconds
    if expected_seconds(max_tokens) <= wait:
        return
    timeout = f" of the function's {settings.timeout_seconds} s timeout" if settings.timeout_seconds else ""
    raise invalid(
        f"max_tokens: {max_tokens} may need up to {expected_seconds(max_tokens):.0f} s to generate by the Anthropic "
        f"SDK's estimate for a non-streaming call (3600 s x max_tokens / 128000), but this deployment waits at most "
        f"{wait} s for Bedrock{timeout}, which fits max_tokens <= {max_tokens_within(wait)}. Lower max_tokens, ask "
        "the platform team to raise invoker_timeout_seconds (up to 900), or stream the response directly through "
        f"InvokerRole with InvokeModelWithResponseStream ({STREAMING_GUIDE})"
    )


def check_count_tokens(model: ModelEntry) -> None:
    if not model.count_tokens:
        raise invalid(
            f"invoker_operation: 'count_tokens' is not available for {model.name} ({model.model_id}): Bedrock's "
            "CountTokens does not serve it on bedrock-runtime (models launched cross-Region only are not served). "
            "Count with a model that offers it, or read usage.input_tokens of a response"
        )


def _thinking(thinking: Any, model: ModelEntry, max_tokens: int, betas: list[str]) -> None:
    if not isinstance(thinking, dict):
        return
    kind = thinking.get("type")
    modes = model.thinking_modes
    if kind == "disabled" and model.thinking_off is False:
        # Bedrock "Adaptive thinking" and the cards: on these models adaptive thinking "is always on and cannot be
        # disabled"; `disabled` "will return a 400 error". Leaving thinking out lets the model decide.
        raise invalid(
            f"thinking.type: 'disabled' is not available on {model.name} ({model.alias}): its adaptive thinking is "
            "always on; leave thinking out, or send thinking: {'type': 'adaptive'} with a lower output_config.effort"
        )
    if modes is not None and kind in THINKING_MODES and kind not in modes:
        if not modes:
            offer = "it does not support extended or adaptive thinking; leave thinking out"
        elif "adaptive" in modes:
            offer = "it supports only adaptive thinking; send thinking: {'type': 'adaptive'} with output_config.effort"
        else:
            offer = "it supports extended thinking; send thinking: {'type': 'enabled', 'budget_tokens': <n>}"
        raise invalid(f"thinking.type: '{kind}' is not available on {model.name} ({model.alias}): {offer}")
    budget = thinking.get("budget_tokens")
    if kind != "enabled" or not isinstance(budget, int):
        return
    if budget < MIN_BUDGET_TOKENS:
        raise invalid(f"thinking.budget_tokens: {budget} is below the minimum of {MIN_BUDGET_TOKENS}")
    if budget >= max_tokens and INTERLEAVED_THINKING_BETA not in betas:
        raise invalid(
            f"thinking.budget_tokens: {budget} must be less than max_tokens ({max_tokens}); max_tokens includes "
            f"the thinking (only with the '{INTERLEAVED_THINKING_BETA}' beta may the budget exceed it)"
        )


def check_model_rules(body: dict[str, Any], model: ModelEntry, betas: list[str]) -> None:
    """The refusals the catalog's facts allow, for a body already checked for shape."""
    max_tokens = body["max_tokens"]
    if model.max_output_tokens is not None and max_tokens > model.max_output_tokens:
        raise invalid(
            f"max_tokens: {max_tokens} is above the {model.max_output_tokens} output tokens {model.name} "
            f"({model.alias}) can produce"
        )
    check_api_version(body, model)  # first: what the version removed is refused whatever the model's own rules
    if model.sampling == "temperature_or_top_p" and "temperature" in body and "top_p" in body:
        raise invalid(
            f"top_p: {model.name} ({model.alias}) accepts temperature or top_p, not both; send only one of them"
        )
    if model.sampling == "fixed":
        for field in FIXED_SAMPLING_FIELDS:
            at_default = field in DOCUMENTED_DEFAULTS and body.get(field) == DOCUMENTED_DEFAULTS[field]
            if field in body and not at_default:
                raise invalid(
                    f"{field}: {model.name} ({model.alias}) samples with fixed settings and refuses temperature, "
                    "top_p and top_k; leave them out (steer with the prompt and output_config.effort)"
                )
    if model.sampling in ("near_default", "near_default_one_of"):
        _near_default(body, model)
    _thinking(body.get("thinking"), model, max_tokens, betas)


def _near_default(body: dict[str, Any], model: ModelEntry) -> None:
    """The Fable and Mythos 5.x rules: temperature 1.0 or unset, top_p at 0.99 (up to 1.0 exclusive on the 5.0
    models), never top_k; on the 5.1 models not temperature and top_p together."""
    who = f"{model.name} ({model.alias})"
    if "top_k" in body:
        raise invalid(f"top_k: {who} does not support top_k; leave it out")
    if "temperature" in body and body["temperature"] != 1:
        raise invalid(f"temperature: {who} takes temperature 1.0 or none; leave it out")
    top_p = body.get("top_p")
    if model.sampling == "near_default_one_of":
        if top_p is not None and top_p != NEAR_DEFAULT_TOP_P:
            raise invalid(f"top_p: {who} takes top_p {NEAR_DEFAULT_TOP_P} or none; leave it out")
        if top_p is not None and "temperature" in body:
            raise invalid(f"top_p: {who} takes temperature or top_p, not both; send only one of them")
    elif top_p is not None and not NEAR_DEFAULT_TOP_P <= top_p < 1:
        raise invalid(f"top_p: {who} takes top_p from {NEAR_DEFAULT_TOP_P} up to (not including) 1.0, or none")


def api_version(requested: object, model: ModelEntry) -> str:
    """The `anthropic_version` to send: the request's, when the model takes it, else the catalog's first."""
    if requested is None:
        return model.api_versions[0]
    if requested not in model.api_versions:
        known = "" if requested in API_VERSIONS else " (not an API version Bedrock documents for Claude)"
        raise invalid(
            f"anthropic_version: '{requested}' is not taken by Bedrock for {model.name} ({model.alias}){known}; it "
            f"takes {', '.join(model.api_versions)}: send one of them or leave anthropic_version out"
        )
    return str(requested)


def check_api_version(body: dict[str, Any], model: ModelEntry) -> None:
    """Refuse what the body's API version removed (Anthropic "Versions": 2026-10-21 answers 400 to each)."""
    version = body.get("anthropic_version")
    if version != API_VERSION_2026_10_21:
        return
    back = f"leave it out, or send anthropic_version '{model.api_versions[0]}'"
    for field in REMOVED_SAMPLING_FIELDS:
        if field in body:
            raise invalid(f"{field}: API version {version} removed {field}; {back}")
    for i, message in enumerate(body.get("messages", [])):
        content = message.get("content") if isinstance(message, dict) else None
        for where, block in _blocks(content, f"messages[{i}].content"):
            for role, block_type, field in REMOVED_CONTENT:
                if message.get("role") != role or block.get("type") != block_type:
                    continue
                if not field:
                    raise invalid(
                        f"{where}: API version {version} refuses a {block_type} block in an {role} message; {back}"
                    )
                if block.get(field):
                    raise invalid(
                        f"{where}.{field}: API version {version} refuses {field} on {block_type} blocks of "
                        f"a {role} message; {back}"
                    )


def _blocks(content: object, where: str) -> list[tuple[str, dict[str, Any]]]:
    """The content blocks of a message, with those a `search_result` block holds."""
    found: list[tuple[str, dict[str, Any]]] = []
    for i, block in enumerate(content if isinstance(content, list) else []):
        if not isinstance(block, dict):
            continue
        found.append((f"{where}[{i}]", block))
        if block.get("type") == "search_result":
            found += _blocks(block.get("content"), f"{where}[{i}].content")
    return found
