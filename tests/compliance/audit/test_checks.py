"""One audit row, and how an AWS error becomes the ACTUAL text of a FAIL row (never a traceback)."""

from __future__ import annotations

from botocore.exceptions import ClientError, EndpointConnectionError

from compliance.audit.checks import Check, error_code, error_text


def client_error(code: str, message: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, "GetRole")


def test_a_row_passes_or_fails() -> None:
    row = Check("iam.role.trust", "us-east-1", "arn:aws:iam::1:role/r", "trusts only Bedrock", "*", False)
    assert row.result == "FAIL"
    assert Check("n", "r", "res", "e", "a", True).result == "PASS"


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
