"""AWS sessions and clients for every command (audit, organization audit, catalog check, report as deployed), and
how an AWS error becomes one line of text.

One owner: each command starts its session with `start_session` and makes every client with `client`, so all of them
share the retry configuration, name their Region explicitly (the Regions come from the configuration, never from
the profile's default Region) and say the same thing when a session cannot start. The continuous audit function
ships this module with the checks, which make their clients and read their errors here too; boto3 itself is
imported only when a command starts a session (the function's handler makes its own).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, Protocol, TextIO

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

# Read-only calls: a few standard retries for throttling, and no hanging on an unreachable endpoint.
CLIENT_CONFIG = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=10, read_timeout=30)

AwsError = (ClientError, BotoCoreError)


class Paginator(Protocol):
    def paginate(self, **parameters: Any) -> Iterator[Mapping[str, Any]]: ...


class Client(Protocol):
    """A boto3 client: one method per operation of the service (`get_role`, `list_rules`, ...), made at run time
    from the service model, which is why the operations are not listed here."""

    def get_paginator(self, operation_name: str) -> Paginator: ...

    def __getattr__(self, operation: str) -> Callable[..., Any]: ...


class Session(Protocol):
    """What the commands and checks need of a boto3 session: clients (organization/audit.py's `AssumedSession` is
    one too, with an assumed role's credentials)."""

    def client(
        self, service_name: str, /, region_name: str | None = None, *, config: Config | None = None
    ) -> Client: ...


class CallerSession(Session, Protocol):
    """The caller's own boto3 session (`start_session`), which also makes clients with other credentials: the
    organization audit's assumed roles."""

    def client(
        self,
        service_name: str,
        /,
        region_name: str | None = None,
        *,
        config: Config | None = None,
        aws_access_key_id: str | None = None,
        aws_secret_access_key: str | None = None,
        aws_session_token: str | None = None,
    ) -> Client: ...


def client(session: Session, service: str, region: str) -> Client:
    """A client of `service` in `region`, with the commands' retries and timeouts."""
    return session.client(service, region_name=region, config=CLIENT_CONFIG)


# What to set when there are no credentials: the ways botocore finds them, in the words of the AWS CLI's guide.
CREDENTIALS_HELP = (
    "set AWS_PROFILE (for IAM Identity Center, run `aws sso login --profile NAME` first), "
    "or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
)


def start_session(stream: TextIO) -> CallerSession | None:
    """The default boto3 session of the commands with credentials resolved, or None after one line on `stream`
    saying why it cannot start and what to set: no credentials is said once, here, not as a row of every check."""
    import boto3  # the commands' only: synthesis and the continuous audit's cold start do without it here

    try:
        session: CallerSession = boto3.Session()
    except BotoCoreError as error:  # e.g. AWS_PROFILE names a profile that does not exist
        stream.write(f"Cannot start an AWS session: {error_text(error)}\n")
        return None
    found = credentials_of(session)
    if found is None:
        stream.write(f"No AWS credentials found: {CREDENTIALS_HELP}\n")
        return None
    if isinstance(found, Exception):  # e.g. an expired IAM Identity Center token, a role that cannot be assumed
        stream.write(f"Cannot use the AWS credentials: {error_text(found)}; {CREDENTIALS_HELP}\n")
        return None
    return session


def credentials_of(session: Any) -> str | Exception | None:
    """How `session` finds its credentials (botocore's method: `env`, `sso`, `assume-role`, ...), resolved now, so an
    expired or unusable source shows here; the error when they cannot be resolved; None when there are none."""
    try:
        credentials = session.get_credentials()
        if credentials is None:
            return None
        credentials.get_frozen_credentials()
    except AwsError as error:
        failure: Exception = error
        return failure
    return str(credentials.method)


def error_text(error: Exception) -> str:
    """`Code: message` of an AWS error (`Kind: text` of one that never reached AWS), for a row or a one-line error."""
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        error_code = details.get("Code") or "Error"
        message = details.get("Message") or ""
        return f"{error_code}: {message}" if message else error_code
    return f"{type(error).__name__}: {error}"


def error_code(error: Exception) -> str:
    return str(error.response.get("Error", {}).get("Code", "")) if isinstance(error, ClientError) else ""
