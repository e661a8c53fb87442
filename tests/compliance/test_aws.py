"""The one place the commands start AWS sessions and make clients: retries, Regions, and an AWS error as one line."""

from __future__ import annotations

import io

import boto3
import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from compliance.aws import client, error_code, error_text, start_session


def client_error(code: str, message: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, "GetRole")


def test_an_aws_error_is_its_code_and_message() -> None:
    assert error_text(client_error("AccessDenied", "not authorized")) == "AccessDenied: not authorized"
    assert error_text(client_error("NoSuchEntity", "")) == "NoSuchEntity"
    assert error_code(client_error("NoSuchEntity", "")) == "NoSuchEntity"


def test_a_connection_failure_names_its_kind() -> None:
    error = EndpointConnectionError(endpoint_url="https://bedrock.us-east-1.amazonaws.com")
    assert error_text(error) == (
        'EndpointConnectionError: Could not connect to the endpoint URL: "https://bedrock.us-east-1.amazonaws.com"'
    )
    assert error_code(error) == ""


def test_a_client_names_its_region_and_retries_a_few_times_with_timeouts() -> None:
    """The profile's default Region is not used: every client is of the Region the command asks for."""
    session = boto3.Session(region_name="eu-west-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    bedrock = client(session, "bedrock", "us-west-2")
    assert bedrock.meta.region_name == "us-west-2"
    config = bedrock.meta.config
    # botocore's `max_attempts` counts retries: three after the first attempt, four attempts in all.
    assert (config.retries["mode"], config.retries["total_max_attempts"]) == ("standard", 4)
    assert (config.connect_timeout, config.read_timeout) == (10, 30)


def test_a_session_that_cannot_start_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile")
    stream = io.StringIO()
    assert start_session(stream) is None
    assert (
        stream.getvalue()
        == "Cannot start an AWS session: ProfileNotFound: The config profile (no-such-profile) could not be found\n"
    )
