"""`catalog-check` against a stubbed Bedrock control plane: one account that matches the catalog, then one
difference at a time, each on its own row, with the exit code it deserves.

The account is this test's own data, written from AWS's published tables, not from the catalog: the Claude model
cards' "Geo inference details" for `us.anthropic.claude-sonnet-4-6` and
`us.anthropic.claude-haiku-4-5-20251001-v1:0` list, for source us-east-1, the destinations us-east-1, us-east-2,
us-west-2, and for source us-west-1 the same plus us-west-1. Both cards say "Model lifecycle: Active".
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import boto3
import pytest

from compliance.catalog_check.command import run as catalog_check
from compliance.catalog_check.command import run_check
from core.config import AppConfig, load_config
from tests.support.bedrock_control_plane import ACCESS_DENIED_MESSAGE, RegionAccount, StubbedBedrock
from tests.support.commands import flags, printed, settings_of

TODAY = date(2026, 11, 25)
SONNET, HAIKU = "claude-sonnet-4-6", "claude-haiku-4-5"
SONNET_ID, HAIKU_ID = "anthropic.claude-sonnet-4-6", "anthropic.claude-haiku-4-5-20251001-v1:0"
SONNET_US, HAIKU_US = "us.anthropic.claude-sonnet-4-6", "us.anthropic.claude-haiku-4-5-20251001-v1:0"
FROM_US_EAST_1 = ("us-east-1", "us-east-2", "us-west-2")
FROM_US_WEST_1 = ("us-east-1", "us-east-2", "us-west-1", "us-west-2")
DENIED = f"cannot read: AccessDeniedException: {ACCESS_DENIED_MESSAGE}"


def us_config(**context: Any) -> AppConfig:
    settings = {
        "regions": ["us-east-1", "us-west-1"],
        "endpoint_scope": "us",
        "models": [SONNET, HAIKU],
        "invoker_default_model": SONNET,
    }
    return load_config(settings | context, today=TODAY)


def region(destinations: tuple[str, ...]) -> RegionAccount:
    """A Region offering both models as their cards say, and what else a real Region lists beside them."""
    return RegionAccount(
        profiles={
            "us.amazon.nova-pro-v1:0": ("amazon.nova-pro-v1:0", FROM_US_EAST_1),
            SONNET_US: (SONNET_ID, destinations),
            "us.anthropic.claude-opus-4-7": ("anthropic.claude-opus-4-7", destinations),
            HAIKU_US: (HAIKU_ID, destinations),
        },
        models={
            SONNET_ID: "ACTIVE",
            HAIKU_ID: "ACTIVE",
            "anthropic.claude-opus-4-7": "ACTIVE",
            "anthropic.claude-sonnet-4-5-20250929-v1:0": "LEGACY",
            "anthropic.claude-3-5-sonnet-20240620-v1:0": "LEGACY",  # dropped by the catalog: not reported
            "anthropic.claude-3-haiku-20240307-v1:0:200k": "ACTIVE",  # a catalog model's provisioned variant
        },
    )


def matching() -> dict[str, RegionAccount]:
    return {"us-east-1": region(FROM_US_EAST_1), "us-west-1": region(FROM_US_WEST_1)}


def rows_of(accounts: dict[str, RegionAccount], config: AppConfig | None = None) -> list[tuple[str, ...]]:
    bedrock = StubbedBedrock(accounts, routed=(SONNET_US, HAIKU_US))
    rows, _ = run_check(config or us_config(), bedrock)
    bedrock.assert_no_pending_responses()
    return [(r.status, r.region, r.model, r.check, r.expected, r.actual) for r in rows]


def run(accounts: dict[str, RegionAccount], *, as_json: bool = False) -> tuple[int, str, str]:
    bedrock = StubbedBedrock(accounts, routed=(SONNET_US, HAIKU_US))
    options = flags("--json") if as_json else flags()
    code, out, err = printed(catalog_check, settings_of(us_config()), options, session=bedrock)
    bedrock.assert_no_pending_responses()
    return code, out, err


def not_ok(rows: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    return [row for row in rows if row[0] != "OK"]


def test_an_account_matching_the_catalog_passes_every_row() -> None:
    code, output, errors = run(matching())
    rows = rows_of(matching())
    assert code == 0 and errors == ""
    assert [row[:4] for row in rows] == [
        ("OK", where, model, check)
        for where in ("us-east-1", "us-west-1")
        for model in (SONNET, HAIKU)
        for check in ("profile", "destinations", "lifecycle")
    ]
    assert rows[1][4:] == ("catalog: us-east-1, us-east-2, us-west-2", "account: us-east-1, us-east-2, us-west-2")
    assert rows[7][4:] == (
        "catalog: us-east-1, us-east-2, us-west-1, us-west-2",
        "account: us-east-1, us-east-2, us-west-1, us-west-2",
    )
    assert rows[0][4:] == (SONNET_US, "present")
    assert rows[2][4:] == ("catalog: active", "account: ACTIVE")
    assert output.splitlines()[0].split() == ["STATUS", "REGION", "MODEL", "CHECK", "EXPECTED", "ACTUAL"]
    assert output.endswith("\n12 rows: 0 FAIL, 0 WARN, 0 INFO: nothing breaks a configured deployment\n")


def test_a_profile_the_account_does_not_offer_fails_its_row() -> None:
    accounts = matching()
    del accounts["us-east-1"].profiles[HAIKU_US]  # and so it is not read with GetInferenceProfile either
    rows = rows_of(accounts)
    assert not_ok(rows) == [
        ("FAIL", "us-east-1", HAIKU, "profile", HAIKU_US, f"missing in the account: calls to {HAIKU_US} from "
         "us-east-1 would fail"),
    ]  # fmt: skip
    assert [r[3] for r in rows if r[1:3] == ("us-east-1", HAIKU)] == ["profile", "lifecycle"]
    code, output, _ = run(accounts)
    assert code == 1
    assert output.endswith("\n11 rows: 1 FAIL, 0 WARN, 0 INFO: a configured deployment would fail\n")


def test_a_listed_profile_get_does_not_find_fails_as_missing() -> None:
    accounts = matching()
    accounts["us-west-1"].not_found.add(SONNET_US)
    assert [row[:4] for row in not_ok(rows_of(accounts))] == [("FAIL", "us-west-1", SONNET, "profile")]
    assert run(accounts)[0] == 1


@pytest.mark.parametrize(
    ("account_routes", "expected_rows", "code"),
    [
        (
            ("us-east-1", "us-east-2", "us-west-1", "us-west-2"),
            [("FAIL", "destinations.extra", "account routes also to us-west-1: IAM denies calls routed there")],
            1,
        ),
        (
            ("us-east-1", "us-east-2"),
            [("WARN", "destinations.missing", "catalog expects us-west-2 the account does not route to")],
            0,
        ),
        (
            ("ca-central-1", "us-east-1", "us-east-2"),
            [
                ("FAIL", "destinations.extra", "account routes also to ca-central-1: IAM denies calls routed there"),
                ("WARN", "destinations.missing", "catalog expects us-west-2 the account does not route to"),
            ],
            1,
        ),
    ],
    ids=["extra", "missing", "both"],
)
def test_destinations_that_differ_are_named_both_ways(
    account_routes: tuple[str, ...], expected_rows: list[tuple[str, str, str]], code: int
) -> None:
    accounts = matching()
    accounts["us-east-1"].profiles[SONNET_US] = (SONNET_ID, account_routes)
    rows = not_ok(rows_of(accounts))
    assert [(r[0], r[3], r[5]) for r in rows] == expected_rows
    assert {(r[1], r[2], r[4]) for r in rows} == {("us-east-1", SONNET, "catalog: us-east-1, us-east-2, us-west-2")}
    assert run(accounts)[0] == code


def test_legacy_in_the_account_warns_that_the_catalog_is_stale() -> None:
    accounts = matching()
    accounts["us-west-1"].models[HAIKU_ID] = "LEGACY"
    assert not_ok(rows_of(accounts)) == [
        ("WARN", "us-west-1", HAIKU, "lifecycle", "catalog: active", "account: LEGACY")
    ]
    assert run(accounts)[0] == 0


def test_an_end_of_life_date_the_account_gives_is_compared_with_the_catalogs() -> None:
    """Sonnet 4.6 has no end-of-life date in the catalog (its card: "EOL no sooner than" a year after launch): an
    announced date in the account is news the catalog lacks; the same date as the catalog's is OK."""
    accounts = matching()
    accounts["us-east-1"].end_of_life[SONNET_ID] = datetime(2027, 8, 17, tzinfo=UTC)
    assert not_ok(rows_of(accounts)) == [
        ("WARN", "us-east-1", SONNET, "lifecycle.end_of_life", "catalog: none", "account: 2027-08-17")
    ]
    # Opus 4.1: legacy from 2026-07-08, end of life 2027-01-08 ("Model lifecycle (Legacy)").
    legacy = us_config(models=["claude-opus-4-1"], invoker_default_model="claude-opus-4-1", regions=["us-east-1"])
    opus_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
    account = RegionAccount(
        profiles={f"us.{opus_41}": (opus_41, FROM_US_EAST_1)},
        models={opus_41: "LEGACY"},
        end_of_life={opus_41: datetime(2027, 1, 8, tzinfo=UTC)},
    )
    bedrock = StubbedBedrock({"us-east-1": account}, routed=(f"us.{opus_41}",))
    rows, _ = run_check(legacy, bedrock)
    bedrock.assert_no_pending_responses()
    assert [(r.status, r.expected, r.actual) for r in rows if r.check == "lifecycle.end_of_life"] == [
        ("OK", "catalog: 2027-01-08", "account: 2027-01-08")
    ]


