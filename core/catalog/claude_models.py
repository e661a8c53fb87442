"""The Claude models Bedrock offers, newest first: the catalog's data (the types are in `core.catalog.models`).

Every fact is read from AWS first: the model's card in the Amazon Bedrock user guide ("Model cards", one page per
model, https://docs.aws.amazon.com/bedrock/latest/userguide/model-card-anthropic-claude-<model>.html: Regions,
endpoints, context, output, product ID, lifecycle, data retention, access), "Supported Regions and models for
inference profiles", "Model lifecycle (Legacy)", "Adaptive thinking", "Data retention" and "Regional availability by
models". Where Anthropic's pages and AWS's card disagree about Bedrock, the card wins (Anthropic's own table lists
`jp` and `apac` for Opus 4.6, and no `jp` for Haiku 4.5; the cards do not). Anthropic's pages supply the request
facts AWS does not publish: API names ("Model IDs and versions"), thinking modes ("Adaptive thinking" on both
sites), sampling rules ("What's new in Claude Opus 4.7", the migration guides of each model), API versions
("Versions"), the regional premium (core.catalog.pricing). A model or a Region no AWS page confirms is left out
rather than guessed: `python app.py catalog-check` compares this data with what an account's Bedrock says, and
`--propose` prints the entry of a model the account offers that is missing here.

Left out on 2026-12-07, each still reachable through `extra_models` (which takes `profiles`):
- Claude Fable 5.2: its card's header is readable (launched 2026-11-09, EOL no sooner than 2027-11-09, product
  prod-m733do2vrmi3o) but not its Bedrock model ID, profiles, endpoints or Regions. Third parties claim
  `anthropic.claude-fable-5-2` with `us.` and `global.` profiles on bedrock-runtime only, requiring `aws_review`
  (the release notes of vercel/ai's @ai-sdk/amazon-bedrock 3.0.145 and of slopus/happy-agent v2026.11.4): not
  encoded.
- The geographic profiles whose cards print their source Regions but not where each source routes: `us` of Fable 5,
  Fable 5.1 and Mythos 5.1; `us`, `eu` and `au` of Opus 5. IAM grants each destination of a geographic profile
  exactly, so a profile without its destinations cannot be granted; their global profiles are in.

Choices where sources differ, each a reviewer might question:
- Two AWS pages disagree on three rows (the "Regional availability by models" page marks Opus 4.7 and Opus 4.6 as
  Geo sources in ap-southeast-6 and Opus 4.6 as a global source there; their cards do not): the card wins.
- Sonnet 4.6's maximum output is 64K on its AWS card and 128K on Anthropic's pages: the card wins on Bedrock.
- Sampling on Opus 4.7 and 4.8: "setting temperature, top_p, or top_k to any non-default value will return a 400
  error" (Anthropic's Opus 4.7 and 4.8 migration notes; Bedrock answers "`temperature` is deprecated for this
  model"): `fixed`. Sonnet 4.5 and Haiku 4.5 take temperature or top_p, not both (Bedrock "Request and Response":
  "This does not apply to any older models"); the 4.x models after them keep that rule (Anthropic "Migration guide").
  The 5.x cards print no sampling line except Fable's and Mythos's (`near_default`, `near_default_one_of`); Sonnet 5
  (translated from the zh-CN copy of "Migrating to Claude Sonnet 5": non-default temperature, top_p or top_k return
  a 400 error), Haiku 5.5 ("remove temperature, top_p and
  top_k") and Opus 5 (no breaking change from Opus 4.8 besides thinking) follow Anthropic's migration guides:
  `fixed`. No page read states Opus 5.5's or Sonnet 5.5's rule: `any`, Bedrock decides.
- CountTokens on bedrock-runtime: the cards list it per model ("Features supported using bedrock-runtime"); models
  that launched cross-Region only do not have it there (Bedrock "Count tokens": count them on bedrock-mantle).
- Thinking turned off (`thinking_off`): Bedrock's "Adaptive thinking" page says Opus 4.7, Opus 5 and Haiku 5.5 take
  `disabled`, and Fable 5, 5.1, Mythos 5 and 5.1 refuse it; Opus 5.5's card says "always on and cannot be
  disabled". Sonnet 5's card says it cannot be disabled while the same page says it can: unknown, Bedrock decides.
- Sonnet 5's routing tables are those of its card before the card replaced them with one sentence per geography
  ("Keeps data within US and Canada regions"); "if an inference profile is tied to a geography [...], its
  destination Region list will never change" (Bedrock "Supported Regions and models for inference profiles"). Its
  card's summary marks ap-southeast-2 as no Geo source while its `au` table lists it: the table wins.
- Fable 5's data retention: an earlier copy of its card asks for `provider_data_share`, the later card and the
  "Data retention" page for `aws_review` ("Claude Fable 5 and Claude Fable 5.1 require human review (allowed_modes:
  ["aws_review", "provider_data_share"])"): the page wins. Mythos 5 and 5.1: `provider_data_share`, as printed.
- Lifecycle: "For Amazon Bedrock usage, only the dates on the model card apply" (Bedrock "Model lifecycle"). Sonnet
  4.5's card says Active, "No sooner than 9/29/2026"; the legacy and end-of-life dates the catalog had (2026-10-08,
  2027-04-08) are on no AWS page read, so they are gone. Claude 3 Opus is on no AWS lifecycle page (Anthropic
  deprecated it on 2025-06-30): its lifecycle is unconfirmed and synthesis refuses it.
- The 1M-token context beta ended on 2026-04-30 (Anthropic release notes: "requests that exceed the standard
  200k-token context window will return an error"): Sonnet 4.5 and Sonnet 4 have 200K windows.
"""

