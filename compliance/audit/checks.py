"""One audit row (`Check`), and how an AWS error becomes the ACTUAL text of a FAIL row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TextIO

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

# Read-only calls: a few standard retries for throttling, and no hanging on an unreachable endpoint.
CLIENT_CONFIG = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=10, read_timeout=30)

AwsError = (ClientError, BotoCoreError)


@dataclass(frozen=True)
class Check:
    """One row of the audit: what was expected of one resource, what was found, and whether they agree."""

    name: str
    region: str
    resource: str
    expected: str
    actual: str
    passed: bool

    @property
    def result(self) -> str:
        return "PASS" if self.passed else "FAIL"


def error_text(error: Exception) -> str:
    """`Code: message` of an AWS error, for the ACTUAL column."""
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        code = details.get("Code") or "Error"
        message = details.get("Message") or ""
        return f"{code}: {message}" if message else code
    return f"{type(error).__name__}: {error}"


def error_code(error: Exception) -> str:
    return str(error.response.get("Error", {}).get("Code", "")) if isinstance(error, ClientError) else ""


def client(session: Any, service: str, region: str) -> Any:
    return session.client(service, region_name=region, config=CLIENT_CONFIG)


def start_session(stream: TextIO) -> Any | None:
    """The default boto3 session of the commands, or None after one line on `stream` saying why it cannot start."""
    import boto3  # the commands' only; the continuous audit function builds its clients itself

    try:
        return boto3.Session()
    except BotoCoreError as error:  # e.g. AWS_PROFILE names a profile that does not exist
        stream.write(f"Cannot start an AWS session: {error_text(error)}\n")
        return None