def test_a_model_missing_from_list_foundation_models_warns() -> None:
    accounts = matching()
    del accounts["us-east-1"].models[SONNET_ID]
    assert not_ok(rows_of(accounts)) == [
        ("WARN", "us-east-1", SONNET, "lifecycle", "catalog: active", f"{SONNET_ID} missing from ListFoundationModels")
    ]
    assert run(accounts)[0] == 0


def test_an_active_claude_model_the_catalog_lacks_is_information() -> None:
    accounts = matching()
    accounts["us-east-1"].models["anthropic.claude-haiku-9"] = "ACTIVE"  # this test's invention
    accounts["us-west-1"].models["anthropic.claude-3-5-haiku-20241022-v1:0"] = "LEGACY"  # in the catalog: silent
    assert not_ok(rows_of(accounts)) == [
        ("INFO", "us-east-1", "anthropic.claude-haiku-9", "newer model", "not in the catalog", "account: ACTIVE")
    ]
    code, output, _ = run(accounts)
    assert code == 0
    assert output.endswith("13 rows: 0 FAIL, 0 WARN, 1 INFO: nothing breaks a configured deployment\n")


def test_get_inference_profile_denied_fails_each_read_and_says_so_once_per_call() -> None:
    accounts = matching()
    accounts["us-east-1"].denied.add("bedrock:GetInferenceProfile")
    expected = "bedrock:GetInferenceProfile allowed"
    assert not_ok(rows_of(accounts)) == [
        ("FAIL", "us-east-1", SONNET, "destinations", expected, DENIED),
        ("FAIL", "us-east-1", HAIKU, "destinations", expected, DENIED),
    ]
    code, output, errors = run(accounts)
    line = f"Cannot read bedrock:GetInferenceProfile in us-east-1: AccessDeniedException: {ACCESS_DENIED_MESSAGE}"
    assert (code, errors.splitlines()) == (1, [line, line])
    assert "Traceback" not in output + errors