from __future__ import annotations

from datetime import date

from core.catalog.apis import CLAUDE_4_7_AND_LATER
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
from core.data_retention.modes import DataRetentionMode

CHECKED = date(2026, 11, 25)
RECHECKED = date(2026, 12, 7)  # the 5.x models, and the facts corrected that day
RUNTIME_AND_MANTLE = frozenset({RUNTIME_API, MANTLE_API})
MANTLE_ONLY = frozenset({MANTLE_API})
# "Regional endpoints include a 10% pricing premium over global endpoints. This applies to Claude Sonnet 4.5 and
# future models only" (core.catalog.pricing).
PREMIUM = 10
# Data retention modes a model requiring human review runs under ("Data retention": "allowed_modes: ["aws_review",
# "provider_data_share"]"), and those of a model whose card asks for provider data sharing.
AWS_REVIEW: frozenset[DataRetentionMode] = frozenset({"aws_review", "provider_data_share"})
PROVIDER_DATA_SHARE: frozenset[DataRetentionMode] = frozenset({"provider_data_share"})


def fanout(destinations: tuple[str, ...], adds_itself: tuple[str, ...] = ()) -> dict[str, tuple[str, ...]]:
    """A card's table where each destination is also a source routing to all of them, and each Region of
    `adds_itself` is a source routing to them and to itself."""
    table = {source: destinations for source in destinations}
    return table | {source: tuple(sorted((*destinations, source))) for source in adds_itself}


def card(slug: str, *more: str, checked: date = CHECKED) -> Citation:
    return Citation((f"AWS model card {slug}", *more), checked)


def launched(on: date, *, not_before: date | None = None, legacy_period: str | None = None) -> Lifecycle:
    """An active model as its card gives it: launch date, "EOL no sooner than", "Legacy period"."""
    return Lifecycle(launched_on=on, end_of_life_not_before=not_before, legacy_period=legacy_period)


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

# The scopes and tables of Opus 4.7's card, which the cards of Opus 4.8, Opus 5.5 and Haiku 5.5 print too.
OPUS_47_PROFILES = (
    global_profile(GLOBAL33),
    geographic_profile("us", US_CANADA_BOTH),
    geographic_profile("eu", EU_ZURICH_LONDON),
    geographic_profile("jp", JP),
    geographic_profile("au", AU),
)
GLOBAL_ONLY = (global_profile(GLOBAL33),)  # cards whose geographic tables give no destinations (module docstring)

