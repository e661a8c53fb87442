"""Fixtures for the configuration provider's tests: its code root on the path, moto's Bedrock (logging) with the
data retention stand-in, and a response server (tests/support/configuration_provider.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from tests.support.configuration_provider import CODE_ROOT, Bedrock, Responses, ResponseServer, response_server
from tests.support.fake_account import REGION, fake_credentials_session

if str(CODE_ROOT) not in sys.path:
    sys.path.insert(0, str(CODE_ROOT))


@pytest.fixture(scope="module")
def responses_server() -> Iterator[ResponseServer]:
    with response_server() as server:
        yield server


@pytest.fixture
def responses(responses_server: ResponseServer) -> Responses:
    """The module's response server, with nothing received yet."""
    return responses_server.fresh()


@pytest.fixture(scope="module")
def session() -> Iterator[boto3.Session]:
    """One session with fake credentials for the module's tests."""
    with fake_credentials_session() as shared:
        yield shared


@pytest.fixture
def bedrock(session: boto3.Session) -> Iterator[Any]:
    """Bedrock in a fresh account: no logging configuration (moto), no data retention mode or storage record."""
    with mock_aws():
        yield Bedrock(session.client("bedrock", region_name=REGION))
