"""Every (account, Region) of the organization audited concurrently, with a bounded pool of threads.

Two phases on one pool of `workers` threads: the role of each account is assumed, then each (account, Region) runs
the single-account checks (`compliance.audit.region.audit_region`) with that account's session, and each account its
account-wide checks once (`compliance.audit.account.audit_account`: the other enabled Regions, Bedrock API keys).
The work is network waits, so threads overlap it; the pool bounds how many calls are in flight (STS and the audited
services throttle).

Every account's clients are made from the caller's one session with the account's credentials (`AssumedSession`),
so a service model is loaded once per run, not once per account: the cost per account-Region stays flat.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from botocore.config import Config

from compliance.audit.account import audit_account
from compliance.audit.checks import Check
from compliance.audit.expectations import Expectations
from compliance.audit.organization.accounts import (
    Account,
    SessionFactory,
    TargetAccounts,
    assume,
    role_arn,
)
from compliance.audit.region import audit_region
from compliance.aws import CallerSession, Client, Session, client
from core.organization.rollout import AUDIT_SESSION_NAME

ASSUME_CHECK = "sts.assume_role"


@dataclass(frozen=True)
class AccountCheck:
    account: Account
    check: Check


@dataclass
class OrganizationAudit:
    """The rows of every (account, Region), in account then Region order, and what discovery reported."""

    regions: tuple[str, ...]
    targets: TargetAccounts
    rows: list[AccountCheck] = field(default_factory=list)

    @property
    def failed(self) -> list[AccountCheck]:
        return [row for row in self.rows if not row.check.passed]

    @property
    def unreachable(self) -> list[Account]:
        return list(dict.fromkeys(r.account for r in self.rows if r.check.name == ASSUME_CHECK and not r.check.passed))

    @property
    def drift(self) -> bool:
        return bool(self.failed or self.targets.errors)


class AssumedSession:
    """The caller's boto3 session with an assumed role's credentials: what the checks need of a session (`client`).

    Every account's clients come from the one session of the caller, with that account's credentials, one at a
    time: a boto3 session is not safe for creating clients from several threads (its clients are), and one
    session loads each service model once for the whole run instead of once per account.
    """

    def __init__(self, shared: CallerSession, credentials: dict[str, Any], lock: threading.Lock) -> None:
        self.shared = shared
        self.credentials = credentials
        self.lock = lock
        # Creating a client is most of the audit's own CPU time: one per service, Region and configuration, shared
        # by the account's threads (clients are thread-safe), e.g. the trail's home Region for every Region.
        self.clients: dict[tuple[str, str | None, int], Client] = {}

    def client(self, service: str, /, region_name: str | None = None, *, config: Config | None = None) -> Client:
        key = (service, region_name, id(config))
        with self.lock:
            if key not in self.clients:
                self.clients[key] = self.shared.client(
                    service,
                    region_name=region_name,
                    config=config,
                    aws_access_key_id=self.credentials["AccessKeyId"],
                    aws_secret_access_key=self.credentials["SecretAccessKey"],
                    aws_session_token=self.credentials["SessionToken"],
                )
            return self.clients[key]


def _unexpected(account: Account, region: str, error: Exception) -> list[AccountCheck]:
    """A defect of a check (not an AWS error, which the checks turn into rows) is a FAIL row too, not a crash."""
    actual = f"audit error: {type(error).__name__}: {error}"
    check = Check("audit.completed", region, f"account {account.id}", "completed", actual, False)
    return [AccountCheck(account, check)]


def audit_organization(
    expected: Expectations,
    caller: CallerSession,
    targets: TargetAccounts,
    *,
    regions: Sequence[str],
    role_name: str,
    partition: str,
    workers: int,
    session_factory: SessionFactory | None = None,
    audit: Callable[[Expectations, Session, str, str], list[Check]] = audit_region,
    account_audit: Callable[[Session, str, Sequence[str]], list[Check]] = audit_account,
) -> OrganizationAudit:
    """Audit every account of `targets` in every Region, then once as a whole, `workers` at a time, with `caller`'s
    session assuming the audit role in each (`session_factory`, for tests, makes a session of the credentials instead
    of `AssumedSession`)."""
    lock = threading.Lock()
    make_session = session_factory or (lambda credentials: AssumedSession(caller, credentials, lock))
    sts = client(caller, "sts", regions[0])
    result = OrganizationAudit(regions=tuple(regions), targets=targets)

    def open_account(account: Account) -> tuple[Account, Session | None, str]:
        arn = role_arn(partition, account.id, role_name)
        credentials = assume(sts, arn, AUDIT_SESSION_NAME)
        if isinstance(credentials, str):
            return account, None, f"cannot assume {arn}: {credentials}"
        return account, make_session(credentials), arn

    def audit_one(account: Account, session: Session, region: str | None) -> list[AccountCheck]:
        """The Region's rows, or with `region` None the account-wide rows (asked from the first Region)."""
        try:
            rows = (
                account_audit(session, regions[0], regions)
                if region is None
                else audit(expected, session, region, account.id)
            )
            return [AccountCheck(account, check) for check in rows]
        except Exception as error:  # any defect becomes a row; the other accounts still run
            return _unexpected(account, region or regions[0], error)

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="org-audit") as pool:
        opened = list(pool.map(open_account, targets.accounts))
        work: list[tuple[list[AccountCheck], Account, Session | None, str | None]] = []
        for account, session, detail in opened:
            for region in regions:
                assumed = session is not None
                arn = role_arn(partition, account.id, role_name)
                actual = "assumed" if assumed else detail
                row = Check(ASSUME_CHECK, region, arn, "assumable by the audit", actual, assumed)
                work.append(([AccountCheck(account, row)], account, session, region))
            work.append(([], account, session, None))
        futures = [
            (rows, pool.submit(audit_one, account, session, region) if session is not None else None)
            for rows, account, session, region in work
        ]
        for rows, future in futures:
            result.rows += rows + (future.result() if future is not None else [])
    return result
