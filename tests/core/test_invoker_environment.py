"""The environment the construct gives the invoker function is one the function accepts, for every scope."""

from __future__ import annotations

import pytest

from core.config import AppConfig
from core.invoker_environment import function_environment
from core.plan import SAMPLE_ACCOUNT, plan_region
from tests.support.invoker import function_settings
from tests.support.project import config_for

# (scope, source Region, models): one per scope, each with models the scope offers.
SCOPES = [
    ("global", "us-east-1", ["claude-sonnet-4-6", "claude-haiku-4-5"]),
    ("us", "us-west-1", ["claude-opus-4-1", "claude-haiku-4-5"]),
    ("eu", "eu-west-1", ["claude-sonnet-4-6"]),
    ("jp", "ap-northeast-1", ["claude-sonnet-4-5"]),
    ("apac", "ap-south-1", ["claude-opus-4-6"]),
    ("au", "ap-southeast-2", ["claude-opus-4-7"]),
]


def environment(config: AppConfig, region: str) -> dict[str, str]:
    plan = plan_region(
        models=config.models.allowed,
        scope=config.models.scope,
        region=region,
        account=SAMPLE_ACCOUNT,
        allow_streaming=True,
        allow_marketplace_subscription=False,
    )
    return function_environment(config.invoker, plan.scope, plan.profiles)


@pytest.mark.parametrize(("scope", "region", "models"), SCOPES, ids=[s[0] for s in SCOPES])
def test_the_function_accepts_the_environment_of_every_scope(scope: str, region: str, models: list[str]) -> None:
    config = config_for(endpoint_scope=scope, regions=[region], models=models, invoker_default_model=models[-1])
    settings = function_settings(environment(config, region))
    assert settings.scope == scope
    assert settings.default_model.alias == models[-1]
    assert {alias: m.profile_id for alias, m in settings.models.items()} == {
        model.alias: f"{scope}.{model.model_id}" for model in config.models.allowed
    }
    for model in config.models.allowed:
        entry = settings.models[model.alias]
        assert (entry.name, entry.model_id) == (model.name, model.model_id)
        assert (entry.long_context, entry.context_window) == (model.long_context, model.context_window)


def test_a_bedrock_read_ends_20_seconds_before_the_function_times_out() -> None:
    config = config_for(invoker_timeout_seconds=120, invoker_log_prompts=True)
    settings = function_settings(environment(config, "us-east-1"))
    assert settings.read_timeout_seconds == 100
    assert settings.log_prompts is True
