"""`python app.py audit --organization` against a moto organization: 10 member accounts (more than the 8 threads)
under a target OU (directly and in OUs one and two levels below it), one account outside the targets, two Regions.

Every member holds a compliant deployment (tests/support/fake_organization.py); one member drifts in both Regions and
account-wide (an outside reader of a log key, an active long-term Bedrock API key), one member's audit role cannot
be assumed. The organization is built once for the module, and the audit runs once on it with 8 threads; each test
reads it.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto import mock_aws

from compliance.audit import Check
from compliance.audit.organization import audit_organization, target_accounts
from compliance.audit.organization.command import audit_accounts
from compliance.audit.organization.report import render_json, render_text
from compliance.audit.run import expectations
from core.config import AppConfig
from tests.support.fake_account import audit_config
from tests.support.fake_organization import FakeOrganization, auditor_session, build_organization, refuse_assume_role

REGIONS = ["us-east-1", "us-west-2"]
MEMBERS = 10
ROLE = "ClaudeLoggingAudit"
DRIFTED, UNREACHABLE = 5, 9
# What the drifted account changed, and the one row each change must fail: (Region, check).
DRIFTS = {
    ("us-east-1", "events.tamper_rule"),
    ("us-east-1", "kms.key.readers"),
    ("us-west-2", "logs.group.retention"),
    ("global", "iam.bedrock_api_keys"),
}
# The drifted account's outside reader of its log key.
OUTSIDE_READER = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "kms:Decrypt"}
# The drifted account's user with a long-term Bedrock API key; the account-wide rows' own line in the matrix.
KEY_HOLDER, GLOBAL = "bedrock-explorer", "global"


@dataclass
class Outcome:
    organization: FakeOrganization
    config: AppConfig
    code: int
    text: str
    document: dict[str, Any]

    @property
    def drifted(self) -> str:
        return self.organization.members[DRIFTED]

    @property
    def unreachable(self) -> str:
        return self.organization.members[UNREACHABLE]

    def rows(self, account: str) -> list[dict[str, Any]]:
        return [row for row in self.document["rows"] if row["account"] == account]


def organization_config(fake: FakeOrganization, **context: Any) -> AppConfig:
    defaults = {"organization_targets": [fake.target], "organization_audit_role_name": ROLE}
    return audit_config(**{"regions": REGIONS, **defaults, "organization_audit_workers": 8, **context})


@pytest.fixture(scope="module")
def organization(aws_session: boto3.Session) -> Iterator[FakeOrganization]:
    """The organization with the drifted member's changes made (moto's backend lives as long as the module)."""
    with mock_aws():
        fake = build_organization(aws_session, accounts=MEMBERS, regions=REGIONS)
        drifted = fake.members[DRIFTED]
        fake.deployments[(drifted, "us-east-1")].client("events", "us-east-1").disable_rule(Name="LoggingTamperRule")
        logs = fake.deployments[(drifted, "us-west-2")].client("logs", "us-west-2")
        logs.put_retention_policy(logGroupName=fake.deployments[(drifted, "us-west-2")].log_group, retentionInDays=7)
        east = fake.deployments[(drifted, "us-east-1")]
        kms = east.client("kms", "us-east-1")
        policy = json.loads(kms.get_key_policy(KeyId=east.key_arn, PolicyName="default")["Policy"])
        policy["Statement"].append({**OUTSIDE_READER, "Resource": "*"})
        kms.put_key_policy(KeyId=east.key_arn, PolicyName="default", Policy=json.dumps(policy))
        east.client("iam", "us-east-1").create_user(UserName=KEY_HOLDER)
        fake.facts.add_api_key(KEY_HOLDER)
        yield fake


@pytest.fixture(scope="module")
def outcome(organization: FakeOrganization) -> Outcome:
    """The audit of the organization, once for the module, with 8 threads."""
    caller = auditor_session(facts=organization.facts)
    refuse_assume_role(caller, organization.members[UNREACHABLE], ROLE)
    config = organization_config(organization)
    audit = audit_accounts(config, caller)
    code = 1 if audit.drift else 0
    return Outcome(organization, config, code, render_text(audit), json.loads(render_json(audit)))


def test_the_organization_holds_what_the_audit_is_to_find(
    aws_session: boto3.Session, organization: FakeOrganization
) -> None:
    """The fake before any audit: the members at every depth under the target and the outsider elsewhere, a
    deployment in every account and Region, and the drifted member's changes made, so that the audit's rows below
    answer for what is there."""
    organizations = aws_session.client("organizations", region_name="us-east-1")
    units, unlisted = set(), [organization.target]
    while unlisted:  # the target and every OU below it, at any depth
        unit = unlisted.pop()
        units.add(unit)
        children = organizations.list_organizational_units_for_parent(ParentId=unit)["OrganizationalUnits"]
        unlisted += [child["Id"] for child in children]
    under_target = {
        account["Id"] for unit in units for account in organizations.list_accounts_for_parent(ParentId=unit)["Accounts"]
    }
    assert under_target == set(organization.members) and len(organization.members) == MEMBERS
    (outsider,) = organization.outsiders
    assert organizations.list_parents(ChildId=outsider)["Parents"][0]["Id"] == organization.outside
    accounts = [*organization.members, *organization.outsiders]
    assert set(organization.deployments) == {(account, region) for account in accounts for region in REGIONS}
    drifted = organization.members[DRIFTED]
    east, west = organization.deployments[(drifted, "us-east-1")], organization.deployments[(drifted, "us-west-2")]
    assert east.client("events", "us-east-1").describe_rule(Name="LoggingTamperRule")["State"] == "DISABLED"
    (group,) = west.client("logs", "us-west-2").describe_log_groups(logGroupNamePrefix=west.log_group)["logGroups"]
    assert group["retentionInDays"] == 7
    policy = east.client("kms", "us-east-1").get_key_policy(KeyId=east.key_arn, PolicyName="default")["Policy"]
    assert {**OUTSIDE_READER, "Resource": "*"} in json.loads(policy)["Statement"]
    east.client("iam", "us-east-1").get_user(UserName=KEY_HOLDER)  # NoSuchEntity if the user were missing
    assert [key["Status"] for key in organization.facts.api_keys[KEY_HOLDER]] == ["Active"]


def test_every_account_under_the_targets_is_audited_in_every_region_and_no_other(outcome: Outcome) -> None:
    audited = {(row["account"], row["region"]) for row in outcome.document["rows"] if row["region"] != GLOBAL}
    assert audited == {(account, region) for account in outcome.organization.members for region in REGIONS}
    assert len(audited) == MEMBERS * len(REGIONS) == 20
    # The account-wide rows once per account the role opened.
    reached = [a for a in outcome.organization.members if a != outcome.unreachable]
    keys = [row["account"] for row in outcome.document["rows"] if row["check"] == "iam.bedrock_api_keys"]
    assert sorted(keys) == sorted(reached)
    # Accounts two OUs below the target are found; the account outside the targets (and the management account,
    # at the root) is not audited.
    assert outcome.organization.outsiders[0] not in {row["account"] for row in outcome.document["rows"]}
    assert "123456789012" not in {row["account"] for row in outcome.document["rows"]}


def test_compliant_accounts_pass_every_row(outcome: Outcome) -> None:
    compliant = [a for a in outcome.organization.members if a not in (outcome.drifted, outcome.unreachable)]
    assert len(compliant) == MEMBERS - 2
    for account in compliant:
        rows = outcome.rows(account)
        assert rows and all(row["result"] == "PASS" for row in rows), [r for r in rows if r["result"] != "PASS"]
        # The whole audit ran there: the configuration, the bucket, the guards, in both Regions.
        names = {row["check"] for row in rows}
        assert {"sts.assume_role", "bedrock.logging.configured", "logs.group.retention", "events.tamper_rule"} <= names
        assert "bedrock.data_retention.mode" in names  # each account's data retention mode, in each Region
        assert {"logs.group.stream", "kms.key.readers", "account.regions", "iam.bedrock_api_keys"} <= names
        assert {row["region"] for row in rows} == {*REGIONS, GLOBAL}


def test_the_drifted_account_fails_only_its_own_rows(outcome: Outcome) -> None:
    failing = [row for row in outcome.document["rows"] if row["result"] == "FAIL"]
    drifted = {(row["region"], row["check"]) for row in failing if row["account"] == outcome.drifted}
    assert drifted == DRIFTS
    assert {row["account"] for row in failing} == {outcome.drifted, outcome.unreachable}
    found = {r["check"]: r for r in failing if r["account"] == outcome.drifted}
    assert found["logs.group.retention"]["actual"].startswith("7 days")
    assert found["kms.key.readers"]["actual"] == "outside readers: AWS:arn:aws:iam::444455556666:root"
    assert found["iam.bedrock_api_keys"]["resource"].startswith(f"user/{KEY_HOLDER} key ")


def test_an_account_whose_role_cannot_be_assumed_is_a_fail_row_per_region_with_the_error_code(
    outcome: Outcome,
) -> None:
    rows = outcome.rows(outcome.unreachable)
    assert [(row["region"], row["check"], row["result"]) for row in rows] == [
        (region, "sts.assume_role", "FAIL") for region in REGIONS
    ]
    arn = f"arn:aws:iam::{outcome.unreachable}:role/{ROLE}"
    assert all(row["resource"] == arn and "AccessDenied: User: " in row["actual"] for row in rows)
    assert outcome.document["summary"]["unreachable_accounts"] == [outcome.unreachable]


def test_the_matrix_has_a_line_per_account_and_region_and_the_summary_says_drift(outcome: Outcome) -> None:
    assert outcome.code == 1
    lines = outcome.text.splitlines()
    header = lines[0].split()
    assert header[:3] == ["ACCOUNT", "NAME", "REGION"]
    columns = len(header) - 3
    legend = lines[lines.index("Checks:") + 1 : lines.index("Checks:") + 1 + columns]
    assert [entry.split()[1] for entry in legend] == outcome.document["checks"]
    # A line per account and Region, and per account whose role opened, a `global` line for the account-wide rows.
    matrix = [line.split() for line in lines[1 : MEMBERS * (len(REGIONS) + 1)]]
    assert len(matrix) == 20 + MEMBERS - 1 and all(len(cells) == 3 + columns for cells in matrix)
    by_line = {(cells[0], cells[2]): cells[3:] for cells in matrix}
    assert set(by_line[(outcome.unreachable, "us-east-1")]) == {"FAIL", "-"}
    assert (outcome.unreachable, GLOBAL) not in by_line
    drifted = dict(zip(outcome.document["checks"], by_line[(outcome.drifted, "us-west-2")], strict=True))
    assert drifted["logs.group.retention"] == "FAIL" and drifted["events.tamper_rule"] == "ok"
    account_wide = dict(zip(outcome.document["checks"], by_line[(outcome.drifted, GLOBAL)], strict=True))
    assert account_wide["iam.bedrock_api_keys"] == "FAIL" and account_wide["events.tamper_rule"] == "-"
    assert lines[-1].startswith(f"{MEMBERS} accounts x 2 Regions = 20 account-Regions")
    assert lines[-1].endswith(f"drift found in {', '.join(sorted([outcome.drifted, outcome.unreachable]))}")
    assert outcome.document["summary"]["drift"] is True


def test_the_pool_never_runs_more_than_its_width_at_once() -> None:
    """The audit function is a stand-in that records overlap; accounts come from a stand-in listing."""
    running, peak, lock = 0, 0, threading.Lock()

    def slow_audit(expected: Any, session: Any, region: str, account: str) -> list[Check]:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.02)
        with lock:
            running -= 1
        return [Check("probe", region, account, "ran", "ran", True)]

    class Organizations:
        def get_paginator(self, name: str) -> Any:
            pages = {
                "list_accounts_for_parent": [{"Accounts": [{"Id": f"{n:012d}", "Name": f"a{n}"} for n in range(12)]}],
                "list_organizational_units_for_parent": [{"OrganizationalUnits": []}],
            }[name]
            return type("Paginator", (), {"paginate": lambda self, **_: pages})()

    class Sts:
        def assume_role(self, **_: Any) -> dict[str, Any]:
            return {"Credentials": {"AccessKeyId": "a", "SecretAccessKey": "b", "SessionToken": "c"}}

    class Caller:
        def client(self, service: str, **_: Any) -> Any:
            assert service == "sts", service
            return Sts()

    targets = target_accounts(Organizations(), ["r-ab12"])
    config = audit_config(regions=REGIONS)
    for workers in (1, 3):
        peak = 0
        result = audit_organization(
            expectations(config),
            Caller(),
            targets,
            regions=REGIONS,
            role_name=ROLE,
            partition="aws",
            workers=workers,
            session_factory=lambda credentials: object(),
            audit=slow_audit,
            account_audit=lambda session, home, regions: [],
        )
        assert peak == workers
        assert len([row for row in result.rows if row.check.name == "probe"]) == 24
