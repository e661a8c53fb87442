"""The 5.x models against their AWS model cards: every fact written here as the card prints it, with the card's URL.

Nothing here is read from `core.catalog.claude_models`: a wrong entry there fails here. Checked on 2026-12-07 (the
research notes of that day quote each card). Where the card prints a fact the catalog leaves out on purpose (a
geographic profile whose destinations it does not print), the test says so and checks the refusal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from core.catalog.lookup import Catalog
from core.config import ConfigError
from tests.support.project import plan_for

CARD = "https://docs.aws.amazon.com/bedrock/latest/userguide/model-card-anthropic-{}.html"
ADAPTIVE_THINKING = "https://docs.aws.amazon.com/bedrock/latest/userguide/claude-messages-adaptive-thinking.html"
DATA_RETENTION = "https://docs.aws.amazon.com/bedrock/latest/userguide/data-retention.html"

# "Geo inference details" as the 5.x cards print them (Sonnet 5, Sonnet 5.5, Opus 5.5, Haiku 5.5): source Region ->
# destination Regions.
US = {
    "us-east-1": {"us-east-1", "us-east-2", "us-west-2"},
    "us-east-2": {"us-east-1", "us-east-2", "us-west-2"},
    "us-west-1": {"us-east-1", "us-east-2", "us-west-1", "us-west-2"},
    "us-west-2": {"us-east-1", "us-east-2", "us-west-2"},
    "ca-central-1": {"ca-central-1", "us-east-1", "us-east-2", "us-west-2"},
    "ca-west-1": {"ca-west-1", "us-east-1", "us-east-2", "us-west-2"},
}
EU6 = {"eu-central-1", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-3"}
EU = {
    **{source: EU6 for source in EU6},
    "eu-central-2": EU6 | {"eu-central-2"},
    "eu-west-2": EU6 | {"eu-west-2"},
}
AU = {"ap-southeast-2": {"ap-southeast-2", "ap-southeast-4"}, "ap-southeast-4": {"ap-southeast-2", "ap-southeast-4"}}
JP = {"ap-northeast-1": {"ap-northeast-1", "ap-northeast-3"}, "ap-northeast-3": {"ap-northeast-1", "ap-northeast-3"}}
# "Global inference details" / the Global column of every 5.x card on bedrock-runtime: 33 commercial Regions.
GLOBAL = {
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "ca-west-1", "sa-east-1", "mx-central-1",
    "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
    "il-central-1", "me-central-1", "me-south-1", "af-south-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2",
    "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
    "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
}  # fmt: skip
RUNTIME_AND_MANTLE = {"bedrock-runtime", "bedrock-mantle"}


@dataclass(frozen=True)
class Card:
    """What one card prints (and, for thinking and retention, the Bedrock page named beside it)."""

    slug: str
    model_id: str
    launched: date
    product: str | None
    endpoints: set[str]
    # Scope -> routes: global's sources, or per source its destinations. Only the scopes the catalog can grant.
    routes: dict[str, Any]
    count_tokens: bool  # "Count tokens" among the "Features supported using bedrock-runtime endpoint"
    not_before: date | None = None  # "EOL no sooner than"
    legacy_period: str | None = None
    effort_default: str | None = None
    thinking_off: bool | None = None  # "cannot be disabled" / "can be turned off" (card or Adaptive thinking page)
    retention: set[str] = field(default_factory=set)  # the modes it runs under (card and Data retention page)
    gated: bool = False
    # Scopes the card prints without per-source destinations: left out of the catalog.
    sources_only: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return CARD.format(self.slug)


CARDS = {
    "claude-haiku-5-5": Card(
        "claude-haiku-5-5",
        "anthropic.claude-haiku-5-5",
        date(2026, 10, 7),
        "prod-6cyn7tgqazjhu",
        RUNTIME_AND_MANTLE,
        {"global": GLOBAL, "us": US, "eu": EU, "au": AU, "jp": JP},
        count_tokens=False,
        not_before=date(2027, 10, 7),
        legacy_period="6 months",
        effort_default="medium",
        thinking_off=True,  # "adaptive thinking is on by default and can be turned off"
    ),
    "claude-sonnet-5-5": Card(
        "claude-sonnet-5-5",
        "anthropic.claude-sonnet-5-5",
        date(2026, 9, 28),
        "prod-pjfguoisodbd6",
        RUNTIME_AND_MANTLE,
        {"global": GLOBAL, "us": US, "eu": EU},
        count_tokens=False,
        not_before=date(2027, 9, 28),
        legacy_period="6 months",
        effort_default="high",
    ),
    "claude-opus-5-5": Card(
        "claude-opus-5-5",
        "anthropic.claude-opus-5-5",
        date(2026, 9, 22),
        "prod-e5xo6z26ie45g",
        RUNTIME_AND_MANTLE,
        {"global": GLOBAL, "us": US, "eu": EU, "au": AU, "jp": JP},
        count_tokens=False,
        not_before=date(2027, 9, 22),
        legacy_period="6 months",
        effort_default="medium",
        thinking_off=False,  # "adaptive thinking is always on and cannot be disabled"
    ),
    "claude-fable-5-1": Card(
        "claude-fable-5-1",
        "anthropic.claude-fable-5-1",
        date(2026, 9, 1),
        "prod-lt3y75wunrtv4",
        RUNTIME_AND_MANTLE,
        {"global": GLOBAL},
        count_tokens=False,  # in neither bedrock-runtime list
        effort_default="high",
        thinking_off=False,
        retention={"aws_review", "provider_data_share"},
        sources_only=("us",),
    ),
    "claude-mythos-5-1": Card(
        "claude-mythos-5-1",
        "anthropic.claude-mythos-5-1",
        date(2026, 9, 1),
        "prod-k24dbcuykobku",
        {"bedrock-runtime"},
        {"global": GLOBAL},
        count_tokens=False,
        effort_default="high",
        thinking_off=False,
        retention={"provider_data_share"},
        gated=True,  # "Access is currently gated to a vetted set of organizations"
        sources_only=("us",),
    ),
    "claude-opus-5": Card(
        "claude-opus-5",
        "anthropic.claude-opus-5",
        date(2026, 7, 24),
        "prod-if5d653ow7ehg",
        RUNTIME_AND_MANTLE,
        {"global": GLOBAL},
        count_tokens=False,
        thinking_off=True,  # "can be disabled but effort is capped at high when thinking is disabled"
        sources_only=("us", "eu", "au"),
    ),
    "claude-sonnet-5": Card(
        "claude-sonnet-5",
        "anthropic.claude-sonnet-5",
        date(2026, 6, 30),
        "prod-4ezhkeia6k2cs",
        RUNTIME_AND_MANTLE,
        {"global": GLOBAL, "us": US, "eu": EU, "au": AU},
        count_tokens=False,
    ),
    "claude-fable-5": Card(
        "claude-fable-5",
        "anthropic.claude-fable-5",
        date(2026, 6, 9),
        "prod-h6swdfybvty7y",
        RUNTIME_AND_MANTLE,
        {"global": GLOBAL},
        count_tokens=True,
        thinking_off=False,
        retention={"aws_review", "provider_data_share"},
        sources_only=("us",),
    ),
    "claude-mythos-5": Card(
        "claude-mythos-5",
        "anthropic.claude-mythos-5",
        date(2026, 6, 9),
        "prod-kyryzgfmbtwtc",
        {"bedrock-mantle"},
        {},
        count_tokens=False,
        thinking_off=False,
        retention={"provider_data_share"},
        gated=True,
    ),
    "claude-mythos-preview": Card(
        "claude-mythos-preview",
        "anthropic.claude-mythos-preview",
        date(2026, 4, 7),
        None,  # no "Marketplace product ID" line
        {"bedrock-mantle"},
        {},
        count_tokens=False,
        gated=True,  # "Available only as a gated research preview"
    ),
}


@pytest.mark.parametrize("alias", CARDS)
def test_each_5x_model_is_what_its_card_prints(alias: str) -> None:
    card, model = CARDS[alias], Catalog().get(alias)
    assert model.model_id == card.model_id, card.url
    assert (model.lifecycle.launched_on, model.lifecycle.end_of_life_not_before) == (card.launched, card.not_before)
    assert model.lifecycle.legacy_period == card.legacy_period
    assert model.lifecycle.end_of_life_on is None  # "Model EOL date: N/A" on every 5.x card
    assert (model.context_window, model.max_output_tokens) == (1_000_000, 128_000)  # "1M tokens", "128K"
    assert model.marketplace_product_id == card.product
    assert model.endpoints == card.endpoints
    assert model.count_tokens == card.count_tokens
    assert (model.effort_default, model.thinking_off) == (card.effort_default, card.thinking_off)
    assert model.retention_modes == card.retention
    assert model.gated == card.gated
    assert model.scopes == set(card.routes)
    for endpoint_scope, routes in card.routes.items():
        if endpoint_scope == "global":
            assert set(model.sources("global")) == routes
            continue
        assert set(model.sources(endpoint_scope)) == set(routes), (endpoint_scope, card.url)
        for source, destinations in routes.items():
            assert set(model.destinations(endpoint_scope, source)) == destinations, (endpoint_scope, source)
    assert not set(card.sources_only) & model.scopes


# The request rules (Bedrock "Adaptive thinking", the cards' "Sampling parameters", Anthropic's migration guides).
SAMPLING = {
    "claude-fable-5": "near_default",  # "temperature must be 1.0 or unset; top_p must be ≥ 0.99 and < 1.0, or unset"
    "claude-mythos-5": "near_default",
    "claude-fable-5-1": "near_default_one_of",  # "... top_p must be 0.99 or unset; ... cannot be specified together"
    "claude-mythos-5-1": "near_default_one_of",
    "claude-sonnet-5": "fixed",  # Anthropic, "Migrating to Claude Sonnet 5"
    "claude-haiku-5-5": "fixed",  # Anthropic, "Migration guide to Claude Haiku 5.5"
    "claude-opus-5": "fixed",  # Anthropic, "Migrating to Claude Opus 5": as Opus 4.8
    "claude-opus-5-5": "any",  # no page read states it
    "claude-sonnet-5-5": "any",
}
ADAPTIVE_ONLY = {  # "enabled" refused (Adaptive thinking page, or the card's "always on"/"adaptive only")
    "claude-fable-5", "claude-fable-5-1", "claude-mythos-5", "claude-mythos-5-1", "claude-sonnet-5",
    "claude-haiku-5-5", "claude-opus-5-5", "claude-mythos-preview",
}  # fmt: skip


def test_the_request_rules_of_the_5x_models_follow_their_pages() -> None:
    catalog = Catalog()
    assert {alias: catalog.get(alias).sampling for alias in SAMPLING} == SAMPLING
    assert {a for a in CARDS if catalog.get(a).thinking_modes == {"adaptive"}} == ADAPTIVE_ONLY
    # Opus 5 and Sonnet 5.5: whether `enabled` is taken, no page read says: left to Bedrock.
    assert catalog.get("claude-opus-5").thinking_modes is None
    assert catalog.get("claude-sonnet-5-5").thinking_modes is None
    # Sonnet 5: its card says thinking cannot be disabled, the Adaptive thinking page says it can: left to Bedrock.
    assert catalog.get("claude-sonnet-5").thinking_off is None
    # 2026-10-21 "is available for Claude 4.7 and later models" on Bedrock (Anthropic, "Versions").
    runtime = [a for a in CARDS if "bedrock-runtime" in CARDS[a].endpoints]
    assert {catalog.get(a).api_versions for a in runtime} == {("bedrock-2023-05-31", "2026-10-21")}


def test_fable_52_is_left_out_its_bedrock_id_being_on_no_aws_page() -> None:
    # Its card's header is readable (launched 2026-11-09, prod-m733do2vrmi3o); its model ID and Regions are not.
    catalog = Catalog()
    assert not [m for m in catalog.models if m.marketplace_product_id == "prod-m733do2vrmi3o"]
    assert not [m for m in catalog.models if "fable-5-2" in m.model_id]


# (scope, Region the card lists for it, model): the plan synthesis runs accepts it.
CALLABLE = [
    (endpoint_scope, region, alias)
    for alias, card in CARDS.items()
    if not card.gated
    for endpoint_scope, routes in card.routes.items()
    for region in sorted(routes)[:1] + sorted(routes)[-1:]
]


@pytest.mark.parametrize(("endpoint_scope", "region", "alias"), CALLABLE, ids=str)
def test_each_5x_model_synthesizes_under_each_scope_its_card_lists(
    endpoint_scope: str, region: str, alias: str
) -> None:
    # A model whose card requires retention synthesizes under one of the modes the card names (the first, sorted).
    mode = sorted(CARDS[alias].retention)[0] if CARDS[alias].retention else "none"
    plan = plan_for(
        endpoint_scope=endpoint_scope,
        regions=[region],
        models=[alias],
        invoker_default_model=alias,
        allow_gated_models=True,
        data_retention_mode=mode,
    )
    (region_plan,) = plan.regions
    assert [p.profile_id for p in region_plan.profiles] == [f"{endpoint_scope}.{CARDS[alias].model_id}"]


# (scope, Region, model, what the one line says): not on the card, or on the card without destinations.
REFUSED = [
    ("jp", "ap-northeast-1", "claude-sonnet-5-5", r"^endpoint_scope: 'jp' is not offered for Claude Sonnet 5.5 .*"
     r"offered: global, us, eu"),
    ("au", "ap-southeast-6", "claude-sonnet-5", r"^models: claude-sonnet-5 is not offered under 'au' from "
     r"ap-southeast-6 \(from ap-southeast-6 it is offered under: global; its 'au' profile is called from "
     r"ap-southeast-2, ap-southeast-4\)"),
    ("eu", "il-central-1", "claude-opus-5-5", r"^models: claude-opus-5-5 is not offered under 'eu' from il-central-1"),
    ("global", "us-gov-west-1", "claude-haiku-5-5", r"^models: claude-haiku-5-5 is not offered under 'global' from "
     r"us-gov-west-1 \(not from us-gov-west-1 at all"),
    # Printed with sources but no destinations: left out, refused naming the scope the catalog has.
    ("us", "us-east-1", "claude-opus-5", r"^endpoint_scope: 'us' is not offered for Claude Opus 5 .*offered: global$"),
    ("us", "us-east-1", "claude-fable-5", r"^endpoint_scope: 'us' is not offered for Claude Fable 5 .*: global$"),
]  # fmt: skip


@pytest.mark.parametrize(("endpoint_scope", "region", "alias", "says"), REFUSED, ids=str)
def test_a_scope_or_region_its_card_does_not_list_is_refused_in_one_line(
    endpoint_scope: str, region: str, alias: str, says: str
) -> None:
    with pytest.raises(ConfigError, match=says) as error:
        plan_for(endpoint_scope=endpoint_scope, regions=[region], models=[alias], invoker_default_model=alias)
    assert "\n" not in str(error.value)
