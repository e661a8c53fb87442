"""The `models` section: which Claude models callers may use, under which scope, and for how long still."""

from __future__ import annotations

from datetime import date

import pytest

from core.config import ConfigError, deprecation_warnings, load_config
from tests.support.project import TEST_DAY, config_for


def test_model_not_offered_under_scope_is_refused_with_where_it_is_offered() -> None:
    with pytest.raises(ConfigError) as error:
        config_for(endpoint_scope="global", models=["claude-opus-4-1"], invoker_default_model="claude-opus-4-1")
    assert str(error.value) == (
        "endpoint_scope: 'global' is not offered for Claude Opus 4.1 (anthropic.claude-opus-4-1-20250805-v1:0); "
        "offered: us"
    )


def test_a_model_added_through_context_is_usable_without_code_changes() -> None:
    extra = {
        "alias": "claude-next",
        "name": "Claude Next",
        "model_id": "anthropic.claude-next-v1:0",
        "profiles": {"global": ["us-east-1", "eu-west-1"], "us": {"us-east-1": ["us-east-1", "us-west-2"]}},
    }
    config = config_for(extra_models=[extra], models=["claude-next"], invoker_default_model="claude-next")
    assert config.invoker.default_model.model_id == "anthropic.claude-next-v1:0"
    model = config.models.catalog.get("anthropic.claude-next-v1:0")
    assert model.scopes == frozenset({"global", "us"})
    assert model.sources("global") == ("us-east-1", "eu-west-1")
    assert model.destinations("us", "us-east-1") == ("us-east-1", "us-west-2")
    # Its profiles are its own: from a Region its card does not list, it is refused like a catalog model.
    with pytest.raises(ConfigError, match=r"^models: claude-next is not offered under 'global' from ap-south-1"):
        config_for(
            extra_models=[extra], models=["claude-next"], invoker_default_model="claude-next", regions=["ap-south-1"]
        )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"alias": "x", "model_id": "anthropic.x", "scopes": ["global"]},
            r"^extra_models.scopes: .* 'profiles' with the Regions of each scope",
        ),
        (
            {"alias": "x", "model_id": "anthropic.x", "profiles": {"mars": ["us-east-1"]}},
            r"^extra_models.profiles: 'mars'",
        ),
        (
            {"alias": "x", "model_id": "anthropic.x", "profiles": {"us": ["us-east-1"]}},
            r"^extra_models.profiles.us: .* source Regions and their destination Regions",
        ),
    ],
)
def test_an_extra_model_without_its_regions_is_refused_in_one_line(extra: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        config_for(extra_models=[extra])


def test_a_model_outside_bedrock_runtime_is_refused_unless_accepted() -> None:
    extra = {
        "alias": "claude-elsewhere",
        "model_id": "anthropic.claude-elsewhere",
        "profiles": {"global": ["us-east-1"]},
        "api": "bedrock-mantle",
    }
    context = {"extra_models": [extra], "models": ["claude-elsewhere"], "invoker_default_model": "claude-elsewhere"}
    with pytest.raises(
        ConfigError, match=r"^models: claude-elsewhere is served by bedrock-mantle, not bedrock-runtime"
    ) as error:
        config_for(**context)
    assert "invocation logging would not record its calls" in str(error.value)
    config = config_for(**context, allow_non_runtime_models=True)
    assert config.models.allowed[0].endpoints == {"bedrock-mantle"}
    assert config.models.allow_non_runtime


def test_retired_models_are_refused_and_legacy_ones_warned() -> None:
    # Bedrock's lifecycle page: Claude Sonnet 4.5 legacy since 2026-10-08, end of life 2027-04-08.
    context = {"models": ["claude-sonnet-4-5"], "invoker_default_model": "claude-sonnet-4-5"}
    assert deprecation_warnings(load_config(context, today=date(2026, 11, 25)).models) == [
        "models: claude-sonnet-4-5 (anthropic.claude-sonnet-4-5-20250929-v1:0) is legacy; end of life on Bedrock on "
        "2027-04-08; plan a move to a current model"
    ]
    # Before its legacy date it was active, with its end of life already announced.
    assert deprecation_warnings(load_config(context, today=date(2026, 10, 1)).models) == [
        "models: claude-sonnet-4-5 (anthropic.claude-sonnet-4-5-20250929-v1:0) is active; end of life on Bedrock on "
        "2027-04-08; plan a move to a current model"
    ]
    with pytest.raises(
        ConfigError, match=r"^models: claude-sonnet-4-5 .* reached end of life on Bedrock on 2027-04-08"
    ):
        load_config(context, today=date(2027, 4, 8))
    # Already past end of life on the test day: Claude Sonnet 4 (2026-10-14).
    with pytest.raises(ConfigError, match=r"claude-sonnet-4 .* reached end of life on Bedrock on 2026-10-14; choose"):
        load_config({"models": ["claude-sonnet-4"], "invoker_default_model": "claude-sonnet-4"}, today=TEST_DAY)
