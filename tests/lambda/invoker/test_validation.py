"""Request validation and model resolution: every error names the field."""

from __future__ import annotations

from typing import Any

import pytest
from claude_invoker.config import Settings
from claude_invoker.errors import InvokerError
from claude_invoker.validation import parse_request, resolve_model

from tests.support.invoker import MODELS, valid_event

# Written out from the documentation, not read from the code: the beta header of the 1M-token context window
# (Claude Sonnet 4 and 4.5 on Bedrock) and the `anthropic_version` Bedrock requires.
CONTEXT_1M_BETA = "context-1m-2025-08-07"
INTERLEAVED_BETA = "interleaved-thinking-2025-05-14"
BEDROCK_ANTHROPIC_VERSION = "bedrock-2023-05-31"


def _error(event: Any, settings: Settings) -> str:
    with pytest.raises(InvokerError) as raised:
        parse_request(event, settings)
    assert raised.value.error_type == "invalid_request_error"
    return raised.value.message


def test_valid_request_becomes_bedrock_body(settings: Settings) -> None:
    image = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}}
    document = {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBERi0="}}
    event = valid_event(
        model="claude-sonnet-4-5",
        system=[{"type": "text", "text": "Be brief."}],
        messages=[{"role": "user", "content": [image, document, {"type": "text", "text": "Describe"}]}],
        max_tokens=2048,
        temperature=0.2,
        top_k=5,
        stop_sequences=["STOP"],
        tools=[{"name": "get_weather", "input_schema": {"type": "object"}, "strict": True}],
        tool_choice={"type": "auto"},
        thinking={"type": "enabled", "budget_tokens": 1024},
        metadata={"user_id": "u-42"},
        output_config={"format": {"type": "json_schema", "schema": {"type": "object"}}},
        context_management={"edits": [{"type": "clear_tool_uses_20250919"}]},
        anthropic_beta=[INTERLEAVED_BETA],
    )
    # 2048 tokens need about 58 s by the SDK's estimate: a deployment that waits 300 s.
    request = parse_request(event, settings._replace(read_timeout_seconds=300))
    assert request.model.alias == "claude-sonnet-4-5"
    assert request.body["anthropic_version"] == BEDROCK_ANTHROPIC_VERSION
    assert "model" not in request.body
    assert request.body["anthropic_beta"] == [INTERLEAVED_BETA]
    assert request.body["messages"][0]["content"][:2] == [image, document]  # passed through unchanged
    assert {k: v for k, v in request.body.items() if k not in ("anthropic_version", "anthropic_beta")} == {
        k: v for k, v in event.items() if k not in ("model", "anthropic_beta")
    }
    assert request.user_id == "u-42"


def test_minimal_request_uses_default_model(settings: Settings) -> None:
    request = parse_request(valid_event(), settings)
    assert request.model.alias == "claude-sonnet-4-5"
    assert set(request.body) == {"anthropic_version", "messages", "max_tokens"}
    assert request.betas == ()


@pytest.mark.parametrize(
    ("event", "field"),
    [
        ({"max_tokens": 10}, "messages: required"),
        (valid_event(messages=[]), "messages:"),
        (valid_event(messages="hi"), "messages:"),
        (valid_event(messages=["hi"]), "messages[0]:"),
        (valid_event(messages=[{"role": "system", "content": "x"}]), "messages[0].role"),
        (valid_event(messages=[{"role": "user"}]), "messages[0].content"),
        (valid_event(messages=[{"role": "user", "content": 5}]), "messages[0].content"),
        (valid_event(messages=[{"role": "user", "content": ["x"]}]), "messages[0].content[0]"),
        (valid_event(messages=[{"role": "user", "content": [{"text": "x"}]}]), "messages[0].content[0].type"),
        ({"messages": [{"role": "user", "content": "x"}]}, "max_tokens: required"),
        (valid_event(max_tokens=0), "max_tokens"),
        (valid_event(max_tokens=True), "max_tokens"),
        (valid_event(max_tokens="100"), "max_tokens"),
        (valid_event(max_tokens=1.5), "max_tokens"),
        (valid_event(system=5), "system"),
        (valid_event(system=[{"type": "image"}]), "system[0]"),
        (valid_event(temperature=1.5), "temperature"),
        (valid_event(temperature="hot"), "temperature"),
        (valid_event(temperature=False), "temperature"),
        (valid_event(top_p=-0.1), "top_p"),
        (valid_event(top_k=-1), "top_k"),
        (valid_event(top_k=2.0), "top_k"),
        (valid_event(stop_sequences="STOP"), "stop_sequences"),
        (valid_event(stop_sequences=[1]), "stop_sequences"),
        (valid_event(tools={"name": "x"}), "tools"),
        (valid_event(tools=[{"description": "x"}]), "tools[0]"),
        (valid_event(tool_choice="auto"), "tool_choice"),
        (valid_event(tool_choice={"type": "tool"}), "tool_choice.name"),
        (valid_event(thinking=True), "thinking"),
        (valid_event(thinking={"type": "enabled"}), "thinking.budget_tokens"),
        (valid_event(metadata="u1"), "metadata"),
        (valid_event(metadata={"user_id": 7}), "metadata.user_id"),
        (valid_event(metadata={"user_id": "u", "team": "x"}), "metadata.team"),
        (valid_event(model=7), "model"),
        (valid_event(model=""), "model"),
        (valid_event(anthropic_beta="context-1m-2025-08-07"), "anthropic_beta"),
        (valid_event(anthropic_beta=[""]), "anthropic_beta"),
        (valid_event(prompt="old style"), "prompt: unknown field"),
        (valid_event(stream=True), "stream: unknown field; the function returns the whole response"),
        (valid_event(service_tier="auto"), "service_tier: unknown field; Anthropic's service_tier"),
        (valid_event(output_format={"type": "json_schema"}), "output_format: unknown field; deprecated"),
        (valid_event(output_config="json"), "output_config:"),
        (valid_event(output_config={"format": "json"}), "output_config.format"),
        (valid_event(output_config={"effort": 3}), "output_config.effort"),
        (valid_event(context_management=[]), "context_management:"),
        (valid_event(context_management={"edits": [{}]}), "context_management.edits"),
        (valid_event(bedrock_service_tier="standard_only"), "bedrock_service_tier: must be one of"),
        (valid_event(bedrock_latency="fast"), "bedrock_latency: must be one of"),
        (valid_event(invoker_operation="stream"), "invoker_operation: must be one of"),
        # The default model (Sonnet 4.5) is older than Claude 4.7: Bedrock takes bedrock-2023-05-31 only for it.
        (valid_event(anthropic_version="2026-10-21"), "anthropic_version: '2026-10-21' is not taken by Bedrock"),
        (valid_event(anthropic_version="2023-06-01"), "anthropic_version: '2023-06-01' is not taken"),
        (valid_event(caller="me"), "caller: unknown field"),
        ([{"role": "user", "content": "hi"}], "request:"),
        ("hello", "request:"),
        (None, "request:"),
    ],
)
def test_invalid_field_is_named(event: Any, field: str, settings: Settings) -> None:
    assert field in _error(event, settings)


@pytest.mark.parametrize(
    "requested",
    [
        "claude-opus-4-7",
        "anthropic.claude-opus-4-7",
        "global.anthropic.claude-opus-4-7",
        " claude-opus-4-7 ",
    ],
)
def test_model_resolves_by_alias_base_id_and_profile_id(requested: str, settings: Settings) -> None:
    model = resolve_model(requested, settings)
    assert model.alias == "claude-opus-4-7"
    assert model.profile_id == MODELS["claude-opus-4-7"]["profile_id"]


# Anthropic's API names, written out from its "Model IDs and versions" page: the dated name a response's `model`
# carries, and the undated alias.
@pytest.mark.parametrize(
    ("requested", "alias"),
    [
        ("claude-haiku-4-5-20251001", "claude-haiku-4-5"),
        ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5"),
        ("claude-sonnet-4-5", "claude-sonnet-4-5"),
    ],
)
def test_model_resolves_by_anthropic_api_name(requested: str, alias: str, settings: Settings) -> None:
    assert resolve_model(requested, settings).alias == alias


def test_request_options_come_from_the_request_or_the_configured_default(settings: Settings) -> None:
    configured = settings._replace(service_tier="flex", latency="optimized")
    assert (parse_request(valid_event(), settings).service_tier, parse_request(valid_event(), settings).latency) == (
        None,
        None,
    )
    defaulted = parse_request(valid_event(), configured)
    assert (defaulted.service_tier, defaulted.latency) == ("flex", "optimized")
    chosen = parse_request(valid_event(bedrock_service_tier="priority", bedrock_latency="standard"), configured)
    assert (chosen.service_tier, chosen.latency) == ("priority", "standard")
    # Bedrock's options are InvokeModel parameters, never body fields.
    assert not {"bedrock_service_tier", "bedrock_latency", "service_tier"} & set(chosen.body)


def test_unknown_model_lists_allowed(settings: Settings) -> None:
    message = _error(valid_event(model="claude-2"), settings)
    assert message.startswith("model: unknown model 'claude-2'")
    for alias in MODELS:
        assert alias in message


def test_other_scope_profile_is_explained(settings: Settings) -> None:
    message = _error(valid_event(model="eu.anthropic.claude-opus-4-7"), settings)
    assert "'global' scope" in message
    assert "global.anthropic.claude-opus-4-7" in message


@pytest.mark.parametrize(
    ("model", "window"),
    [("claude-sonnet-4-5", "200,000"), ("claude-opus-4-7", "1,000,000"), ("claude-haiku-4-5", "200,000")],
)
def test_the_retired_1m_beta_is_refused_on_every_model_with_its_window(
    model: str, window: str, settings: Settings
) -> None:
    """Anthropic retired `context-1m-2025-08-07` on 2026-04-30: Sonnet 4.5, the model it was offered for on
    Bedrock, has a 200K window now; the 1M models have it natively."""
    message = _error(valid_event(model=model, anthropic_beta=[INTERLEAVED_BETA, CONTEXT_1M_BETA]), settings)
    assert message.startswith(f"anthropic_beta: '{CONTEXT_1M_BETA}' is no longer offered")
    assert "2026-04-30" in message
    assert f"{window}-token context window" in message


def test_other_betas_pass_through(settings: Settings) -> None:
    request = parse_request(
        valid_event(model="claude-opus-4-7", anthropic_beta=["token-efficient-tools-2025-02-19"]), settings
    )
    assert request.body["anthropic_beta"] == ["token-efficient-tools-2025-02-19"]
