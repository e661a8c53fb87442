"""Each fact the catalog once had wrong, as AWS publishes it, with the refusal or acceptance that proves it at synth.

Expected values are written here from the AWS pages (model cards, "Model lifecycle (Legacy)", "Use product ID
condition keys"), not read from `core.catalog.claude_models`: a wrong entry there fails here. Every refusal is one
line that names the key and says where the model is offered or what to choose instead.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from core.catalog.lookup import Catalog
from core.config import ConfigError
from core.invocation_access.permissions import marketplace_statements
from tests.support.project import config_for


def refused(**context: Any) -> str:
    with pytest.raises(ConfigError) as error:
        config_for(**context)
    message = str(error.value)
    assert "\n" not in message
    return message


def deployable(endpoint_scope: str, region: str, *models: str) -> None:
    config = config_for(
        endpoint_scope=endpoint_scope, regions=[region], models=list(models), invoker_default_model=models[0]
    )
    assert [m.alias for m in config.models.allowed] == list(models)


# (scope, source Region, model) the cards do not list, and what the one-line refusal must say instead.
NOT_OFFERED = [
    # Opus 4.6's card lists global, us, eu, au; Anthropic's table also says jp and apac.
    ("jp", "ap-northeast-1", "claude-opus-4-6", "'jp' is not offered for Claude Opus 4.6 .* offered: global, us, "
     "eu, au"),
    ("apac", "ap-south-1", "claude-opus-4-6", "'apac' is not offered for Claude Opus 4.6"),
    # Opus 4.7's au table: ap-southeast-2 and -4 only; ap-southeast-6 is a global source for it.
    ("au", "ap-southeast-6", "claude-opus-4-7", "from ap-southeast-6 it is offered under: global; its 'au' profile is "
     "called from ap-southeast-2, ap-southeast-4"),
    # Opus 4.1's us table: three sources; no us-west-1, no Canada.
    ("us", "us-west-1", "claude-opus-4-1", "its 'us' profile is called from us-east-1, us-east-2, us-west-2"),
    ("us", "ca-central-1", "claude-opus-4-1", "not from ca-central-1 at all"),
    # ca-west-1 is a us source of the 4.6 generation and later only; Sonnet 4.5 and Haiku 4.5 are global there.
    ("us", "ca-west-1", "claude-sonnet-4-5", "from ca-west-1 it is offered under: global"),
    ("us", "ca-west-1", "claude-haiku-4-5", "from ca-west-1 it is offered under: global"),
]  # fmt: skip


@pytest.mark.parametrize(("endpoint_scope", "region", "model", "says"), NOT_OFFERED, ids=lambda v: str(v))
def test_a_model_not_offered_under_the_scope_from_the_region_is_refused_saying_where_it_is(
    endpoint_scope: str, region: str, model: str, says: str
) -> None:
    message = refused(endpoint_scope=endpoint_scope, regions=[region], models=[model], invoker_default_model=model)
    assert message.split(":")[0] in ("models", "endpoint_scope")
    assert re.search(says, message), message


# What the same cards do offer, which the catalog once refused or never knew.
OFFERED = [
    ("jp", "ap-northeast-3", ["claude-haiku-4-5"]),  # Haiku 4.5 has jp and au profiles
    ("au", "ap-southeast-4", ["claude-haiku-4-5"]),
    ("au", "ap-southeast-6", ["claude-sonnet-4-6", "claude-sonnet-4-5", "claude-haiku-4-5"]),
    ("au", "ap-southeast-2", ["claude-opus-4-7", "claude-opus-4-6"]),
    ("us", "ca-west-1", ["claude-opus-4-8", "claude-opus-4-7", "claude-sonnet-4-6", "claude-opus-4-6"]),
    ("us", "us-east-2", ["claude-opus-4-1"]),
    ("global", "ap-southeast-6", ["claude-opus-4-7", "claude-sonnet-4-6", "claude-haiku-4-5"]),
    # The 33 global sources of the current cards include Regions the old shared list of 22 lacked.
    ("global", "mx-central-1", ["claude-sonnet-4-6"]),
    ("global", "me-central-1", ["claude-opus-4-7"]),
    ("global", "ap-southeast-7", ["claude-haiku-4-5"]),
]


@pytest.mark.parametrize(("endpoint_scope", "region", "models"), OFFERED, ids=lambda v: str(v))
def test_what_the_cards_offer_synthesizes(endpoint_scope: str, region: str, models: list[str]) -> None:
    deployable(endpoint_scope, region, *models)


def test_opus_46_is_not_a_global_source_in_new_zealand_on_its_card() -> None:
    message = refused(regions=["ap-southeast-6"], models=["claude-opus-4-6"], invoker_default_model="claude-opus-4-6")
    assert "claude-opus-4-6 is not offered under 'global' from ap-southeast-6" in message


# Bedrock end-of-life dates (AWS model cards, "Model lifecycle (Legacy)"): past on the test day (2026-11-25).
PAST_END_OF_LIFE = {
    "claude-opus-4": "2026-05-31",
    "claude-3-5-haiku": "2026-06-19",
    "claude-3-7-sonnet": "2026-04-28",
    "claude-3-haiku": "2026-09-10",
    "claude-sonnet-4": "2026-10-14",
}


@pytest.mark.parametrize(("model", "day"), PAST_END_OF_LIFE.items())
def test_a_model_past_end_of_life_is_refused_with_current_choices(model: str, day: str) -> None:
    message = refused(endpoint_scope="us", models=[model], invoker_default_model=model)
    assert message.startswith(f"models: {model} (")
    assert f"reached end of life on Bedrock on {day}; choose a current model: claude-haiku-5-5, " in message


def test_the_retired_1m_beta_left_sonnet_45_with_a_200k_window() -> None:
    # The invoker refuses the beta flag itself: tests/lambda/invoker/test_validation.py.
    catalog = Catalog()
    assert catalog.get("claude-sonnet-4-5").context_window == 200_000
    assert catalog.get("claude-sonnet-4").context_window == 200_000
    assert catalog.get("claude-sonnet-4-6").context_window == 1_000_000


def test_sonnet_4_had_five_global_sources() -> None:
    assert set(Catalog().get("claude-sonnet-4").sources("global")) == {
        "us-east-1",
        "us-east-2",
        "us-west-2",
        "eu-west-1",
        "ap-northeast-1",
    }


# AWS "Use product ID condition keys" and the model cards ("Marketplace product ID").
PRODUCT_IDS = {
    "claude-haiku-5-5": "prod-6cyn7tgqazjhu",
    "claude-opus-5-5": "prod-e5xo6z26ie45g",
    "claude-sonnet-5": "prod-4ezhkeia6k2cs",
    "claude-opus-4-8": "prod-bk5rjg4eo2pke",
    "claude-opus-4-7": "prod-d2ik6zgct5hxi",
    "claude-sonnet-4-6": "prod-ffvjxvh4ltq64",
    "claude-opus-4-6": "prod-5ukwuglpt66kg",
    "claude-opus-4-5": "prod-jhuafngbly644",
    "claude-sonnet-4-5": "prod-mxcfnwvpd6kb4",
    "claude-haiku-4-5": "prod-xdkflymybwmvi",
    "claude-opus-4-1": "prod-w3q2d6rfge4tw",
}


def test_subscribe_is_scoped_to_the_published_products_of_the_current_models() -> None:
    catalog = Catalog()
    _, subscribe = marketplace_statements(catalog.get(alias) for alias in PRODUCT_IDS)
    assert subscribe["Condition"] == {
        "ForAnyValue:StringEquals": {"aws-marketplace:ProductId": sorted(PRODUCT_IDS.values())}
    }
    # Opus 4.8's card prints its product (the catalog once had none, leaving Subscribe unscoped with it).
    assert catalog.get("claude-opus-4-8").marketplace_product_id == "prod-bk5rjg4eo2pke"


# A model served only by bedrock-mantle: tests/core/test_config_models.py.


def test_the_current_models_offered_are_those_of_the_scope() -> None:
    message = refused(endpoint_scope="jp", models=["claude-opus-4"], invoker_default_model="claude-opus-4")
    # The jp profiles of the cards (Sonnet 4.5 is active: its card, not the dates the catalog once had).
    assert message.endswith(
        "choose a current model: claude-haiku-5-5, claude-opus-5-5, claude-opus-4-8, claude-opus-4-7, "
        "claude-sonnet-4-6, claude-sonnet-4-5, claude-haiku-4-5"
    )


# Corrections of 2026-12-07, each as its AWS page prints it.
def test_opus_46_counts_tokens_on_bedrock_runtime_as_its_card_lists() -> None:
    # model-card-anthropic-claude-opus-4-6: "Count tokens" among the features supported using bedrock-runtime.
    assert Catalog().get("claude-opus-4-6").count_tokens


def test_haiku_45_is_served_by_bedrock_mantle_too() -> None:
    # model-card-anthropic-claude-haiku-4-5: "| bedrock-runtime | supported |", "| bedrock-mantle | supported |".
    model = Catalog().get("claude-haiku-4-5")
    assert model.endpoints == {"bedrock-runtime", "bedrock-mantle"}
    assert model.logged  # bedrock-runtime still records its calls


def test_opus_4_and_haiku_35_carry_their_published_legacy_dates() -> None:
    # "Model lifecycle" (before the split of 2026-09-07): Legacy date October 1, 2025 and December 19, 2025.
    catalog = Catalog()
    assert catalog.get("claude-opus-4").lifecycle.legacy_on == date(2025, 10, 1)
    assert catalog.get("claude-3-5-haiku").lifecycle.legacy_on == date(2025, 12, 19)


def test_sonnet_45_follows_its_card_active_and_no_end_of_life_date() -> None:
    # model-card-anthropic-claude-sonnet-4-5: "Model EOL date: No sooner than 9/29/2026", "Model lifecycle: Active".
    life = Catalog().get("claude-sonnet-4-5").lifecycle
    assert (life.legacy_on, life.end_of_life_on, life.end_of_life_not_before) == (None, None, date(2026, 9, 29))
    deployable("global", "us-east-1", "claude-sonnet-4-5")
