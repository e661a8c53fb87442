"""The Claude models Bedrock offers, newest first: the catalog's data (the types are in `core.catalog.models`).

Every fact is read from AWS first: the model's card in the Amazon Bedrock user guide ("Model cards", one page per
model: Regions, endpoints, context, output, product ID), "Supported Regions and models for inference profiles",
"Model lifecycle (Legacy)" and "Regional availability by models". Where Anthropic's pages and AWS's card disagree
about Bedrock, the card wins (Anthropic's own table lists `jp` and `apac` for Opus 4.6, and no `jp` for Haiku 4.5;
the cards do not). Anthropic's pages supply the request facts AWS does not publish: API names ("Model IDs and
versions"), thinking modes ("Adaptive thinking" on both sites), sampling rules ("What's new in Claude Opus 4.7",
"Migration guide"). A model or a Region no AWS page confirms is left out rather than guessed: `python app.py
catalog-check` compares this data with what an account's Bedrock says. Left out for that reason on 2026-11-25:
Sonnet 5, Opus 5, Opus 5.5, Sonnet 5.5, Haiku 5.5, Fable 5 to 5.2 and the Mythos models (AWS pages name them;
their cross-Region tables or Bedrock IDs could not be read), and Mythos Preview (in-Region in us-east-1 only, no
cross-Region profile, its endpoint unconfirmed).

Choices where sources differ, each a reviewer might question:
- Two AWS pages disagree on three rows (the "Regional availability by models" page marks Opus 4.7 and Opus 4.6 as
  Geo sources in ap-southeast-6 and Opus 4.6 as a global source there; their cards do not): the card wins.
- Sonnet 4.6's maximum output is 64K on its AWS card and 128K on Anthropic's pages: the card wins on Bedrock.
- Sampling on Opus 4.7 and 4.8: "setting temperature, top_p, or top_k to any non-default value will return a 400
  error" (Anthropic's Opus 4.7 and 4.8 migration notes; Bedrock answers "`temperature` is deprecated for this
  model"): `fixed`. Sonnet 4.5 and Haiku 4.5 take temperature or top_p, not both (Bedrock "Request and Response":
  "This does not apply to any older models"); the 4.x models after them keep that rule (Anthropic "Migration guide").
- CountTokens on bedrock-runtime: the cards list it per model ("Features supported using bedrock-runtime"); models
  that launched cross-Region only do not have it there (Bedrock "Count tokens": count them on bedrock-mantle).
- The 1M-token context beta ended on 2026-04-30 (Anthropic release notes: "requests that exceed the standard
  200k-token context window will return an error"): Sonnet 4.5 and Sonnet 4 have 200K windows.
"""

from __future__ import annotations

from datetime import date

from core.catalog.models import (
    ADAPTIVE_ONLY,
    BOTH,
    EXTENDED,
    MANTLE_API,
    NO_THINKING,
    RUNTIME_API,
    Citation,
    ClaudeModel,
    Lifecycle,
    geographic_profile,
    global_profile,
)

CHECKED = date(2026, 11, 25)
RUNTIME_AND_MANTLE = frozenset({RUNTIME_API, MANTLE_API})


def fanout(destinations: tuple[str, ...], adds_itself: tuple[str, ...] = ()) -> dict[str, tuple[str, ...]]:
    """A card's table where each destination is also a source routing to all of them, and each Region of
    `adds_itself` is a source routing to them and to itself."""
    table = {source: destinations for source in destinations}
    return table | {source: tuple(sorted((*destinations, source))) for source in adds_itself}


def card(slug: str, *more: str) -> Citation:
    return Citation((f"AWS model card {slug}", *more), CHECKED)


