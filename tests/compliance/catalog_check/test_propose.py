"""`catalog-check --propose` against a stubbed Bedrock control plane: the entries it prints are Python the catalog
takes, one per Claude model the account offers that the catalog lacks or describes differently, and nothing for the
models it describes as the account does.

The account is this test's data: Haiku 5.5 routed as its card prints it (US: from us-east-1 to us-east-1, us-east-2,
us-west-2), Opus 5 with a `us` profile whose routing its card does not print (the catalog has only its global
profile), a Claude model the catalog lacks, Sonnet 4.5 LEGACY (its card: Active), Opus 4.1 LEGACY with the
end-of-life date of "Model lifecycle (Legacy)" (2027-01-08), and a LEGACY model the catalog dropped.
"""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from compliance.catalog_check.command import run
from compliance.catalog_check.propose import run_propose
from compliance.command import Options, Settings
from core.catalog.claude_models import card
from core.catalog.lookup import Catalog
from core.catalog.models import Citation, ClaudeModel, Lifecycle, geographic_profile, global_profile
from core.config import load_config
from tests.support.bedrock_control_plane import RegionAccount, StubbedBedrock

TODAY = date(2026, 12, 7)
US3 = ("us-east-1", "us-east-2", "us-west-2")
NEXT = "anthropic.claude-fable-9"  # this test's invention
SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
# The geographic Claude profiles, in the order the command reads them (sorted by ID).
GEOGRAPHIC = (
    f"us.{NEXT}",
    "us.anthropic.claude-haiku-5-5",
    f"us.{OPUS_41}",
    "us.anthropic.claude-opus-5",
    f"us.{SONNET_45}",
)


def account() -> RegionAccount:
    return RegionAccount(
        profiles={
            "us.amazon.nova-pro-v1:0": ("amazon.nova-pro-v1:0", US3),
            "global.anthropic.claude-haiku-5-5": ("anthropic.claude-haiku-5-5", ("us-east-1",)),
            "us.anthropic.claude-haiku-5-5": ("anthropic.claude-haiku-5-5", US3),
            "global.anthropic.claude-opus-5": ("anthropic.claude-opus-5", ("us-east-1",)),
            "us.anthropic.claude-opus-5": ("anthropic.claude-opus-5", US3),
            f"global.{NEXT}": (NEXT, ("us-east-1",)),
            f"us.{NEXT}": (NEXT, ("us-east-1", "us-east-2")),
            "global.anthropic.claude-sonnet-4-5-20250929-v1:0": (SONNET_45, ("us-east-1",)),
            "us.anthropic.claude-sonnet-4-5-20250929-v1:0": (SONNET_45, US3),
            "us.anthropic.claude-opus-4-1-20250805-v1:0": (OPUS_41, US3),
        },
        models={
            "anthropic.claude-haiku-5-5": "ACTIVE",
            "anthropic.claude-opus-5": "ACTIVE",
            NEXT: "ACTIVE",
            SONNET_45: "LEGACY",
            OPUS_41: "LEGACY",
            "anthropic.claude-3-5-sonnet-20240620-v1:0": "LEGACY",
        },
        end_of_life={OPUS_41: datetime(2027, 1, 8, tzinfo=UTC)},
        page_size=3,
    )


def propose(accounts: dict[str, RegionAccount]) -> tuple[str, list[str]]:
    bedrock = StubbedBedrock(accounts, routed=GEOGRAPHIC)
    text, failures = run_propose(Catalog(), tuple(accounts), bedrock, TODAY)
    bedrock.assert_no_pending_responses()
    return text, failures


def entries(text: str) -> dict[str, ClaudeModel]:
    """The printed entries, evaluated as claude_models.py would evaluate them."""
    names: dict[str, Any] = {
        "ClaudeModel": ClaudeModel,
        "Lifecycle": Lifecycle,
        "Citation": Citation,
        "global_profile": global_profile,
        "geographic_profile": geographic_profile,
        "card": card,
        "date": date,
    }
    exec(f"ENTRIES = (\n{text}\n)", names)
    return {model.model_id: model for model in names["ENTRIES"]}


def test_only_the_models_the_catalog_lacks_or_describes_differently_are_proposed() -> None:
    text, failures = propose({"us-east-1": account()})
    assert failures == []
    assert text.startswith("# 3 entries for core/catalog/claude_models.py, from us-east-1: check each against")
    proposed = entries(text)
    # Haiku 5.5 (as its card), Opus 4.1 (as "Model lifecycle (Legacy)"), the dropped 3.5 Sonnet and Amazon's model:
    # nothing.
    assert set(proposed) == {"anthropic.claude-opus-5", NEXT, SONNET_45}


