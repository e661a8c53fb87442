"""Nothing lost asynchronously: invoked through the asynchronous alias, an answer whose on-success record would not
fit in a queue message (1 MiB) is kept in the results bucket and the record carries a pointer to it. Over real HTTP:
Bedrock is the stand-in, S3 is moto's server."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from claude_invoker.bedrock import ClientPool
from claude_invoker.config import Settings
from claude_invoker.results import ResultStore
from claude_invoker.service import CallContext, Outcome, process

from tests.support import anthropic_sdk as sdk
from tests.support.bedrock_runtime import BedrockStandIn, Reply
from tests.support.invoker import RESULTS_BUCKET, SUCCESS_BODY, FakeContext, valid_event, without_request_id

MIB = 1_048_576  # SQS's largest message (botocore sqs model)
SYNC_ARN = "arn:aws:lambda:us-east-1:123456789012:function:claude-invoker"
ASYNC_ARN = f"{SYNC_ARN}:async"
# An answer of about 0.9 MiB: a long completion.
LARGE_ANSWER = {**SUCCESS_BODY, "content": [{"type": "text", "text": "a" * 940_000}]}
# A request carrying a ~150 KB PDF (base64), as asynchronous callers send documents.
PDF = base64.b64encode(b"%PDF-1.7 " + bytes(range(256)) * 440).decode()
DOCUMENT_EVENT = valid_event(
    messages=[
        {
            "role": "user",
            "content": [
                {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": PDF}},
                {"type": "text", "text": "Summarize at length."},
            ],
        }
    ]
)


def on_success_record(event: Any, answer: Any, arn: str = ASYNC_ARN) -> dict[str, Any]:
    """The record Lambda sends to an on-success destination (Lambda developer guide, "Capturing records of
    asynchronous invocations": the request payload and the function's answer, with the record's own fields)."""
    return {
        "version": "1.0",
        "timestamp": "2026-11-25T18:16:05.568Z",
        "requestContext": {
            "requestId": "e4b46cbf-b738-xmpl-8880-a18cdf61200e",
            "functionArn": f"{arn}",
            "condition": "Success",
            "approximateInvokeCount": 1,
        },
        "requestPayload": event,
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST"},
        "responsePayload": answer,
    }


def record_size(record: dict[str, Any]) -> int:
    return len(json.dumps(record).encode())


@pytest.fixture
def async_settings(settings: Settings) -> Settings:
    return settings._replace(results_bucket=RESULTS_BUCKET, async_alias="async", results_retention_days=14)


def run(settings: Settings, event: Any, arn: str, store: ResultStore | None = None) -> Outcome:
    context = FakeContext()
    call = CallContext(context.get_remaining_time_in_millis, arn, context.aws_request_id)
    results = store or ResultStore(RESULTS_BUCKET, settings.results_retention_days)
    return process(event, settings, ClientPool(settings), call, results)


def stored_keys(s3: Any) -> list[str]:
    return [o["Key"] for o in s3.list_objects_v2(Bucket=RESULTS_BUCKET).get("Contents", [])]


def test_a_09_mib_answer_to_a_document_request_is_kept_in_the_bucket(
    bedrock: BedrockStandIn, results_bucket: Any, async_settings: Settings
) -> None:
    bedrock.default = Reply(body=LARGE_ANSWER)
    # The record Lambda would try to deliver with the whole answer: too large for the queue.
    assert record_size(on_success_record(DOCUMENT_EVENT, LARGE_ANSWER)) > MIB
    outcome = run(async_settings, DOCUMENT_EVENT, ASYNC_ARN)
    pointer = outcome.response
    assert pointer["type"] == "invoker_stored_result"
    assert (pointer["result_type"], pointer["bucket"], pointer["expires_after_days"]) == ("message", RESULTS_BUCKET, 14)
    assert pointer["key"].startswith("results/") and pointer["key"].endswith(f"{FakeContext().aws_request_id}.json")
    assert pointer["s3_uri"] == f"s3://{RESULTS_BUCKET}/{pointer['key']}"
    # The record that is delivered instead fits, request included.
    assert record_size(on_success_record(DOCUMENT_EVENT, pointer)) <= MIB
    # The bucket holds the whole answer, byte for byte what the pointer describes: an Anthropic message.
    data = results_bucket.get_object(Bucket=RESULTS_BUCKET, Key=pointer["key"])["Body"].read()
    assert (len(data), hashlib.sha256(data).hexdigest()) == (pointer["size_bytes"], pointer["sha256"])
    assert without_request_id(json.loads(data)) == LARGE_ANSWER
    assert sdk.Message.model_validate_json(data).content[0].text == "a" * 940_000  # type: ignore[union-attr]
    # What the logs and metrics need still describes the call.
    assert outcome.ok and outcome.usage == SUCCESS_BODY["usage"] and outcome.stored == pointer


def test_a_09_mib_answer_that_fits_with_its_request_stays_in_the_queue(
    bedrock: BedrockStandIn, results_bucket: Any, async_settings: Settings
) -> None:
    bedrock.default = Reply(body=LARGE_ANSWER)
    outcome = run(async_settings, valid_event(), ASYNC_ARN)
    assert without_request_id(outcome.response) == LARGE_ANSWER and outcome.stored is None
    assert record_size(on_success_record(valid_event(), LARGE_ANSWER)) <= MIB
    assert stored_keys(results_bucket) == []


def test_a_synchronous_caller_always_gets_the_whole_answer(
    bedrock: BedrockStandIn, results_bucket: Any, async_settings: Settings
) -> None:
    bedrock.default = Reply(body=LARGE_ANSWER)
    assert without_request_id(run(async_settings, DOCUMENT_EVENT, SYNC_ARN).response) == LARGE_ANSWER
    assert without_request_id(run(async_settings, DOCUMENT_EVENT, f"{SYNC_ARN}:live").response) == LARGE_ANSWER
    assert stored_keys(results_bucket) == []


def test_an_answer_that_cannot_be_stored_is_an_error_that_fits(
    bedrock: BedrockStandIn, results_bucket: Any, async_settings: Settings
) -> None:
    bedrock.default = Reply(body=LARGE_ANSWER, request_id="req-big")
    missing = ResultStore("no-such-bucket", 14)
    response = run(async_settings, DOCUMENT_EVENT, ASYNC_ARN, missing).response
    assert response["error"]["type"] == "api_error"
    assert "could not be stored in the results bucket" in response["error"]["message"]
    assert response["request_id"] == "req-big"  # Bedrock answered: its ID lets the operators find the call
    sdk.ErrorResponse.model_validate(response)
    assert record_size(on_success_record(DOCUMENT_EVENT, response)) <= MIB


def test_the_handler_keeps_a_large_answer_through_the_alias_and_logs_where(
    bedrock: BedrockStandIn,
    results_bucket: Any,
    load_handler: Callable[..., ModuleType],
    capsys: pytest.CaptureFixture[str],
) -> None:
    handler = load_handler(INVOKER_RESULTS_BUCKET=RESULTS_BUCKET, INVOKER_ASYNC_ALIAS="async")
    bedrock.default = Reply(body=LARGE_ANSWER)
    context = FakeContext()
    context.invoked_function_arn = ASYNC_ARN
    pointer = handler.handler(DOCUMENT_EVENT, context)
    assert pointer["type"] == "invoker_stored_result"
    assert stored_keys(results_bucket) == [pointer["key"]]
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    log = next(line for line in lines if line.get("message") == "Claude invocation succeeded")
    assert log["stored_result"] == {"s3_uri": pointer["s3_uri"], "size_bytes": pointer["size_bytes"]}
    assert "a" * 100 not in json.dumps(lines)  # the completion is not logged