# Routing tables as the cards print them ("Geo inference details": Source Region | Destination Regions).
US3 = ("us-east-1", "us-east-2", "us-west-2")
US_CANADA_BOTH = fanout(US3, ("us-west-1", "ca-central-1", "ca-west-1"))  # Opus 4.6 and later, Sonnet 4.6
US_CANADA_CENTRAL = fanout(US3, ("us-west-1", "ca-central-1"))  # Sonnet 4.5, Haiku 4.5, Opus 4.5
US_WEST_1 = fanout(US3, ("us-west-1",))  # Sonnet 4
US_ONLY3 = fanout(US3)  # Opus 4.1, Opus 4, Sonnet 3.7, Haiku 3.5
EU6 = ("eu-central-1", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-3")
EU_ZURICH_LONDON = fanout(EU6, ("eu-central-2", "eu-west-2"))  # the 4.5 generation and later
EU_TEL_AVIV = fanout(EU6, ("il-central-1",))  # Sonnet 4
JP = fanout(("ap-northeast-1", "ap-northeast-3"))
AU = fanout(("ap-southeast-2", "ap-southeast-4"))
AU_NEW_ZEALAND = fanout(("ap-southeast-2", "ap-southeast-4"), ("ap-southeast-6",))  # Sonnet 4.6, Sonnet 4.5, Haiku 4.5
APAC8 = (
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-4",
)
# "Global inference details": the Regions the global profile is called from (it routes to any commercial Region).
GLOBAL33 = (
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "ca-west-1", "sa-east-1", "mx-central-1",
    "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
    "il-central-1", "me-central-1", "me-south-1", "af-south-1",
    "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1",
    "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
)  # fmt: skip
GLOBAL32 = tuple(r for r in GLOBAL33 if r != "ap-southeast-6")  # Opus 4.6's card
GLOBAL_SONNET_4 = ("us-east-1", "us-east-2", "us-west-2", "eu-west-1", "ap-northeast-1")

OPUS_47_PROFILES = (
    global_profile(GLOBAL33),
    geographic_profile("us", US_CANADA_BOTH),
    geographic_profile("eu", EU_ZURICH_LONDON),
    geographic_profile("jp", JP),
    geographic_profile("au", AU),
)

BUILTIN_MODELS: tuple[ClaudeModel, ...] = (
    ClaudeModel(
        "claude-opus-4-8",
        "Claude Opus 4.8",
        "anthropic.claude-opus-4-8",
        OPUS_47_PROFILES,  # the card's tables are Opus 4.7's
        context_window=1_000_000,
        endpoints=RUNTIME_AND_MANTLE,
        api_names=("claude-opus-4-8",),
        max_output_tokens=128_000,
        sampling="fixed",
        # Thinking modes: the AWS "Adaptive thinking" page does not list it; left to Bedrock. Marketplace product:
        # no AWS page seen (Subscribe stays unscoped when it is allowed).
        citation=card("claude-opus-4-8", "Anthropic: Models overview, Migration guide"),
    ),
    ClaudeModel(
        "claude-opus-4-7",
        "Claude Opus 4.7",
        "anthropic.claude-opus-4-7",
        OPUS_47_PROFILES,
        context_window=1_000_000,
        endpoints=RUNTIME_AND_MANTLE,
        marketplace_product_id="prod-d2ik6zgct5hxi",
        api_names=("claude-opus-4-7",),
        max_output_tokens=128_000,
        thinking_modes=ADAPTIVE_ONLY,
        sampling="fixed",
        citation=card("claude-opus-4-7", "Bedrock: Adaptive thinking", "Anthropic: What's new in Claude Opus 4.7"),
    ),
    ClaudeModel(
        "claude-sonnet-4-6",
        "Claude Sonnet 4.6",
        "anthropic.claude-sonnet-4-6",
        (
            global_profile(GLOBAL33),
            geographic_profile("us", US_CANADA_BOTH),
            geographic_profile("eu", EU_ZURICH_LONDON),
            geographic_profile("jp", JP),
            geographic_profile("au", AU_NEW_ZEALAND),
        ),
        context_window=1_000_000,
        marketplace_product_id="prod-ffvjxvh4ltq64",
        api_names=("claude-sonnet-4-6",),
        max_output_tokens=64_000,
        thinking_modes=BOTH,
        sampling="temperature_or_top_p",
        count_tokens=True,
        citation=card("claude-sonnet-4-6", "Bedrock: Adaptive thinking"),
    ),
    ClaudeModel(
        "claude-opus-4-6",
        "Claude Opus 4.6",
        "anthropic.claude-opus-4-6-v1",
        (
            global_profile(GLOBAL32),
            geographic_profile("us", US_CANADA_BOTH),
            geographic_profile("eu", EU_ZURICH_LONDON),
            geographic_profile("au", AU),
        ),
        context_window=1_000_000,
        marketplace_product_id="prod-5ukwuglpt66kg",
        api_names=("claude-opus-4-6",),
        max_output_tokens=128_000,
        thinking_modes=BOTH,
        sampling="temperature_or_top_p",
        citation=card("claude-opus-4-6", "Bedrock: Adaptive thinking"),
    ),
    ClaudeModel(
        "claude-opus-4-5",
        "Claude Opus 4.5",
        "anthropic.claude-opus-4-5-20251101-v1:0",
        (
            global_profile(GLOBAL33),
            geographic_profile("us", US_CANADA_CENTRAL),
            geographic_profile("eu", EU_ZURICH_LONDON),
        ),
        marketplace_product_id="prod-jhuafngbly644",
        api_names=("claude-opus-4-5-20251101", "claude-opus-4-5"),
        max_output_tokens=64_000,
        thinking_modes=EXTENDED,
        sampling="temperature_or_top_p",
        citation=Citation(
            (
                "Bedrock: Supported Regions and models for inference profiles",
                "Bedrock: Regional availability by models",
                "Bedrock: Use product ID condition keys",
            ),
            CHECKED,
        ),
    ),
    ClaudeModel(
        "claude-sonnet-4-5",
        "Claude Sonnet 4.5",
        "anthropic.claude-sonnet-4-5-20250929-v1:0",
        (
            global_profile(GLOBAL33),
            geographic_profile("us", US_CANADA_CENTRAL),
            geographic_profile("eu", EU_ZURICH_LONDON),
            geographic_profile("jp", JP),
            geographic_profile("au", AU_NEW_ZEALAND),
        ),
        lifecycle=Lifecycle(legacy_on=date(2026, 10, 8), end_of_life_on=date(2027, 4, 8)),
        marketplace_product_id="prod-mxcfnwvpd6kb4",
        api_names=("claude-sonnet-4-5-20250929", "claude-sonnet-4-5"),
        max_output_tokens=64_000,
        thinking_modes=EXTENDED,
        sampling="temperature_or_top_p",
        count_tokens=True,
        citation=card("claude-sonnet-4-5", "Bedrock: Model lifecycle (Legacy)", "Anthropic: release notes"),
    ),
    ClaudeModel(
        "claude-haiku-4-5",
        "Claude Haiku 4.5",
        "anthropic.claude-haiku-4-5-20251001-v1:0",
        (
            global_profile(GLOBAL33),
            geographic_profile("us", US_CANADA_CENTRAL),
            geographic_profile("eu", EU_ZURICH_LONDON),
            geographic_profile("jp", JP),
            geographic_profile("au", AU_NEW_ZEALAND),
        ),
        marketplace_product_id="prod-xdkflymybwmvi",
        api_names=("claude-haiku-4-5-20251001", "claude-haiku-4-5"),
        max_output_tokens=64_000,
        thinking_modes=EXTENDED,
        sampling="temperature_or_top_p",
        count_tokens=True,
        citation=card("claude-haiku-4-5"),
    ),
    ClaudeModel(
        "claude-opus-4-1",
        "Claude Opus 4.1",
        "anthropic.claude-opus-4-1-20250805-v1:0",
        (geographic_profile("us", US_ONLY3),),
        lifecycle=Lifecycle(legacy_on=date(2026, 7, 8), end_of_life_on=date(2027, 1, 8)),
        marketplace_product_id="prod-w3q2d6rfge4tw",
        api_names=("claude-opus-4-1-20250805", "claude-opus-4-1"),
        max_output_tokens=32_000,
        thinking_modes=EXTENDED,
        citation=card("claude-opus-4-1", "Bedrock: Model lifecycle (Legacy)"),
    ),
    ClaudeModel(
        "claude-opus-4",
        "Claude Opus 4",
        "anthropic.claude-opus-4-20250514-v1:0",
        (geographic_profile("us", US_ONLY3),),
        lifecycle=Lifecycle(legacy_undated=True, end_of_life_on=date(2026, 5, 31)),
        marketplace_product_id="prod-azycxvnd5mhqi",
        api_names=("claude-opus-4-20250514", "claude-opus-4-0"),
        max_output_tokens=32_000,
        thinking_modes=EXTENDED,
        count_tokens=True,
        citation=Citation(
            (
                "Bedrock: Supported Regions and models for inference profiles",
                "Bedrock: Model lifecycle (Legacy)",
                "Bedrock: Use product ID condition keys",
            ),
            CHECKED,
        ),
    ),
    ClaudeModel(
        "claude-sonnet-4",
        "Claude Sonnet 4",
        "anthropic.claude-sonnet-4-20250514-v1:0",
        (
            global_profile(GLOBAL_SONNET_4),
            geographic_profile("us", US_WEST_1),
            geographic_profile("eu", EU_TEL_AVIV),
            geographic_profile("apac", {source: APAC8 for source in APAC8[:7]}),
        ),
        lifecycle=Lifecycle(legacy_on=date(2026, 4, 14), end_of_life_on=date(2026, 10, 14)),
        marketplace_product_id="prod-4pmewlybdftbs",
        api_names=("claude-sonnet-4-20250514", "claude-sonnet-4-0"),
        max_output_tokens=64_000,
        thinking_modes=EXTENDED,
        count_tokens=True,
        citation=card("claude-sonnet-4", "Bedrock: Model lifecycle (Legacy)"),
    ),
    ClaudeModel(
        "claude-3-7-sonnet",
        "Claude Sonnet 3.7",
        "anthropic.claude-3-7-sonnet-20250219-v1:0",
        (
            geographic_profile("us", US_ONLY3),
            geographic_profile("eu", fanout(("eu-central-1", "eu-north-1", "eu-west-1", "eu-west-3"))),
            geographic_profile("apac", fanout(APAC8[:7])),
        ),
        lifecycle=Lifecycle(legacy_undated=True, end_of_life_on=date(2026, 4, 28)),
        marketplace_product_id="prod-4dlfvry4v5hbi",
        api_names=("claude-3-7-sonnet-20250219", "claude-3-7-sonnet-latest"),
        max_output_tokens=128_000,  # 64K; 128K with the beta flag output-128k-2025-02-19
        thinking_modes=EXTENDED,
        count_tokens=True,
        citation=Citation(
            ("Bedrock: Supported Regions and models for inference profiles", "Bedrock: Model lifecycle (Legacy)"),
            CHECKED,
        ),
    ),
    ClaudeModel(
        "claude-3-5-haiku",
        "Claude Haiku 3.5",
        "anthropic.claude-3-5-haiku-20241022-v1:0",
        (geographic_profile("us", US_ONLY3),),
        lifecycle=Lifecycle(legacy_undated=True, end_of_life_on=date(2026, 6, 19)),
        marketplace_product_id="prod-5oba7y7jpji56",
        api_names=("claude-3-5-haiku-20241022", "claude-3-5-haiku-latest"),
        max_output_tokens=8_192,
        thinking_modes=NO_THINKING,
        count_tokens=True,
        citation=card("claude-3-5-haiku", "Bedrock: Supported Regions and models for inference profiles"),
    ),
    ClaudeModel(
        "claude-3-opus",
        "Claude Opus 3",
        "anthropic.claude-3-opus-20240229-v1:0",
        (geographic_profile("us", fanout(("us-east-1", "us-west-2"))),),
        # Deprecated by Anthropic on 2025-06-30; no Bedrock end-of-life date seen on an AWS page.
        lifecycle=Lifecycle(legacy_undated=True),
        marketplace_product_id="prod-fm3feywmwerog",
        api_names=("claude-3-opus-20240229", "claude-3-opus-latest"),
        max_output_tokens=4_096,
        thinking_modes=NO_THINKING,
        citation=Citation(
            ("Bedrock: Supported Regions and models for inference profiles", "Bedrock: Use product ID condition keys"),
            CHECKED,
        ),
    ),
    ClaudeModel(
        "claude-3-haiku",
        "Claude Haiku 3",
        "anthropic.claude-3-haiku-20240307-v1:0",
        (
            geographic_profile(
                "us",
                {
                    "us-east-1": ("us-east-1", "us-west-2"),
                    "us-east-2": US3,
                    "us-west-2": ("us-east-1", "us-west-2"),
                },
            ),
            geographic_profile("eu", fanout(("eu-central-1", "eu-west-1", "eu-west-3"))),
        ),
        lifecycle=Lifecycle(legacy_on=date(2026, 3, 10), end_of_life_on=date(2026, 9, 10)),
        marketplace_product_id="prod-ozonys2hmmpeu",
        api_names=("claude-3-haiku-20240307",),
        max_output_tokens=4_096,
        thinking_modes=NO_THINKING,
        count_tokens=True,
        citation=card("claude-3-haiku", "Bedrock: Model lifecycle (Legacy)"),
    ),
)
