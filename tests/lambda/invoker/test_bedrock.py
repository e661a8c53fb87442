"""Deadline handling, client choice and per-request metadata, without the network."""

from __future__ import annotations

import json
import re

import pytest
from claude_invoker.bedrock import ClientPool, DeadlineExceeded, request_metadata
from claude_invoker.config import Settings


def test_plenty_of_time_uses_configured_read_timeout(settings: Settings) -> None:
    pool = ClientPool(settings)
    timing = pool.timing(60_000, now=100.0)
    assert timing.read_timeout == settings.read_timeout_seconds
    assert timing.deadline == pytest.approx(100.0 + 60 - pool.safety_margin_seconds)


def test_no_context_means_no_deadline(settings: Settings) -> None:
    assert ClientPool(settings).timing(None).deadline is None


@pytest.mark.parametrize(
    ("remaining_ms", "read_timeout"),
    [(300_000, 270.0), (200_000, 180.0), (32_500, 30.0), (7_100, 5.0), (3_000, 1.0), (2_600, 0.5)],
)
def test_read_timeout_shrinks_to_fit_the_time_left(remaining_ms: int, read_timeout: float, settings: Settings) -> None:

    pool = ClientPool(settings._replace(read_timeout_seconds=270))
    timing = pool.timing(remaining_ms)
    assert timing.read_timeout == read_timeout
    # One attempt (connect + read) always fits before the deadline.
    assert read_timeout + settings.connect_timeout_seconds + pool.safety_margin_seconds <= remaining_ms / 1000


@pytest.mark.parametrize("remaining_ms", [0, 1_000, 2_400])
def test_too_little_time_refuses(remaining_ms: int, settings: Settings) -> None:
    with pytest.raises(DeadlineExceeded):
        ClientPool(settings).timing(remaining_ms)


def test_clients_are_cached_per_read_timeout(settings: Settings) -> None:
    made: list[float] = []
    pool = ClientPool(settings, factory=lambda read: made.append(read) or object())
    first = pool.client(2.0)
    assert pool.client(2.0) is first
    pool.client(1.0)
    assert made == [2.0, 1.0]


def test_request_metadata_is_bedrock_safe(settings: Settings) -> None:
    header = request_metadata(
        settings.default_model,
        "arn:aws:lambda:us-east-1:123456789012:function:claude-invoker:live",
        "req-1",
        '{"device":"é\n"}' + "x" * 300,
    )
    pairs = json.loads(header)
    assert pairs["function_arn"] == "arn:aws:lambda:us-east-1:123456789012:function:claude-invoker:live"
    assert pairs["lambda_request_id"] == "req-1"
    assert pairs["model_alias"] == "claude-sonnet-4-5"
    assert len(pairs) <= 16
    for key, value in pairs.items():
        assert re.fullmatch(r"[a-zA-Z0-9 :_@$#=/+,.\-]{1,256}", key)
        assert re.fullmatch(r"[a-zA-Z0-9 :_@$#=/+,.\-]{0,256}", value), value
    assert pairs["user_id"].startswith("__device_:___")


def test_request_metadata_without_user() -> None:
    from claude_invoker.config import ModelEntry

    model = ModelEntry("a", "A", "anthropic.a", "global.anthropic.a", "none", 1)
    assert json.loads(request_metadata(model, None, None, None)) == {
        "invoker": "claude-invoker",
        "model_alias": "a",
        "attribution": "unauthenticated",
    }
