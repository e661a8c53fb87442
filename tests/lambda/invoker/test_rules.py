"""What the catalog knows a model refuses, and the deployment's time budget: invalid_request_error naming the field
and the rule, decided without Bedrock. (tests/lambda/invoker/test_http_api.py shows no request reaches Bedrock.)"""

from __future__ import annotations

from typing import Any

import pytest
from claude_invoker.config import Settings
from claude_invoker.errors import InvokerError
from claude_invoker.validation import parse_request

from tests.support.invoker import valid_event

# The deployment as the construct configures it by default: a 900 s function waits 880 s for Bedrock.
DEPLOYED = {"read_timeout_seconds": 880, "timeout_seconds": 900}


@pytest.fixture
def deployed(settings: Settings) -> Settings:
    return settings._replace(**DEPLOYED)


def refusal(event: dict[str, Any], settings: Settings) -> str:
    with pytest.raises(InvokerError) as raised:
        parse_request(event, settings)
    assert raised.value.error_type == "invalid_request_error"
    return raised.value.message


@pytest.mark.parametrize(
    ("event", "field", "rule"),
    [
        # Opus 4.7 takes only adaptive thinking (Bedrock user guide "Adaptive thinking").
        (
            valid_event(model="claude-opus-4-7", max_tokens=4096, thinking={"type": "enabled", "budget_tokens": 2048}),
            "thinking.type",
            "supports only adaptive thinking",
        ),
        # Sonnet 4.5 has no adaptive thinking ("Older models ... require thinking.type: enabled").
        (valid_event(model="claude-sonnet-4-5", thinking={"type": "adaptive"}), "thinking.type", "extended thinking"),
        # Sonnet 4.5 and Haiku 4.5: temperature or top_p, not both (Bedrock "Request and Response").
        (valid_event(model="claude-haiku-4-5", temperature=0.5, top_p=0.9), "top_p", "not both"),
        # budget_tokens: at least 1024 and below max_tokens (the SDK's ThinkingConfigEnabledParam).
        (
            valid_event(model="claude-haiku-4-5", max_tokens=4096, thinking={"type": "enabled", "budget_tokens": 1000}),
            "thinking.budget_tokens",
            "below the minimum of 1024",
        ),
        (
            valid_event(model="claude-haiku-4-5", max_tokens=2048, thinking={"type": "enabled", "budget_tokens": 2048}),
            "thinking.budget_tokens",
            "less than max_tokens (2048)",
        ),
        # Opus 4.7: any non-default temperature, top_p or top_k is a 400 (Anthropic "What's new in Claude Opus 4.7").
        (valid_event(model="claude-opus-4-7", temperature=0.5), "temperature", "refuses temperature, top_p and top_k"),
        (valid_event(model="claude-opus-4-7", top_p=0.9), "top_p", "leave them out"),
        (valid_event(model="claude-opus-4-7", top_k=40), "top_k", "leave them out"),
        # Haiku 4.5 produces at most 64,000 output tokens (Anthropic "Models overview").
        (valid_event(model="claude-haiku-4-5", max_tokens=64_001), "max_tokens", "above the 64000 output tokens"),
    ],
)
def test_what_the_catalog_knows_is_refused_naming_field_and_rule(
    event: dict[str, Any], field: str, rule: str, deployed: Settings
) -> None:
    message = refusal(event, deployed)
    assert message.startswith(f"{field}: ")
    assert rule in message


@pytest.mark.parametrize(
    "event",
    [
        valid_event(
            model="claude-opus-4-7", max_tokens=8192, thinking={"type": "adaptive"}, output_config={"effort": "xhigh"}
        ),
        # The documented default temperature is not a "non-default value".
        valid_event(model="claude-opus-4-7", temperature=1.0),
        # Disabled thinking on a model that also takes extended thinking, and on Opus 4.7 ("Claude Opus 4.7 supports
        # adaptive and disabled thinking", Bedrock "Adaptive thinking").
        valid_event(model="claude-haiku-4-5", thinking={"type": "disabled"}),
        valid_event(model="claude-opus-4-7", thinking={"type": "disabled"}),
        valid_event(model="claude-haiku-4-5", max_tokens=4096, thinking={"type": "enabled", "budget_tokens": 1024}),
        valid_event(model="claude-haiku-4-5", temperature=0.5),
        valid_event(model="claude-haiku-4-5", top_p=0.9, top_k=40),
        valid_event(model="claude-haiku-4-5", max_tokens=31_288),
        # With interleaved thinking the budget may exceed max_tokens.
        valid_event(
            model="claude-haiku-4-5",
            max_tokens=2048,
            thinking={"type": "enabled", "budget_tokens": 4096},
            anthropic_beta=["interleaved-thinking-2025-05-14"],
        ),
    ],
)
def test_what_the_catalog_allows_passes(event: dict[str, Any], deployed: Settings) -> None:
    parse_request(event, deployed)