FIVE_X_MODELS: tuple[ClaudeModel, ...] = (
    ClaudeModel(
        "claude-haiku-5-5",
        "Claude Haiku 5.5",
        "anthropic.claude-haiku-5-5",
        OPUS_47_PROFILES,
        lifecycle=launched(date(2026, 10, 7), not_before=date(2027, 10, 7), legacy_period="6 months"),
        context_window=1_000_000,
        endpoints=RUNTIME_AND_MANTLE,
        marketplace_product_id="prod-6cyn7tgqazjhu",
        api_names=("claude-haiku-5-5",),
        max_output_tokens=128_000,
        thinking_modes=ADAPTIVE_ONLY,
        sampling="fixed",
        thinking_off=True,
        effort_default="medium",
        api_versions=CLAUDE_4_7_AND_LATER,
        regional_premium_percent=PREMIUM,
        citation=card(
            "claude-haiku-5-5",
            "Bedrock: Adaptive thinking",
            "Anthropic: Migration guide to Claude Haiku 5.5",
            checked=RECHECKED,
        ),
    ),
    ClaudeModel(
        "claude-sonnet-5-5",
        "Claude Sonnet 5.5",
        "anthropic.claude-sonnet-5-5",
        (
            global_profile(GLOBAL33),
            geographic_profile("us", US_CANADA_BOTH),
            geographic_profile("eu", EU_ZURICH_LONDON),
        ),
        lifecycle=launched(date(2026, 9, 28), not_before=date(2027, 9, 28), legacy_period="6 months"),
        context_window=1_000_000,
        endpoints=RUNTIME_AND_MANTLE,
        marketplace_product_id="prod-pjfguoisodbd6",
        api_names=("claude-sonnet-5-5",),
        max_output_tokens=128_000,
        # "adaptive thinking is on by default": whether `enabled` or `disabled` is taken, no page read says.
        effort_default="high",
        api_versions=CLAUDE_4_7_AND_LATER,
        regional_premium_percent=PREMIUM,
        citation=card("claude-sonnet-5-5", checked=RECHECKED),
    ),
    ClaudeModel(
        "claude-opus-5-5",
        "Claude Opus 5.5",
        "anthropic.claude-opus-5-5",
        OPUS_47_PROFILES,
        lifecycle=launched(date(2026, 9, 22), not_before=date(2027, 9, 22), legacy_period="6 months"),
        context_window=1_000_000,
        endpoints=RUNTIME_AND_MANTLE,
        marketplace_product_id="prod-e5xo6z26ie45g",
        api_names=("claude-opus-5-5",),
        max_output_tokens=128_000,
        thinking_modes=ADAPTIVE_ONLY,  # "adaptive thinking is always on and cannot be disabled"
        thinking_off=False,
        effort_default="medium",
        api_versions=CLAUDE_4_7_AND_LATER,
        regional_premium_percent=PREMIUM,
        citation=card("claude-opus-5-5", checked=RECHECKED),
    ),
    ClaudeModel(
        "claude-fable-5-1",
        "Claude Fable 5.1",
        "anthropic.claude-fable-5-1",
        GLOBAL_ONLY,
        lifecycle=launched(date(2026, 9, 1)),
        context_window=1_000_000,
        endpoints=RUNTIME_AND_MANTLE,
        marketplace_product_id="prod-lt3y75wunrtv4",
        api_names=("claude-fable-5-1",),
        max_output_tokens=128_000,
        thinking_modes=ADAPTIVE_ONLY,
        sampling="near_default_one_of",
        thinking_off=False,
        effort_default="high",
        api_versions=CLAUDE_4_7_AND_LATER,
        retention_modes=AWS_REVIEW,
        regional_premium_percent=PREMIUM,
        citation=card("claude-fable-5-1", "Bedrock: Adaptive thinking", "Bedrock: Data retention", checked=RECHECKED),
    ),
    ClaudeModel(
        "claude-mythos-5-1",
        "Claude Mythos 5.1",
        "anthropic.claude-mythos-5-1",
        GLOBAL_ONLY,
        lifecycle=launched(date(2026, 9, 1)),
        context_window=1_000_000,
        marketplace_product_id="prod-k24dbcuykobku",
        api_names=("claude-mythos-5-1",),
        max_output_tokens=128_000,
        thinking_modes=ADAPTIVE_ONLY,
        sampling="near_default_one_of",
        thinking_off=False,
        effort_default="high",
        api_versions=CLAUDE_4_7_AND_LATER,
        retention_modes=PROVIDER_DATA_SHARE,
        # "Access is currently gated to a vetted set of organizations through Anthropic's trusted access programs"
        gated=True,
        regional_premium_percent=PREMIUM,
        citation=card("claude-mythos-5-1", "Bedrock: Adaptive thinking", checked=RECHECKED),
    ),
    ClaudeModel(
        "claude-opus-5",
        "Claude Opus 5",
        "anthropic.claude-opus-5",
        GLOBAL_ONLY,
        lifecycle=launched(date(2026, 7, 24)),
        context_window=1_000_000,
        endpoints=RUNTIME_AND_MANTLE,
        marketplace_product_id="prod-if5d653ow7ehg",
        api_names=("claude-opus-5",),
        max_output_tokens=128_000,
        # "on by default; can be disabled but effort is capped at high"; whether `enabled` is taken: not said.
        sampling="fixed",
        thinking_off=True,
        api_versions=CLAUDE_4_7_AND_LATER,
        regional_premium_percent=PREMIUM,
        citation=card(
            "claude-opus-5", "Bedrock: Adaptive thinking", "Anthropic: Migrating to Claude Opus 5", checked=RECHECKED
        ),
    ),
    ClaudeModel(
        "claude-sonnet-5",
        "Claude Sonnet 5",
        "anthropic.claude-sonnet-5",
        (
            global_profile(GLOBAL33),
            geographic_profile("us", US_CANADA_BOTH),
            geographic_profile("eu", EU_ZURICH_LONDON),
            geographic_profile("au", AU),
        ),
        lifecycle=launched(date(2026, 6, 30)),
        context_window=1_000_000,
        endpoints=RUNTIME_AND_MANTLE,
        marketplace_product_id="prod-4ezhkeia6k2cs",
        api_names=("claude-sonnet-5",),
        max_output_tokens=128_000,
        # "`thinking.type: "enabled"` with `budget_tokens` is not supported on Claude Sonnet 5" (Adaptive thinking)
        thinking_modes=ADAPTIVE_ONLY,
        sampling="fixed",
        api_versions=CLAUDE_4_7_AND_LATER,
        regional_premium_percent=PREMIUM,
        citation=card(
            "claude-sonnet-5",
            "Bedrock: Adaptive thinking",
            "Anthropic: Migrating to Claude Sonnet 5",
            checked=RECHECKED,
        ),
    ),
    ClaudeModel(
        "claude-fable-5",
        "Claude Fable 5",
        "anthropic.claude-fable-5",
        GLOBAL_ONLY,
        lifecycle=launched(date(2026, 6, 9)),
        context_window=1_000_000,
        endpoints=RUNTIME_AND_MANTLE,
        marketplace_product_id="prod-h6swdfybvty7y",
        api_names=("claude-fable-5",),
        max_output_tokens=128_000,
        thinking_modes=ADAPTIVE_ONLY,
        sampling="near_default",
        count_tokens=True,
        thinking_off=False,
        api_versions=CLAUDE_4_7_AND_LATER,
        retention_modes=AWS_REVIEW,
        regional_premium_percent=PREMIUM,
        citation=card("claude-fable-5", "Bedrock: Adaptive thinking", "Bedrock: Data retention", checked=RECHECKED),
    ),
    ClaudeModel(
        "claude-mythos-5",
        "Claude Mythos 5",
        "anthropic.claude-mythos-5",
        (),  # served in-Region on bedrock-mantle in us-east-1 only: no inference profile
        lifecycle=launched(date(2026, 6, 9)),
        context_window=1_000_000,
        endpoints=MANTLE_ONLY,
        marketplace_product_id="prod-kyryzgfmbtwtc",
        api_names=("claude-mythos-5",),
        max_output_tokens=128_000,
        thinking_modes=ADAPTIVE_ONLY,
        sampling="near_default",
        thinking_off=False,
        api_versions=(),  # no InvokeModel: bedrock-mantle serves the Messages API only
        retention_modes=PROVIDER_DATA_SHARE,
        gated=True,  # "Access is currently limited due to the dual-use nature of these domains."
        regional_premium_percent=PREMIUM,
        citation=card("claude-mythos-5", "Bedrock: Adaptive thinking", checked=RECHECKED),
    ),
)

