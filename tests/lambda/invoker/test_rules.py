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
        # Adaptive-only models refuse disabled thinking too (Bedrock "Adaptive thinking": 400).
        (valid_event(model="claude-opus-4-7", thinking={"type": "disabled"}), "thinking.type", "leave thinking out"),
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
        # Disabled thinking on a model that also takes extended thinking.
        valid_event(model="claude-haiku-4-5", thinking={"type": "disabled"}),
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