def test_an_unknown_fact_refuses_nothing(deployed: Settings) -> None:
    """A model added without the catalog's facts (extra_models): Bedrock decides every rule."""
    haiku = deployed.models["claude-haiku-4-5"]
    unknown = haiku._replace(max_output_tokens=None, thinking_modes=None, sampling="any")
    settings = deployed._replace(models={**deployed.models, "claude-haiku-4-5": unknown})
    parse_request(
        valid_event(
            model="claude-haiku-4-5", max_tokens=30_000, temperature=0.5, top_p=0.5, thinking={"type": "adaptive"}
        ),
        settings,
    )


def test_max_tokens_beyond_the_deployments_time_is_refused_with_the_limit_and_the_remedies(deployed: Settings) -> None:
    # 128,000 tokens: 3600 s by the SDK's estimate, four times what this deployment waits.
    message = refusal(valid_event(model="claude-opus-4-7", max_tokens=128_000), deployed)
    assert message.startswith("max_tokens: 128000 may need up to 3600 s")
    assert "waits at most 880 s for Bedrock of the function's 900 s timeout" in message
    assert "fits max_tokens <= 31288" in message
    assert "invoker_timeout_seconds (up to 900)" in message
    assert "InvokeModelWithResponseStream" in message and "InvokerRole" in message


def test_the_budget_is_the_sdks_estimate_to_the_token(deployed: Settings) -> None:
    # 880 s x 128000 / 3600 = 31288.9: 31,288 fits, 31,289 does not (written out, not computed by the code).
    parse_request(valid_event(model="claude-opus-4-7", max_tokens=31_288), deployed)
    assert refusal(valid_event(model="claude-opus-4-7", max_tokens=31_289), deployed).startswith("max_tokens: 31289")
    # The previous default, 300 s (280 s for Bedrock), fitted 9,955 tokens.
    short = deployed._replace(read_timeout_seconds=280, timeout_seconds=300)
    parse_request(valid_event(max_tokens=9_955), short)
    assert "fits max_tokens <= 9955" in refusal(valid_event(max_tokens=9_956), short)


def test_a_token_count_needs_no_max_tokens_and_no_time(deployed: Settings) -> None:
    request = parse_request(
        {
            "messages": [{"role": "user", "content": "Hi"}],
            "model": "claude-haiku-4-5",
            "invoker_operation": "count_tokens",
        },
        deployed._replace(read_timeout_seconds=1),
    )
    assert request.operation == "count_tokens"
    # CountTokens takes a whole InvokeModel body: max_tokens is the model's limit, which does not change the count.
    assert request.body["max_tokens"] == 64_000


def test_a_token_count_the_catalog_knows_bedrock_does_not_serve_is_refused(deployed: Settings) -> None:
    message = refusal(valid_event(model="claude-opus-4-7", invoker_operation="count_tokens"), deployed)
    assert message.startswith("invoker_operation: 'count_tokens' is not available for Claude Opus 4.7")


def _as(settings: Settings, alias: str, name: str, **facts: Any) -> Settings:
    """The deployment with Opus 4.7's entry given another model's facts (as the catalog writes them for it)."""
    entry = settings.models["claude-opus-4-7"]._replace(alias=alias, name=name, **facts)
    return settings._replace(models={**settings.models, "claude-opus-4-7": entry})


# Fable 5: "temperature must be 1.0 or unset; top_p must be ≥ 0.99 and < 1.0, or unset; top_k is not supported";
# "adaptive thinking is always on and cannot be disabled" (its AWS card).
FABLE_5 = {"sampling": "near_default", "thinking_off": False}
# Fable 5.1: "... top_p must be 0.99 or unset; temperature and top_p cannot be specified together; ..." (its card).
FABLE_51 = {"sampling": "near_default_one_of", "thinking_off": False}


