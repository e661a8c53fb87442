"""The catalog holds the source document's table, resolves aliases and IDs, and resolves ARNs."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.catalog.lookup import Catalog, CatalogError, profile_id, resolve

# Anthropic's "Claude on Amazon Bedrock" table: model ID -> (global, us, eu, jp, apac), "Oui" = offered.
SOURCE_TABLE = {
    "anthropic.claude-sonnet-4-5-20250929-v1:0": ("Oui", "Oui", "Oui", "Oui", "Non"),
    "anthropic.claude-sonnet-4-20250514-v1:0": ("Oui", "Oui", "Oui", "Non", "Oui"),
    "anthropic.claude-3-7-sonnet-20250219-v1:0": ("Non", "Oui", "Oui", "Non", "Oui"),
    "anthropic.claude-opus-4-1-20250805-v1:0": ("Non", "Oui", "Non", "Non", "Non"),
    "anthropic.claude-opus-4-20250514-v1:0": ("Non", "Oui", "Non", "Non", "Non"),
    "anthropic.claude-3-opus-20240229-v1:0": ("Non", "Oui", "Non", "Non", "Non"),
    "anthropic.claude-haiku-4-5-20251001-v1:0": ("Oui", "Oui", "Oui", "Non", "Non"),
    "anthropic.claude-3-5-haiku-20241022-v1:0": ("Non", "Oui", "Non", "Non", "Non"),
    "anthropic.claude-3-haiku-20240307-v1:0": ("Non", "Oui", "Oui", "Non", "Oui"),
}
TABLE_SCOPES = ("global", "us", "eu", "jp", "apac")


# Where the source document's table and AWS's model cards disagree about Bedrock, the card wins; each difference
# is listed here with the card's reason, so a change on either side fails until it is looked at.
CORRECTIONS = {
    ("claude-haiku-4-5", "jp"): "Haiku 4.5 card: Geo Inference ID jp.anthropic.claude-haiku-4-5-20251001-v1:0",
    ("claude-3-haiku", "apac"): "Claude 3 Haiku card: no APAC geo section (Asia Pacific Regions in-Region only)",
}


@pytest.mark.parametrize("model_id", SOURCE_TABLE)
def test_every_source_table_model_is_offered_where_the_table_says_unless_a_card_corrects_it(model_id: str) -> None:
    model = Catalog().get(model_id)
    for endpoint_scope, offered in zip(TABLE_SCOPES, SOURCE_TABLE[model_id], strict=True):
        if (model.alias, endpoint_scope) in CORRECTIONS:
            assert model.offered_in(endpoint_scope) != (offered == "Oui"), CORRECTIONS[(model.alias, endpoint_scope)]
        else:
            assert model.offered_in(endpoint_scope) == (offered == "Oui"), f"{model.alias} under {endpoint_scope}"


def test_alias_base_id_and_profile_id_find_the_same_model() -> None:
    catalog = Catalog()
    by_alias = catalog.get("claude-sonnet-4-5")
    assert catalog.get("anthropic.claude-sonnet-4-5-20250929-v1:0") is by_alias
    assert catalog.get("global.anthropic.claude-sonnet-4-5-20250929-v1:0") is by_alias
    assert catalog.get("eu.anthropic.claude-sonnet-4-5-20250929-v1:0") is by_alias


def test_unknown_model_lists_the_allowed_ones() -> None:
    with pytest.raises(CatalogError, match=r"models: unknown model 'claude-sonnet-9'; allowed: .*claude-sonnet-4-5"):
        Catalog().get("claude-sonnet-9")


def test_profile_id_prefixes_the_scope() -> None:
    model = Catalog().get("claude-haiku-4-5")
    assert profile_id(model, "global") == "global.anthropic.claude-haiku-4-5-20251001-v1:0"
    assert profile_id(model, "us") == "us.anthropic.claude-haiku-4-5-20251001-v1:0"


def test_global_resolution_includes_the_regionless_model_arn() -> None:
    resolved = resolve(Catalog().get("claude-sonnet-4-5"), "global", "eu-west-1", "111122223333")
    assert resolved.profile_arn == (
        "arn:aws:bedrock:eu-west-1:111122223333:inference-profile/global.anthropic.claude-sonnet-4-5-20250929-v1:0"
    )
    assert resolved.foundation_model_arns == (
        "arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
    )
    assert resolved.regionless_foundation_model_arn == (
        "arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0"
    )


def test_geographic_resolution_lists_destination_regions_and_no_regionless_arn() -> None:
    resolved = resolve(Catalog().get("claude-sonnet-4-5"), "jp", "ap-northeast-3", "111122223333")
    assert resolved.regionless_foundation_model_arn is None
    assert [arn.split(":")[3] for arn in resolved.foundation_model_arns] == ["ap-northeast-1", "ap-northeast-3"]


def test_source_region_outside_the_geography_is_refused() -> None:
    with pytest.raises(CatalogError, match=r"^models: claude-sonnet-4-5 is not offered under 'eu' from us-east-1 "):
        resolve(Catalog().get("claude-sonnet-4-5"), "eu", "us-east-1", "111122223333")


def test_model_not_offered_names_the_scopes_where_it_is() -> None:
    with pytest.raises(CatalogError) as error:
        resolve(Catalog().get("claude-opus-4-1"), "global", "us-east-1", "111122223333")
    assert "offered: us" in str(error.value)


def test_duplicate_alias_is_refused() -> None:
    catalog = Catalog()
    with pytest.raises(CatalogError, match="defined twice"):
        catalog.with_models((replace(catalog.get("claude-haiku-4-5"), model_id="anthropic.claude-other-v1:0"),))


# Anthropic's "Model IDs and versions" page: before the 4.6 generation the API ID is dated and the Bedrock ID is
# `anthropic.<API ID>-v1:0`; from 4.6 on both are dateless (`anthropic.<API ID>`, Opus 4.6 with a last `-v1`).
DATED_API_NAMES = {
    "claude-haiku-4-5": "claude-haiku-4-5-20251001",
    "claude-sonnet-4-5": "claude-sonnet-4-5-20250929",
    "claude-opus-4-5": "claude-opus-4-5-20251101",
    "claude-opus-4-1": "claude-opus-4-1-20250805",
    "claude-3-haiku": "claude-3-haiku-20240307",
}


@pytest.mark.parametrize(("alias", "dated"), DATED_API_NAMES.items())
def test_the_dated_api_name_a_response_carries_finds_the_model(alias: str, dated: str) -> None:
    assert Catalog().get(dated).alias == alias


def test_every_api_name_follows_the_id_rule_of_its_generation() -> None:
    for model in Catalog().models:
        assert model.api_names, model.alias
        first = model.api_names[0]
        if model.model_id.endswith("-v1:0"):
            assert model.model_id == f"anthropic.{first}-v1:0", model.alias
        else:
            assert model.model_id.removesuffix("-v1") == f"anthropic.{first}", model.alias


def test_request_facts_follow_their_sources() -> None:
    catalog = Catalog()
    # Opus 4.7 takes only adaptive thinking; 4.6 both; older models only extended thinking; Claude 3 neither.
    assert catalog.get("claude-opus-4-7").thinking_modes == {"adaptive"}
    assert catalog.get("claude-sonnet-4-6").thinking_modes == {"enabled", "adaptive"}
    assert catalog.get("claude-sonnet-4-5").thinking_modes == {"enabled"}
    assert catalog.get("claude-3-5-haiku").thinking_modes == set()
    # temperature with top_p: refused from Sonnet 4.5 and Haiku 4.5 on, not on the older models AWS exempts;
    # Opus 4.7 and 4.8 take none of temperature, top_p, top_k.
    sampling = {m.alias: m.sampling for m in catalog.models}
    assert {sampling[a] for a in ("claude-sonnet-4-5", "claude-haiku-4-5", "claude-sonnet-4-6")} == {
        "temperature_or_top_p"
    }
    assert {sampling[a] for a in ("claude-opus-4-1", "claude-opus-4", "claude-sonnet-4")} == {"any"}
    assert {sampling[a] for a in ("claude-opus-4-7", "claude-opus-4-8")} == {"fixed"}
    # Maximum output as the AWS cards print it (Sonnet 4.6: 64K on its card, 128K on Anthropic's pages).
    assert [catalog.get(a).max_output_tokens for a in ("claude-haiku-4-5", "claude-opus-4-7", "claude-sonnet-4-6")] == [
        64_000,
        128_000,
        64_000,
    ]
    # CountTokens on bedrock-runtime: the cards of Opus 4.7 and the models that launched cross-Region only lack it;
    # Opus 4.6's card lists it among its bedrock-runtime features.
    assert not {m.alias for m in catalog.models if m.count_tokens} & {
        "claude-opus-4-8",
        "claude-opus-4-7",
        "claude-opus-4-5",
    }
    assert catalog.get("claude-opus-4-6").count_tokens