def test_a_catalog_model_keeps_every_fact_and_gains_the_profile_the_account_routes() -> None:
    proposed = entries(propose({"us-east-1": account()})[0])
    opus = Catalog().get("claude-opus-5")
    us = geographic_profile("us", {"us-east-1": US3})
    assert proposed["anthropic.claude-opus-5"] == replace(opus, profiles=(*opus.profiles, us))
    # LEGACY in the account, Active on the catalog's reading of its card: proposed legacy, its date to look up.
    sonnet = Catalog().get("claude-sonnet-4-5")
    legacy = replace(sonnet.lifecycle, legacy_undated=True)
    assert proposed[SONNET_45] == replace(sonnet, lifecycle=legacy)


def test_a_model_the_catalog_lacks_gets_the_regions_read_and_todo_for_the_rest() -> None:
    text = propose({"us-east-1": account()})[0]
    new = entries(text)[NEXT]
    assert (new.alias, new.name) == ("claude-fable-9", "Claude Fable 9")
    assert new.profiles == (
        global_profile(("us-east-1",)),
        geographic_profile("us", {"us-east-1": ("us-east-1", "us-east-2")}),
    )
    assert new.lifecycle == Lifecycle()
    for fact in ("context_window", "marketplace_product_id", "sampling", "retention_modes", "gated"):
        assert getattr(new, fact) is Ellipsis
        assert f"        {fact}=...,  # TODO " in text


def test_a_source_region_the_account_does_not_offer_the_profile_from_is_dropped() -> None:
    # us-east-2 offers Haiku 5.5 globally only: its us row goes, the rest of the card's table stays.
    east2 = RegionAccount(
        profiles={"global.anthropic.claude-haiku-5-5": ("anthropic.claude-haiku-5-5", ("us-east-2",))},
        models={"anthropic.claude-haiku-5-5": "ACTIVE"},
    )
    haiku = entries(propose({"us-east-2": east2})[0])["anthropic.claude-haiku-5-5"]
    us = haiku.profile("us")
    assert us is not None and "us-east-2" not in us.sources
    assert set(us.sources) == {"us-east-1", "us-west-1", "us-west-2", "ca-central-1", "ca-west-1"}
    assert haiku.profile("jp") == Catalog().get("claude-haiku-5-5").profile("jp")


def test_nothing_to_propose_says_so() -> None:
    quiet = RegionAccount(
        profiles={"us.anthropic.claude-haiku-5-5": ("anthropic.claude-haiku-5-5", US3)},
        models={"anthropic.claude-haiku-5-5": "ACTIVE"},
    )
    quiet.profiles["global.anthropic.claude-haiku-5-5"] = ("anthropic.claude-haiku-5-5", ("us-east-1",))
    text, _ = propose({"us-east-1": quiet})
    assert text == "# The catalog describes every Claude model offered from us-east-1 as the account does.\n"


def _settings() -> Settings:
    config = load_config({"regions": ["us-east-1"]}, today=TODAY)
    return Settings(config, {}, ())


def test_the_command_prints_the_proposals_and_exits_0_or_1_when_a_read_failed() -> None:
    out, err = io.StringIO(), io.StringIO()
    bedrock = StubbedBedrock({"us-east-1": account()}, routed=GEOGRAPHIC)
    with redirect_stdout(out), redirect_stderr(err):
        assert run(_settings(), Options(frozenset({"--propose"})), session=bedrock) == 0
    assert out.getvalue().startswith("# 3 entries") and err.getvalue() == ""
    denied = account()
    denied.denied.add("bedrock:GetInferenceProfile")
    out, err = io.StringIO(), io.StringIO()
    bedrock = StubbedBedrock({"us-east-1": denied}, routed=GEOGRAPHIC)
    with redirect_stdout(out), redirect_stderr(err):
        assert run(_settings(), Options(frozenset({"--propose"})), session=bedrock) == 1
    assert err.getvalue().startswith("Cannot read bedrock:GetInferenceProfile in us-east-1: AccessDeniedException")


@pytest.mark.parametrize("flags", [{"--propose", "--json"}])
def test_propose_takes_no_json(flags: set[str]) -> None:
    err = io.StringIO()
    with redirect_stderr(err):
        assert run(_settings(), Options(frozenset(flags)), session=StubbedBedrock({}, routed=())) == 2
    assert "takes no --json" in err.getvalue()