@pytest.mark.parametrize(
    ("facts", "fields", "field", "rule"),
    [
        (FABLE_5, {"temperature": 0.7}, "temperature", "takes temperature 1.0 or none"),
        (FABLE_5, {"top_p": 0.9}, "top_p", "from 0.99 up to (not including) 1.0"),
        (FABLE_5, {"top_p": 1.0}, "top_p", "from 0.99 up to (not including) 1.0"),
        (FABLE_5, {"top_k": 5}, "top_k", "does not support top_k"),
        (FABLE_5, {"thinking": {"type": "disabled"}}, "thinking.type", "adaptive thinking is always on"),
        (FABLE_51, {"top_p": 0.995}, "top_p", "takes top_p 0.99 or none"),
        (FABLE_51, {"temperature": 1.0, "top_p": 0.99}, "top_p", "not both"),
        (FABLE_51, {"top_k": 1}, "top_k", "does not support top_k"),
    ],
)
def test_the_fable_sampling_rules_are_refused_naming_the_field(
    facts: dict[str, Any], fields: dict[str, Any], field: str, rule: str, deployed: Settings
) -> None:
    settings = _as(deployed, "claude-fable-5", "Claude Fable 5", **facts)
    message = refusal(valid_event(model="claude-fable-5", **fields), settings)
    assert message.startswith(f"{field}: ")
    assert "Claude Fable 5 (claude-fable-5)" in message and rule in message


@pytest.mark.parametrize(
    ("facts", "fields"),
    [
        (FABLE_5, {"temperature": 1.0, "top_p": 0.99}),
        (FABLE_5, {"top_p": 0.999}),
        (FABLE_51, {"temperature": 1.0}),
        (FABLE_51, {"top_p": 0.99}),
        (FABLE_51, {"thinking": {"type": "adaptive"}}),
    ],
)
def test_what_the_fable_cards_allow_passes(facts: dict[str, Any], fields: dict[str, Any], deployed: Settings) -> None:
    parse_request(valid_event(model="claude-fable-5", **fields), _as(deployed, "claude-fable-5", "Fable", **facts))


# Anthropic "Versions": 2026-10-21 "is available for Claude 4.7 and later models" on Bedrock and removes temperature,
# top_p, top_k, document blocks in assistant messages and citations in user text.
LATER = "2026-10-21"
DOCUMENT = {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "x"}}
CITED = {"type": "text", "text": "x", "citations": [{"type": "char_location", "cited_text": "x"}]}


def _conversation(*turns: tuple[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    return [{"role": role, "content": content} for role, content in turns]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"temperature": 1.0}, "temperature"),
        ({"top_k": 5}, "top_k"),
        (
            {"messages": _conversation(("user", [{"type": "text", "text": "a"}]), ("assistant", [DOCUMENT]))},
            "messages[1].content[0]",
        ),
        ({"messages": _conversation(("user", [{"type": "text", "text": "a"}, CITED]))}, "messages[0].content[1]"),
        (
            {"messages": _conversation(("user", [{"type": "search_result", "source": "s", "content": [CITED]}]))},
            "messages[0].content[0].content[0].citations",
        ),
    ],
)
def test_what_api_version_2026_10_21_removed_is_refused_naming_field_and_version(
    fields: dict[str, Any], field: str, deployed: Settings
) -> None:
    message = refusal(valid_event(model="claude-opus-4-7", anthropic_version=LATER, **fields), deployed)
    assert message.startswith(f"{field}")
    assert f"API version {LATER}" in message
    assert "send anthropic_version 'bedrock-2023-05-31'" in message
    # The version Bedrock documents for InvokeModel removes none of them (Opus 4.7 still refuses top_k: fixed).
    if "temperature" in fields or "messages" in fields:
        parse_request(valid_event(model="claude-opus-4-7", **fields), deployed)


def test_the_version_sent_is_the_catalogs_first_unless_the_request_names_another_the_model_takes(
    deployed: Settings,
) -> None:
    assert parse_request(valid_event(model="claude-opus-4-7"), deployed).body["anthropic_version"] == (
        "bedrock-2023-05-31"
    )
    later = parse_request(valid_event(model="claude-opus-4-7", anthropic_version=LATER), deployed)
    assert later.body["anthropic_version"] == LATER
    message = refusal(valid_event(model="claude-haiku-4-5", anthropic_version=LATER), deployed)
    assert message == (
        "anthropic_version: '2026-10-21' is not taken by Bedrock for Claude Haiku 4.5 (claude-haiku-4-5); it takes "
        "bedrock-2023-05-31: send one of them or leave anthropic_version out"
    )
