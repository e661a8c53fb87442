"""A moto AWS Organization whose member accounts each hold a compliant deployment, for the organization audit.

`build_organization` creates the organization in moto's management account (123456789012), OUs two levels deep under
a target OU, accounts spread over them (and one outside the targets), and in every member account and Region what
the logging stack deploys (`tests.support.fake_account.deploy_region`: the production logging request, the stack's
guards), in that account: moto keeps one backend per account, selected by moto's account header on each setup request
(`CallerClients`), so each account's resources are its own; the audit finds them with the credentials of the role it
assumes there, which moto maps to the same account.

moto's STS lets any role be assumed (its docstring: "the role does not need to exist"), so a role the audit cannot
assume is made by `refuse_assume_role`: AssumeRole of that account's role answers 403 AccessDenied, as IAM does when
the role's trust policy does not name the caller. The benchmark uses the same builder against a moto server.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse

from tests.support.account_stand_ins import AccountFacts
from tests.support.fake_account import deploy_region, enabled_regions
from tests.support.fake_guards import answer_test_event_pattern
from tests.support.fake_retention import RetentionRecord


@dataclass
class FakeOrganization:
    root: str
    target: str  # the OU whose accounts the rollout covers (with its child OUs)
    outside: str  # an OU the rollout does not cover
    members: list[str] = field(default_factory=list)
    outsiders: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    deployments: dict[tuple[str, str], Any] = field(default_factory=dict)
    # What every account answers for its enabled Regions (the deployed ones) and its users' Bedrock API keys.
    facts: AccountFacts = field(default_factory=AccountFacts)


class CallerClients:
    """The caller's clients by service and Region, shared by the setup of every account (creating a client is the
    slow part of the setup: ~10 of them per account). Each request names the account it acts in with moto's
    `x-moto-account-id` header (moto's multi-account support: it selects that account's backend, before the
    credentials), set by `AccountClients` for the call it makes."""

    HEADER = "x-moto-account-id"

    def __init__(self, caller: Any, options: dict[str, Any]) -> None:
        self.caller, self.options = caller, options
        self.clients: dict[tuple[str, str], Any] = {}
        self.account: str | None = None

    def client(self, service: str, region: str) -> Any:
        if (service, region) not in self.clients:
            client = self.caller.client(service, region_name=region, **self.options)
            client.meta.events.register("before-sign", self._name_the_account)
            self.clients[(service, region)] = client
        return self.clients[(service, region)]

    def _name_the_account(self, request: Any, **_: Any) -> None:
        assert self.account is not None, "a setup call outside AccountClients: which account would it act in?"
        request.headers[self.HEADER] = self.account


class AccountClients:
    """Clients acting in one account, for `deploy_region` and the tests' drifts: `client(service, region)` calls
    operations of the caller's shared client in this account (see `CallerClients`)."""

    def __init__(self, shared: CallerClients, account: str) -> None:
        self.shared, self.account = shared, account

    def client(self, service: str, region_name: str = "us-east-1", **_: Any) -> Any:
        return _ActingIn(self.shared, self.shared.client(service, region_name), self.account)


class _ActingIn:
    """A client's operations, each called in `account` (the setup runs in one thread); no paginators or waiters: their
    calls come later, maybe after another account's."""

    def __init__(self, shared: CallerClients, client: Any, account: str) -> None:
        self._shared, self._client, self._account = shared, client, account

    def __getattr__(self, operation: str) -> Any:
        if operation in ("get_paginator", "get_waiter"):
            raise NotImplementedError(f"{operation}: call the operations themselves, each in its account")
        method = getattr(self._client, operation)
        if not callable(method):  # e.g. `meta`: nothing is sent
            return method

        def in_account(*args: Any, **kwargs: Any) -> Any:
            self._shared.account = self._account
            return method(*args, **kwargs)

        return in_account


def auditor_session(region: str = "us-east-1", facts: AccountFacts | None = None) -> boto3.Session:
    """The caller of the organization audit: its clients (and those the audit makes from it for each account) have
    TestEventPattern answered by moto's real matcher, moto's own handler being a stub, the enabled Regions and
    Bedrock API keys by `facts` (the organization's, tests/support/account_stand_ins.py), and Bedrock's data retention
    reads answered as the stack sets them."""
    session = boto3.Session(region_name=region)
    session.events.register("before-call.events.TestEventPattern", answer_test_event_pattern)
    for event, handler in (facts or AccountFacts()).handlers().items():
        session.events.register(event, handler)
    # Every account as the stack leaves it: data retention mode none (moto implements no data retention read).
    for event, handler in RetentionRecord().handlers():
        session.events.register(event, handler)
    return session


def build_organization(
    caller: Any,
    *,
    accounts: int,
    regions: Sequence[str],
    client_options: dict[str, Any] | None = None,
) -> FakeOrganization:
    """`accounts` member accounts under one target OU (directly, and in OUs one and two levels below it), one
    account in an OU outside the target, and a compliant deployment in every member account and Region."""
    options = client_options or {}
    organizations = caller.client("organizations", region_name="us-east-1", **options)
    organizations.create_organization(FeatureSet="ALL")
    root = organizations.list_roots()["Roots"][0]["Id"]

    def unit(parent: str, name: str) -> str:
        return str(organizations.create_organizational_unit(ParentId=parent, Name=name)["OrganizationalUnit"]["Id"])

    target = unit(root, "Workloads")
    production, development = unit(target, "Production"), unit(target, "Development")
    sandbox = unit(development, "Sandbox")
    fake = FakeOrganization(root=root, target=target, outside=unit(root, "Suspended"))
    fake.facts.regions = enabled_regions(*regions)
    parents = (target, production, development, sandbox)

    def open_account(name: str, parent: str) -> str:
        status = organizations.create_account(Email=f"{name}@example.com", AccountName=name)["CreateAccountStatus"]
        account = str(status["AccountId"])
        organizations.move_account(AccountId=account, SourceParentId=root, DestinationParentId=parent)
        fake.names[account] = name
        return account

    for number in range(accounts):
        fake.members.append(open_account(f"member-{number:02d}", parents[number % len(parents)]))
    fake.outsiders.append(open_account("outside-00", fake.outside))

    shared = CallerClients(caller, options)
    for account in [*fake.members, *fake.outsiders]:
        session = AccountClients(shared, account)
        for index, region in enumerate(regions):
            fake.deployments[(account, region)] = deploy_region(
                session, account=account, region=region, with_trail=index == 0
            )
    return fake


def refuse_assume_role(caller: boto3.Session, account: str, role_name: str) -> None:
    """AssumeRole of `role_name` in `account` answers 403 AccessDenied (the role does not trust the caller)."""
    arn = f"arn:aws:iam::{account}:role/{role_name}"

    def handler(params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        body = params.get("body") or {}
        if body.get("RoleArn") != arn:
            return None
        response = AWSResponse("https://example.invalid", 403, {}, None)  # type: ignore[arg-type]
        caller_arn = "arn:aws:sts::123456789012:assumed-role/Auditor/cli"
        message = f"User: {caller_arn} is not authorized to perform: sts:AssumeRole on resource: {arn}"
        error = {"Code": "AccessDenied", "Message": message}
        return response, {"Error": error, "ResponseMetadata": {"HTTPStatusCode": 403}}

    caller.events.register("before-call.sts.AssumeRole", handler, unique_id=f"refuse-{account}")
