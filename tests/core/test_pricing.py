"""The price of a scope: geographic profiles cost 10% more than global for Claude Sonnet 4.5 and later models.

Anthropic, "Claude on Amazon Bedrock" (https://platform.claude.com/docs/en/build-with-claude/claude-on-amazon-
bedrock): "Starting with Claude Sonnet 4.5 and all future models [...] Regional endpoints include a 10% pricing
premium over global endpoints. [...] Older models (Claude Sonnet 4, Opus 4, and earlier) maintain their existing
pricing structures." The models after Sonnet 4.5 (launched 2025-09-30 on Bedrock) are written here by hand.
"""

from __future__ import annotations

import pytest

from compliance.report.facts import AccessFacts, RegionFacts
from compliance.report.verdicts import PASS, residency
from core.catalog.lookup import Catalog
from core.catalog.pricing import premium_models, scope_premium, scope_premium_of
from core.config import ConfigError
from tests.support.project import config_for

SONNET_45_AND_LATER = {
    "claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-5", "claude-opus-4-6", "claude-sonnet-4-6",
    "claude-mythos-preview", "claude-opus-4-7", "claude-opus-4-8", "claude-fable-5", "claude-mythos-5",
    "claude-sonnet-5", "claude-opus-5", "claude-fable-5-1", "claude-mythos-5-1", "claude-opus-5-5",
    "claude-sonnet-5-5", "claude-haiku-5-5",
}  # fmt: skip


def test_the_premium_applies_to_sonnet_45_and_every_later_model_only() -> None:
    catalog = Catalog()
    assert {m.alias for m in catalog.models if m.regional_premium_percent} == SONNET_45_AND_LATER
    assert {m.regional_premium_percent for m in catalog.models if m.regional_premium_percent} == {10}
    # Older models keep their pricing: a geographic scope costs them nothing more.
    assert premium_models([catalog.get("claude-opus-4-1"), catalog.get("claude-3-haiku")], "us") == ()


def test_a_scope_states_its_premium_for_the_models_it_applies_to() -> None:
    catalog = Catalog()
    models = [catalog.get(a) for a in ("claude-opus-4-8", "claude-haiku-5-5", "claude-opus-4-1")]
    assert scope_premium(models, "global") is None
    assert scope_premium(models, "us") == (
        "'us' costs more than 'global': 10% for claude-opus-4-8, claude-haiku-5-5 (Anthropic, Claude on Amazon Bedrock)"
    )
    # By profile ID, as the report reads them; a name the catalog lacks (an extra model) is skipped.
    assert scope_premium_of(["eu.anthropic.claude-opus-4-7", "eu.anthropic.claude-next"], "eu", catalog.find) == (
        "'eu' costs more than 'global': 10% for claude-opus-4-7 (Anthropic, Claude on Amazon Bedrock)"
    )


@pytest.mark.parametrize(
    ("context", "says"),
    [
        (
            {"endpoint_scope": "jp", "models": ["claude-sonnet-5-5"], "invoker_default_model": "claude-sonnet-5-5"},
            "offered: global, us, eu (geographic +10% over global)",
        ),
        (
            {"endpoint_scope": "eu", "regions": ["us-east-1"], "models": ["claude-opus-4-7"]},
            "from us-east-1 it is offered under: global, us (geographic +10% over global);",
        ),
    ],
)
def test_the_scope_lines_of_the_configuration_state_the_premium(context: dict[str, object], says: str) -> None:
    context = {"invoker_default_model": "claude-opus-4-7", **context}
    with pytest.raises(ConfigError) as error:
        config_for(**context)
    assert says in str(error.value) and "\n" not in str(error.value)


def test_no_premium_is_named_where_none_applies() -> None:
    # Opus 4.1 (older pricing), and a model offered under global only (no geographic alternative to price).
    with pytest.raises(ConfigError) as error:
        config_for(models=["claude-opus-4-1"], invoker_default_model="claude-opus-4-1")
    assert str(error.value).endswith("offered: us")
    with pytest.raises(ConfigError) as error:
        config_for(endpoint_scope="us", models=["claude-opus-5"], invoker_default_model="claude-opus-5")
    assert str(error.value).endswith("offered: global")


def test_the_residency_verdict_names_the_premium_of_a_geographic_scope() -> None:
    granted = "arn:aws:bedrock:eu-west-3::foundation-model/anthropic.claude-opus-4-7"
    facts = RegionFacts(
        "eu-west-1",
        access=AccessFacts(
            endpoint_scope="eu",
            profiles=["eu.anthropic.claude-opus-4-7"],
            denied=["DenyRoutingOutsideEu"],
            grants={granted: ["InvokePolicy"]},
        ),
    )
    verdict = residency(facts)
    assert verdict.status == PASS
    assert verdict.detail.endswith(
        "; 'eu' costs more than 'global': 10% for claude-opus-4-7 (Anthropic, Claude on Amazon Bedrock)"
    )
