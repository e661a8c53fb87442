"""Fixtures for the configuration provider's tests: its code root on the path, moto's Bedrock, and a response
server (tests/support/configuration_provider.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from tests.support.configuration_provider import CODE_ROOT, Responses, response_server
from tests.support.fake_account import REGION, fake_credentials_session

if str(CODE_ROOT) not in sys.path:
    sys.path.insert(0, str(CODE_ROOT))


@pytest.fixture
def responses() -> Iterator[Responses]:
    with response_server() as recorded:
        yield recorded


@pytest.fixture
def bedrock() -> Iterator[Any]:
    """moto's Bedrock (fake credentials), holding no configuration yet."""
    with fake_credentials_session(), mock_aws():
        yield boto3.client("bedrock", region_name=REGION)