# Mythos Preview sits between Opus 4.7 and Sonnet 4.6 by launch date.
MYTHOS_PREVIEW = ClaudeModel(
    "claude-mythos-preview",
    "Claude Mythos Preview",
    "anthropic.claude-mythos-preview",
    (),  # in-Region on bedrock-mantle in us-east-1 and ap-southeast-4: no inference profile
    lifecycle=launched(date(2026, 4, 7)),  # "Model lifecycle: Preview"
    context_window=1_000_000,
    endpoints=MANTLE_ONLY,
    api_names=("claude-mythos-preview",),
    max_output_tokens=128_000,
    thinking_modes=ADAPTIVE_ONLY,  # "Reasoning: Supported (`thinking.type: "adaptive"` only)"
    api_versions=(),
    # "Available only as a gated research preview"; Anthropic: "requires an invitation through Project Glasswing" and
    # "a dedicated AWS account that has been allowlisted by the Bedrock Marketplace team". No Marketplace product.
    gated=True,
    regional_premium_percent=PREMIUM,
    citation=card(
        "claude-mythos-preview", "Anthropic: Claude in Amazon Bedrock (Opus 4.7 and later)", checked=RECHECKED
    ),
)

BUILTIN_MODELS: tuple[ClaudeModel, ...] = (
    *FIVE_X_MODELS,
    ClaudeModel(
        "claude-opus-4-8",
        "Claude Opus 4.8",
        "anthropic.claude-opus-4-8",
        OPUS_47_PROFILES,
        lifecycle=launched(date(2026, 5, 28)),
        context_window=1_000_000,
        endpoints=RUNTIME_AND_MANTLE,
        marketplace_product_id="prod-bk5rjg4eo2pke",
        api_names=("claude-opus-4-8",),
        max_output_tokens=128_000,
        sampling="fixed",
        # Thinking modes: the AWS "Adaptive thinking" page does not list it; left to Bedrock.
        api_versions=CLAUDE_4_7_AND_LATER,
        regional_premium_percent=PREMIUM,
        citation=card("claude-opus-4-8", "Anthropic: Models overview, Migration guide", checked=RECHECKED),
    ),
    ClaudeModel(
        "claude-opus-4-7",
        "Claude Opus 4.7",
        "anthropic.claude-opus-4-7",
        OPUS_47_PROFILES,
        context_window=1_000_000,
        endpoints=RUNTIME_AND_MANTLE,
        lifecycle=launched(date(2026, 4, 16), not_before=date(2027, 4, 16), legacy_period="at least 6 months"),
        marketplace_product_id="prod-d2ik6zgct5hxi",
        api_names=("claude-opus-4-7",),
        max_output_tokens=128_000,
        thinking_modes=ADAPTIVE_ONLY,
        sampling="fixed",
        thinking_off=True,  # "Claude Opus 4.7 supports adaptive and disabled thinking" (Adaptive thinking)
        api_versions=CLAUDE_4_7_AND_LATER,
        regional_premium_percent=PREMIUM,
        citation=card(
            "claude-opus-4-7",
            "Bedrock: Adaptive thinking",
            "Anthropic: What's new in Claude Opus 4.7",
            checked=RECHECKED,
        ),
    ),
    MYTHOS_PREVIEW,
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
        regional_premium_percent=PREMIUM,
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
        lifecycle=launched(date(2026, 2, 5), not_before=date(2027, 2, 5), legacy_period="at least 6 months"),
        context_window=1_000_000,
        marketplace_product_id="prod-5ukwuglpt66kg",
        api_names=("claude-opus-4-6",),
        max_output_tokens=128_000,
        thinking_modes=BOTH,
        sampling="temperature_or_top_p",
        count_tokens=True,  # its card lists "Count tokens" among the bedrock-runtime features
        regional_premium_percent=PREMIUM,
        citation=card("claude-opus-4-6", "Bedrock: Adaptive thinking", checked=RECHECKED),
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
        regional_premium_percent=PREMIUM,
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
        # Its card: "Model EOL date: No sooner than 9/29/2026", "Model lifecycle: Active" (module docstring).
        lifecycle=launched(date(2025, 9, 30), not_before=date(2026, 9, 29)),
        marketplace_product_id="prod-mxcfnwvpd6kb4",
        api_names=("claude-sonnet-4-5-20250929", "claude-sonnet-4-5"),
        max_output_tokens=64_000,
        thinking_modes=EXTENDED,
        sampling="temperature_or_top_p",
        count_tokens=True,
        regional_premium_percent=PREMIUM,
        citation=card("claude-sonnet-4-5", "Bedrock: Model lifecycle", "Anthropic: release notes", checked=RECHECKED),
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
        lifecycle=launched(date(2025, 10, 16), not_before=date(2026, 10, 1)),  # "No sooner than 10/1/2026"
        endpoints=RUNTIME_AND_MANTLE,
        marketplace_product_id="prod-xdkflymybwmvi",
        api_names=("claude-haiku-4-5-20251001", "claude-haiku-4-5"),
        max_output_tokens=64_000,
        thinking_modes=EXTENDED,
        sampling="temperature_or_top_p",
        count_tokens=True,
        regional_premium_percent=PREMIUM,
        citation=card("claude-haiku-4-5", checked=RECHECKED),
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
        lifecycle=Lifecycle(legacy_on=date(2025, 10, 1), end_of_life_on=date(2026, 5, 31)),
        marketplace_product_id="prod-azycxvnd5mhqi",
        api_names=("claude-opus-4-20250514", "claude-opus-4-0"),
        max_output_tokens=32_000,
        thinking_modes=EXTENDED,
        count_tokens=True,
        citation=Citation(
            (
                "Bedrock: Supported Regions and models for inference profiles",
                "Bedrock: Model lifecycle",
                "Bedrock: Use product ID condition keys",
            ),
            RECHECKED,
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
        lifecycle=Lifecycle(legacy_on=date(2025, 12, 19), end_of_life_on=date(2026, 6, 19)),
        marketplace_product_id="prod-5oba7y7jpji56",
        api_names=("claude-3-5-haiku-20241022", "claude-3-5-haiku-latest"),
        max_output_tokens=8_192,
        thinking_modes=NO_THINKING,
        count_tokens=True,
        citation=card(
            "claude-3-5-haiku",
            "Bedrock: Supported Regions and models for inference profiles",
            "Bedrock: Model lifecycle",
            checked=RECHECKED,
        ),
    ),
    ClaudeModel(
        "claude-3-opus",
        "Claude Opus 3",
        "anthropic.claude-3-opus-20240229-v1:0",
        (geographic_profile("us", fanout(("us-east-1", "us-west-2"))),),
        # Deprecated by Anthropic on 2025-06-30; on no AWS lifecycle page (current or earlier copies): refused.
        lifecycle=Lifecycle(legacy_undated=True, unconfirmed=True),
        marketplace_product_id="prod-fm3feywmwerog",
        api_names=("claude-3-opus-20240229", "claude-3-opus-latest"),
        max_output_tokens=4_096,
        thinking_modes=NO_THINKING,
        citation=Citation(
            (
                "Bedrock: Supported Regions and models for inference profiles",
                "Bedrock: Use product ID condition keys",
            ),
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
