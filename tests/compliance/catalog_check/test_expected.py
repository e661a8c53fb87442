"""The catalog's side: its lifecycle reading, a model it cannot resolve, and what the comparison makes of them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import botocore.session
from botocore.stub import Stubber

from compliance.catalog_check.account import routed_regions
from compliance.catalog_check.compare import ObservedRegion, region_rows
from compliance.catalog_check.expected import catalog_status, expected_model
from core.catalog.lookup import Catalog
from core.catalog.models import Lifecycle

CATALOG = Catalog()
SONNET_4_6 = CATALOG.get("claude-sonnet-4-6")
OPUS_4_1 = CATALOG.get("claude-opus-4-1")  # "Model lifecycle (Legacy)": legacy from 2026-07-08, end of life 2027-01-08


def test_the_catalogs_lifecycle_reading_follows_the_date() -> None:
    assert catalog_status(SONNET_4_6, date(2026, 11, 25)) == "active"
    assert catalog_status(OPUS_4_1, date(2027, 1, 7)) == "legacy"
    assert catalog_status(OPUS_4_1, date(2027, 1, 8)) == "end_of_life"
    assert catalog_status(OPUS_4_1, date(2026, 7, 7)) == "active"  # legacy from 2026-07-08
    retiring = replace(SONNET_4_6, lifecycle=Lifecycle(end_of_life_on=date(2027, 1, 1)))
    assert catalog_status(retiring, date(2027, 1, 1)) == "end_of_life"


def test_a_model_the_catalog_cannot_resolve_from_the_region_is_a_fail_row() -> None:
    expected = expected_model(SONNET_4_6, "us", "eu-west-1", "111122223333", date(2026, 11, 25))
    assert (expected.profile_id, expected.destinations) == (None, None)
    observed = ObservedRegion("eu-west-1", frozenset(), {}, {"anthropic.claude-sonnet-4-6": "ACTIVE"})
    rows = region_rows([expected], observed, [SONNET_4_6.model_id])
    assert [(r.status, r.check) for r in rows] == [("FAIL", "catalog"), ("OK", "lifecycle")]
    assert rows[0].actual.startswith("models: claude-sonnet-4-6 is not offered under 'us' from eu-west-1")


def test_end_of_life_in_the_catalog_against_legacy_in_the_account_warns_and_absent_passes() -> None:
    today = date(2027, 2, 1)
    expected = expected_model(OPUS_4_1, "us", "us-east-1", "111122223333", today)
    assert expected.status == "end_of_life"
    profiles = frozenset({f"us.{OPUS_4_1.model_id}"})
    routes = {f"us.{OPUS_4_1.model_id}": frozenset({"us-east-1", "us-east-2", "us-west-2"})}
    legacy = ObservedRegion("us-east-1", profiles, routes, {OPUS_4_1.model_id: "LEGACY"})
    gone = ObservedRegion("us-east-1", profiles, routes, {})
    assert [(r.status, r.actual) for r in region_rows([expected], legacy, []) if r.check == "lifecycle"] == [
        ("WARN", "account: LEGACY")
    ]
    assert [r.status for r in region_rows([expected], gone, []) if r.check == "lifecycle"] == ["OK"]


def test_a_region_less_foundation_model_arn_names_no_destination() -> None:
    """The global profile's models include `arn:aws:bedrock:::foundation-model/<id>` (the catalog's
    `regionless_foundation_model_arn`); it must not become a Region named ""."""
    client = botocore.session.Session().create_client(
        "bedrock", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    profile = "global.anthropic.claude-sonnet-4-6"
    with Stubber(client) as stubber:
        stubber.add_response(
            "get_inference_profile",
            {
                "inferenceProfileName": "Global Anthropic Claude Sonnet 4 6",
                "inferenceProfileArn": f"arn:aws:bedrock:us-east-1:111122223333:inference-profile/{profile}",
                "models": [
                    {"modelArn": "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-6"},
                    {"modelArn": "arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-6"},
                ],
                "inferenceProfileId": profile,
                "status": "ACTIVE",
                "type": "SYSTEM_DEFINED",
            },
            {"inferenceProfileIdentifier": profile},
        )
        assert routed_regions(client, profile) == frozenset({"us-east-1"})
        stubber.assert_no_pending_responses()