@pytest.mark.parametrize(
    ("action", "rows_left"),
    [
        ("bedrock:ListInferenceProfiles", [(SONNET, "lifecycle"), (HAIKU, "lifecycle")]),
        (
            "bedrock:ListFoundationModels",
            [(SONNET, "profile"), (SONNET, "destinations"), (HAIKU, "profile"), (HAIKU, "destinations")],
        ),
    ],
)
def test_a_denied_list_fails_one_row_of_its_region_and_the_other_reads_go_on(
    action: str, rows_left: list[tuple[str, str]]
) -> None:
    accounts = matching()
    accounts["us-west-1"].denied.add(action)
    rows = rows_of(accounts)
    assert not_ok(rows) == [("FAIL", "us-west-1", "-", "read", f"{action} allowed", DENIED)]
    assert [(r[2], r[3]) for r in rows if r[1] == "us-west-1"] == [("-", "read"), *rows_left]
    code, _, errors = run(accounts)
    assert (code, errors) == (1, f"Cannot read {action} in us-west-1: AccessDeniedException: {ACCESS_DENIED_MESSAGE}\n")


def test_no_credentials_is_one_line_per_region_and_a_fail_row_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    code, out, err = printed(catalog_check, settings_of(us_config()), flags(), session=boto3.Session())
    assert code == 1
    assert err.splitlines() == [
        f"Cannot read bedrock:ListInferenceProfiles in {where}: NoCredentialsError: Unable to locate credentials"
        for where in ("us-east-1", "us-west-1")
    ]
    assert [line.split()[:4] for line in out.splitlines()[1:3]] == [
        ["FAIL", where, "-", "read"] for where in ("us-east-1", "us-west-1")
    ]
    assert out.endswith("2 rows: 2 FAIL, 0 WARN, 0 INFO: some reads failed: the catalog is not fully checked\n")


def test_json_rows_are_the_table_rows() -> None:
    accounts = matching()
    accounts["us-east-1"].profiles[SONNET_US] = (SONNET_ID, ("us-east-1", "us-east-2", "us-west-1", "us-west-2"))
    code, output, _ = run(accounts, as_json=True)
    document = json.loads(output)
    assert code == 1 and (document["failed"], document["warned"]) == (1, 0)
    assert [tuple(row.values()) for row in document["rows"]] == rows_of(accounts)
    assert list(document["rows"][0]) == ["status", "region", "model", "check", "expected", "actual"]


def test_the_global_profile_is_compared_by_presence_only() -> None:
    """No GetInferenceProfile is queued: the Stubber fails the check if it makes one."""
    account = RegionAccount(
        profiles={f"global.{SONNET_ID}": (SONNET_ID, ("us-east-1",))},
        models={SONNET_ID: "ACTIVE", HAIKU_ID: "ACTIVE"},
    )
    rows = rows_of({"us-east-1": account}, us_config(regions=["us-east-1"], endpoint_scope="global"))
    assert [row[:4] for row in rows] == [
        ("OK", "us-east-1", SONNET, "profile"),
        ("OK", "us-east-1", SONNET, "lifecycle"),
        ("FAIL", "us-east-1", HAIKU, "profile"),
        ("OK", "us-east-1", HAIKU, "lifecycle"),
    ]
    assert rows[2][4] == f"global.{HAIKU_ID}"
