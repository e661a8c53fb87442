"""Every (account, Region) of the organization audited concurrently, with a bounded pool of threads.

Two phases on one pool of `workers` threads: the role of each account is assumed, then each (account, Region) runs
the single-account checks (`compliance.audit.region.audit_region`) with that account's session. The work is network
waits, so threads overlap it; the pool bounds how many calls are in flight (STS and the audited services throttle).

boto3 sessions are not safe to share between threads for creating clients (clients are): each account's session
creates its clients under a lock, and every session reads the service models through one shared loader, so a model
is parsed once per run rather than once per account.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import boto3
import botocore.session

from compliance.audit.checks import Check, client
from compliance.audit.expectations import Expectations
from compliance.audit.organization.accounts import (
    Account,
    SessionFactory,
    TargetAccounts,
    assume,
    role_arn,
)
from compliance.audit.region import audit_region
from core.organization import AUDIT_SESSION_NAME

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


class _LockedSession:
    """A session whose clients are created one at a time (`boto3.Session.client` is not thread-safe)."""

    def __init__(self, session: Any, lock: threading.Lock) -> None:
        self.session = session
        self.lock = lock

    def client(self, *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            return self.session.client(*args, **kwargs)


def shared_loader_session_factory() -> SessionFactory:
    """Sessions with the assumed credentials that share one botocore loader (service models parsed once)."""
    loader = botocore.session.get_session().get_component("data_loader")

    def make(credentials: dict[str, Any]) -> Any:
        core = botocore.session.get_session()
        core.register_component("data_loader", loader)
        return boto3.Session(
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
            botocore_session=core,
        )

    return make


def _unexpected(account: Account, region: str, error: Exception) -> list[AccountCheck]:
    """A defect of a check (not an AWS error, which the checks turn into rows) is a FAIL row too, not a crash."""
    actual = f"audit error: {type(error).__name__}: {error}"
    check = Check("audit.completed", region, f"account {account.id}", "completed", actual, False)
    return [AccountCheck(account, check)]


def audit_organization(
    expected: Expectations,
    caller: Any,
    targets: TargetAccounts,
    *,
    regions: Sequence[str],
    role_name: str,
    partition: str,
    workers: int,
    session_factory: SessionFactory | None = None,
    audit: Callable[[Expectations, Any, str, str], list[Check]] = audit_region,
) -> OrganizationAudit:
    """Audit every account of `targets` in every Region, `workers` at a time, with `caller`'s session assuming the
    audit role in each (`session_factory` makes a session of its credentials)."""
    make_session = session_factory or shared_loader_session_factory()
    sts = client(caller, "sts", regions[0])
    result = OrganizationAudit(regions=tuple(regions), targets=targets)

    def open_account(account: Account) -> tuple[Account, Any, str]:
        arn = role_arn(partition, account.id, role_name)
        credentials = assume(sts, arn, AUDIT_SESSION_NAME)
        if isinstance(credentials, str):
            return account, None, f"cannot assume {arn}: {credentials}"
        return account, _LockedSession(make_session(credentials), threading.Lock()), arn

    def audit_one(account: Account, session: Any, region: str) -> list[AccountCheck]:
        try:
            return [AccountCheck(account, check) for check in audit(expected, session, region, account.id)]
        except Exception as error:  # any defect becomes a row; the other accounts still run
            return _unexpected(account, region, error)

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="org-audit") as pool:
        opened = list(pool.map(open_account, targets.accounts))
        work = []
        for account, session, detail in opened:
            for region in regions:
                assumed = session is not None
                arn = role_arn(partition, account.id, role_name)
                actual = "assumed" if assumed else detail
                row = Check(ASSUME_CHECK, region, arn, "assumable by the audit", actual, assumed)
                work.append(([AccountCheck(account, row)], account, session, region))
        futures = [
            (rows, pool.submit(audit_one, account, session, region) if session is not None else None)
            for rows, account, session, region in work
        ]
        for rows, future in futures:
            result.rows += rows + (future.result() if future is not None else [])
    return result
