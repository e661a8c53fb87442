"""The environment contract: read once, every bad value names its variable."""

from __future__ import annotations

import json
from typing import Any

import pytest
from claude_invoker.config import ConfigError, load_settings

from tests.support.invoker import BASE_ENV, MODELS


def _env(**changes: Any) -> dict[str, str]:
    env = dict(BASE_ENV)
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value if isinstance(value, str) else json.dumps(value)
    return env


def test_valid_environment_is_read() -> None:
    settings = load_settings(_env(BEDROCK_READ_TIMEOUT_SECONDS="120", INVOKER_LOG_PROMPTS="TRUE"))
    assert settings.endpoint_scope == "global"
    assert settings.default_model.profile_id == "global.anthropic.claude-sonnet-4-5-20250929-v1:0"
    assert set(settings.models) == set(MODELS)
    assert settings.models["claude-opus-4-7"].context_window == 1_000_000
    assert (settings.read_timeout_seconds, settings.connect_timeout_seconds, settings.max_attempts) == (120, 1, 3)
    assert settings.log_prompts is True
    assert (settings.metrics_namespace, settings.service_name) == ("ClaudeInvokerTest", "claude-invoker-test")


def test_defaults() -> None:
    env = _env(BEDROCK_READ_TIMEOUT_SECONDS=None, BEDROCK_CONNECT_TIMEOUT_SECONDS=None, BEDROCK_MAX_ATTEMPTS=None)
    settings = load_settings(env)
    assert (settings.read_timeout_seconds, settings.connect_timeout_seconds, settings.max_attempts) == (270, 5, 3)
    assert settings.log_prompts is False


def _with_model(alias: str, **changes: Any) -> dict[str, Any]:
    models = json.loads(json.dumps(MODELS))
    models[alias].update(changes)
    return models


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"CLAUDE_MODELS": None}, "CLAUDE_MODELS"),
        ({"CLAUDE_MODELS": "{not json"}, "CLAUDE_MODELS"),
        ({"CLAUDE_MODELS": []}, "CLAUDE_MODELS"),
        ({"CLAUDE_MODELS": {}}, "CLAUDE_MODELS"),
        ({"CLAUDE_MODELS": {"x": "y"}}, "CLAUDE_MODELS.x"),
        ({"CLAUDE_MODELS": _with_model("claude-opus-4-7", sampling="maybe")}, "CLAUDE_MODELS.claude-opus-4-7.sampling"),
        ({"CLAUDE_MODELS": _with_model("claude-opus-4-7", context_window=0)}, "context_window"),
        ({"CLAUDE_MODELS": _with_model("claude-opus-4-7", name="")}, "CLAUDE_MODELS.claude-opus-4-7.name"),
        ({"CLAUDE_MODELS": _with_model("claude-opus-4-7", model_id=None)}, "model_id"),
        (
            {"CLAUDE_MODELS": _with_model("claude-opus-4-7", profile_id="us.anthropic.claude-opus-4-7")},
            "CLAUDE_MODELS.claude-opus-4-7.profile_id",
        ),
        (
            {"CLAUDE_MODELS": _with_model("claude-opus-4-7", model_id=MODELS["claude-haiku-4-5"]["model_id"])},
            "profile_id",
        ),
        ({"CLAUDE_DEFAULT_MODEL": "claude-9"}, "CLAUDE_DEFAULT_MODEL"),
        ({"CLAUDE_DEFAULT_MODEL": None}, "CLAUDE_DEFAULT_MODEL"),
        ({"CLAUDE_ENDPOINT_SCOPE": "mars"}, "CLAUDE_ENDPOINT_SCOPE"),
        ({"CLAUDE_ENDPOINT_SCOPE": None}, "CLAUDE_ENDPOINT_SCOPE"),
        ({"BEDROCK_READ_TIMEOUT_SECONDS": "soon"}, "BEDROCK_READ_TIMEOUT_SECONDS"),
        ({"BEDROCK_READ_TIMEOUT_SECONDS": "0"}, "BEDROCK_READ_TIMEOUT_SECONDS"),
        ({"BEDROCK_CONNECT_TIMEOUT_SECONDS": "61"}, "BEDROCK_CONNECT_TIMEOUT_SECONDS"),
        ({"BEDROCK_MAX_ATTEMPTS": "0"}, "BEDROCK_MAX_ATTEMPTS"),
        ({"BEDROCK_MAX_ATTEMPTS": "2.5"}, "BEDROCK_MAX_ATTEMPTS"),
        ({"INVOKER_LOG_PROMPTS": "yes"}, "INVOKER_LOG_PROMPTS"),
        # A CloudWatch namespace: 1-255 of its characters, not only spaces, not AWS/ (reserved for AWS services).
        ({"INVOKER_METRICS_NAMESPACE": None}, "INVOKER_METRICS_NAMESPACE"),
        ({"INVOKER_METRICS_NAMESPACE": "   "}, "INVOKER_METRICS_NAMESPACE"),
        ({"INVOKER_METRICS_NAMESPACE": "AWS/Lambda"}, "INVOKER_METRICS_NAMESPACE"),
        ({"INVOKER_METRICS_NAMESPACE": "Claude*"}, "INVOKER_METRICS_NAMESPACE"),
        ({"INVOKER_METRICS_NAMESPACE": "C" * 256}, "INVOKER_METRICS_NAMESPACE"),
        ({"INVOKER_SERVICE_NAME": None}, "INVOKER_SERVICE_NAME"),
        ({"INVOKER_SERVICE_NAME": "s" * 1025}, "INVOKER_SERVICE_NAME"),
        # The URL alias's events are believed to come from the URL: it cannot be the asynchronous alias too.
        ({"INVOKER_URL_ALIAS": "async", "INVOKER_ASYNC_ALIAS": "async"}, "INVOKER_URL_ALIAS"),
    ],
)
def test_bad_value_names_the_variable(changes: dict[str, Any], named: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(_env(**changes))
    assert named in str(raised.value)


def test_duplicate_model_ids_are_refused() -> None:
    models = json.loads(json.dumps(MODELS))
    models["sonnet"] = dict(models["claude-sonnet-4-5"])
    with pytest.raises(ConfigError, match="used by both 'claude-sonnet-4-5' and 'sonnet'"):
        load_settings(_env(CLAUDE_MODELS=models))


def test_geography_scope_checks_profiles() -> None:
    models = {
        alias: {**entry, "profile_id": entry["profile_id"].replace("global.", "eu.")} for alias, entry in MODELS.items()
    }
    assert load_settings(_env(CLAUDE_MODELS=models, CLAUDE_ENDPOINT_SCOPE="eu")).endpoint_scope == "eu"
    with pytest.raises(ConfigError, match=r"CLAUDE_MODELS\.claude-sonnet-4-5\.profile_id"):
        load_settings(_env(CLAUDE_MODELS=models, CLAUDE_ENDPOINT_SCOPE="us"))


def test_handler_import_fails_clearly_on_bad_config(load_handler: Any) -> None:
    with pytest.raises(ConfigError, match="CLAUDE_ENDPOINT_SCOPE"):
        load_handler(CLAUDE_ENDPOINT_SCOPE="moon")
