"""The environment the construct gives the invoker function is one the function accepts, for every scope."""

from __future__ import annotations

import json

import pytest

from core.config import AppConfig
from core.invocation_access.plan import SAMPLE_ACCOUNT, plan_region
from core.invoker.environment import function_environment
from tests.support.invoker import function_settings
from tests.support.project import config_for

# (scope, source Region, models): one per scope, each with models the scope offers.
SCOPES = [
    ("global", "us-east-1", ["claude-sonnet-4-6", "claude-haiku-4-5"]),
    ("us", "us-east-2", ["claude-opus-4-1", "claude-haiku-4-5"]),
    ("eu", "eu-west-1", ["claude-sonnet-4-6"]),
    ("jp", "ap-northeast-1", ["claude-sonnet-4-5"]),
    ("au", "ap-southeast-2", ["claude-opus-4-7"]),
    ("au", "ap-southeast-6", ["claude-sonnet-4-6", "claude-haiku-4-5"]),
]


def environment(config: AppConfig, region: str) -> dict[str, str]:
    plan = plan_region(
        models=config.models.allowed,
        endpoint_scope=config.models.endpoint_scope,
        region=region,
        account=SAMPLE_ACCOUNT,
        allow_streaming=True,
        allow_marketplace_subscription=False,
    )
    return function_environment(config.invoker, plan.endpoint_scope, plan.profiles)


@pytest.mark.parametrize(("endpoint_scope", "region", "models"), SCOPES, ids=[s[0] for s in SCOPES])
def test_the_function_accepts_the_environment_of_every_scope(
    endpoint_scope: str, region: str, models: list[str]
) -> None:
    config = config_for(
        endpoint_scope=endpoint_scope, regions=[region], models=models, invoker_default_model=models[-1]
    )
    settings = function_settings(environment(config, region))
    assert settings.endpoint_scope == endpoint_scope
    assert settings.default_model.alias == models[-1]
    assert {alias: m.profile_id for alias, m in settings.models.items()} == {
        model.alias: f"{endpoint_scope}.{model.model_id}" for model in config.models.allowed
    }
    for model in config.models.allowed:
        entry = settings.models[model.alias]
        assert (entry.name, entry.model_id) == (model.name, model.model_id)
        assert entry.context_window == model.context_window
        # The catalog's request facts reach the function unchanged.
        assert (entry.api_names, entry.max_output_tokens, entry.thinking_modes) == (
            model.api_names,
            model.max_output_tokens,
            model.thinking_modes,
        )
        assert (entry.sampling, entry.count_tokens) == (model.sampling, model.count_tokens)


def test_every_catalog_model_reaches_the_function_with_its_facts() -> None:
    """Every model of the catalog, through the contract, as the function reads it (names resolve, facts intact)."""
    from core.catalog.lookup import Catalog
    from core.invoker.environment import model_facts

    # A model served by bedrock-mantle only (Mythos 5, Mythos Preview) has no profile: it never reaches the function.
    runtime = [m for m in Catalog().models if m.logged]
    env = environment(config_for(), "us-east-1")
    env["CLAUDE_MODELS"] = json.dumps(
        {m.alias: model_facts(m, f"global.{m.model_id}") for m in runtime}, separators=(",", ":")
    )
    settings = function_settings(env)
    for model in runtime:
        entry = settings.models[model.alias]
        assert set(entry.names) == {model.alias, model.model_id, f"global.{model.model_id}", *model.api_names}
        assert entry.max_output_tokens == model.max_output_tokens
        assert entry.thinking_modes == model.thinking_modes
        assert (entry.sampling, entry.thinking_off, entry.api_versions) == (
            model.sampling,
            model.thinking_off,
            model.api_versions,
        )


def test_bedrock_options_and_asynchronous_results_reach_the_function() -> None:
    config = config_for(invoker_service_tier="priority", invoker_latency="optimized", invoker_results_retention_days=2)
    plan = plan_region(
        models=config.models.allowed,
        endpoint_scope=config.models.endpoint_scope,
        region="us-east-1",
        account=SAMPLE_ACCOUNT,
        allow_streaming=True,
        allow_marketplace_subscription=False,
    )
    env = function_environment(config.invoker, plan.endpoint_scope, plan.profiles, results_bucket="results-bucket-name")
    settings = function_settings(env)
    assert (settings.service_tier, settings.latency) == ("priority", "optimized")
    assert (settings.results_bucket, settings.results_retention_days, settings.async_alias) == (
        "results-bucket-name",
        2,
        "async",
    )
    assert settings.timeout_seconds == 900
    # Unset, the function sends neither option and Bedrock's defaults apply.
    default = function_settings(environment(config_for(), "us-east-1"))
    assert (default.service_tier, default.latency, default.results_bucket) == (None, None, None)


def test_a_bedrock_read_ends_20_seconds_before_the_function_times_out() -> None:
    config = config_for(invoker_timeout_seconds=120, invoker_log_prompts=True)
    settings = function_settings(environment(config, "us-east-1"))
    assert (settings.read_timeout_seconds, settings.timeout_seconds) == (100, 120)
    assert settings.log_prompts is True
