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
    # Bedrock's "Model lifecycle (Legacy)": Claude Opus 4.1 legacy since 2026-07-08, end of life 2027-01-08.
    context = {"endpoint_scope": "us", "models": ["claude-opus-4-1"], "invoker_default_model": "claude-opus-4-1"}
    assert deprecation_warnings(load_config(context, today=date(2026, 11, 25)).models) == [
        "models: claude-opus-4-1 (anthropic.claude-opus-4-1-20250805-v1:0) is legacy; end of life on Bedrock on "
        "2027-01-08; plan a move to a current model"
    ]
    # Before its legacy date it was active, with its end of life already announced.
    assert deprecation_warnings(load_config(context, today=date(2026, 7, 1)).models) == [
        "models: claude-opus-4-1 (anthropic.claude-opus-4-1-20250805-v1:0) is active; end of life on Bedrock on "
        "2027-01-08; plan a move to a current model"
    ]
    with pytest.raises(ConfigError, match=r"^models: claude-opus-4-1 .* reached end of life on Bedrock on 2027-01-08"):
        load_config(context, today=date(2027, 1, 8))
    # Already past end of life on the test day: Claude Sonnet 4 (2026-10-14).
    with pytest.raises(ConfigError, match=r"claude-sonnet-4 .* reached end of life on Bedrock on 2026-10-14; choose"):
        load_config({"models": ["claude-sonnet-4"], "invoker_default_model": "claude-sonnet-4"}, today=TEST_DAY)


def test_sonnet_45_is_active_as_its_card_says_with_no_end_of_life_date() -> None:
    # Its card: "Model EOL date: No sooner than 9/29/2026", "Model lifecycle: Active"; no AWS page gives a legacy date.
    context = {"models": ["claude-sonnet-4-5"], "invoker_default_model": "claude-sonnet-4-5"}
    assert deprecation_warnings(load_config(context, today=TEST_DAY).models) == []


def test_a_model_whose_lifecycle_no_aws_page_confirms_is_refused_in_one_line() -> None:
    # Claude 3 Opus is on no Bedrock lifecycle page; Anthropic deprecated it on 2025-06-30.
    context = {"endpoint_scope": "us", "models": ["claude-3-opus"], "invoker_default_model": "claude-3-opus"}
    with pytest.raises(ConfigError) as error:
        load_config(context, today=TEST_DAY)
    message = str(error.value)
    assert message.startswith(
        "models: claude-3-opus (anthropic.claude-3-opus-20240229-v1:0) has no lifecycle on any AWS page"
    )
    assert message.endswith("or add it under extra_models") and "\n" not in message


GATED = ["claude-mythos-5-1", "claude-mythos-5", "claude-mythos-preview"]


@pytest.mark.parametrize("alias", GATED)
def test_an_invitation_only_model_is_refused_unless_allowed(alias: str) -> None:
    context = {"models": [alias], "invoker_default_model": alias}
    with pytest.raises(ConfigError) as error:
        load_config(context, today=TEST_DAY)
    message = str(error.value)
    assert message.startswith(f"models: {alias} (anthropic.{alias}) is offered by invitation only")
    assert "allowlisted" in message and message.endswith(
        "set allow_gated_models=true if this account is allowlisted, or remove it"
    )


def test_an_allowed_gated_model_synthesizes_where_its_card_lists_a_profile() -> None:
    # Mythos 5.1's card: global profile from the 33 global Regions, on bedrock-runtime.
    context = {"models": ["claude-mythos-5-1"], "invoker_default_model": "claude-mythos-5-1"}
    config = load_config({**context, "allow_gated_models": True}, today=TEST_DAY)
    assert [m.alias for m in config.models.allowed] == ["claude-mythos-5-1"]
    # Mythos 5 and Mythos Preview are served by bedrock-mantle only: past the gate, invocation logging refuses them.
    with pytest.raises(ConfigError, match=r"^models: claude-mythos-5 is served by bedrock-mantle, not bedrock-runtime"):
        load_config(
            {"models": ["claude-mythos-5"], "invoker_default_model": "claude-mythos-5", "allow_gated_models": True},
            today=TEST_DAY,
        )


def test_an_extra_entry_of_a_catalog_model_adds_the_profile_its_card_prints_without_routing() -> None:
    # Opus 5's card lists us sources but no destinations: the catalog has its global profile only.
    extra = {
        "alias": "claude-opus-5",
        "model_id": "anthropic.claude-opus-5",
        "profiles": {"us": {"us-east-1": ["us-east-1", "us-east-2", "us-west-2"]}},
    }
    context = {"endpoint_scope": "us", "models": ["claude-opus-5"], "invoker_default_model": "claude-opus-5"}
    with pytest.raises(ConfigError, match=r"'us' is not offered for Claude Opus 5 .*offered: global$"):
        config_for(**context)
    (model,) = config_for(**context, extra_models=[extra]).models.allowed
    assert model.scopes == {"global", "us"}
    assert model.destinations("us", "us-east-1") == ("us-east-1", "us-east-2", "us-west-2")
    # Every other fact stays the catalog's: the request rules, the product, the global profile.
    assert (model.sampling, model.marketplace_product_id, len(model.sources("global"))) == (
        "fixed",
        "prod-if5d653ow7ehg",
        33,
    )
    # Under another alias, the same model ID is a second definition: refused.
    with pytest.raises(ConfigError, match="defined twice"):
        config_for(extra_models=[{**extra, "alias": "opus-5-us"}])
