"""Invocation-log records in AWS's documented shape, and files laid out as Bedrock writes them to S3.

Written from the sources, not from the queries under test:

- The record: Amazon Bedrock user guide, "Monitor model invocation using CloudWatch Logs and Amazon S3",
  section "Log entry format" (https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html):
  `schemaType` "ModelInvocationLog", `schemaVersion` "1.0", `timestamp`, `accountId`, `region`, `requestId`,
  `operation`, `modelId`, `identity.arn`, `requestMetadata` (only when the caller sent some), `input`
  {`inputContentType`, `inputBodyJson`, `inputTokenCount`}, `output` {`outputContentType`, `outputBodyJson`,
  `outputTokenCount`}. The same page: bodies over 100 KB are "stored as separate objects in Amazon S3".
- Fields of delivered records that AWS's table does not list, marked OBSERVED below: `inferenceRegion`,
  `errorCode` (failed calls), `input.cacheReadInputTokenCount` / `input.cacheWriteInputTokenCount` (AWS's cost page
  says records carry cache-read and cache-write counts; the names are those of delivered records), and
  `input.inputBodyS3Path` / `output.outputBodyS3Path` in place of a body over 100 KB.
- A Converse record's `output.outputBodyJson` is the Converse response (Amazon Bedrock API reference, Converse:
  `output`, `stopReason`, `usage`, `metrics.latencyMs`).
- The S3 layout: `<prefix>/AWSLogs/<account>/BedrockModelInvocationLogs/<region>/<yyyy>/<MM>/<dd>/<HH>/` + a
  gzipped file of one JSON record per line; bodies under `<HH>/data/<requestId>_input.json.gz`; a zero-byte
  `amazon-bedrock-logs-permission-check` object (the prefix up to the Region is AWS's bucket policy; the rest is
  what delivered logs show).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

ACCOUNT = "111122223333"
REGION = "eu-west-1"
CALLER = f"arn:aws:sts::{ACCOUNT}:assumed-role/InvokerRole/session-name"


def record(
    *,
    when: datetime,
    request_id: str,
    model_id: str = "eu.anthropic.claude-sonnet-4-6",
    operation: str = "InvokeModel",
    caller: str = CALLER,
    input_tokens: int = 25,
    output_tokens: int = 150,
    cache_read: int | None = None,
    cache_write: int | None = None,
    metadata: dict[str, str] | None = None,
    error_code: str | None = None,
    large_input: bool = False,
    inference_region: str | None = "eu-central-1",
) -> dict[str, Any]:
    """One record as AWS documents it (plus the OBSERVED fields of delivered records, where given)."""
    entry: dict[str, Any] = {
        "schemaType": "ModelInvocationLog",
        "schemaVersion": "1.0",
        "timestamp": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "accountId": ACCOUNT,
        "region": REGION,
        "requestId": request_id,
        "operation": operation,
        "modelId": model_id,
        "identity": {"arn": caller},
    }
    if metadata:
        entry["requestMetadata"] = dict(metadata)
    entry["input"] = {"inputContentType": "application/json", "inputTokenCount": input_tokens}
    if large_input:
        entry["input"]["inputBodyS3Path"] = f"s3://bucket/invocation-logs/{request_id}_input.json.gz"  # OBSERVED
    else:
        entry["input"]["inputBodyJson"] = {"messages": [{"role": "user", "content": "Hello"}], "max_tokens": 512}
    if cache_read is not None:
        entry["input"]["cacheReadInputTokenCount"] = cache_read  # OBSERVED
    if cache_write is not None:
        entry["input"]["cacheWriteInputTokenCount"] = cache_write  # OBSERVED
    body: Any = {"type": "message", "role": "assistant", "content": [{"type": "text", "text": "Hi"}]}
    if operation == "Converse":
        body = {
            "output": {"message": {"role": "assistant", "content": [{"text": "Hi"}]}},
            "stopReason": "end_turn",
            "usage": {"inputTokens": input_tokens, "outputTokens": output_tokens},
            "metrics": {"latencyMs": 1234},
        }
    entry["output"] = {
        "outputContentType": "application/json",
        "outputBodyJson": body,
        "outputTokenCount": output_tokens,
    }
    if error_code is not None:
        entry["errorCode"] = error_code  # OBSERVED
    if inference_region is not None:
        entry["inferenceRegion"] = inference_region  # OBSERVED
    return entry


def sample_records() -> list[dict[str, Any]]:
    """One record of each shape: the invoker's InvokeModel call (with its request metadata), a Converse call with
    a caller's own request metadata, a failed call. Every field a saved query may read must be in one of them."""
    when = datetime(2026, 11, 20, 9, 30)
    return [
        record(
            when=when,
            request_id="11111111-aaaa-bbbb-cccc-000000000001",
            cache_read=100,
            cache_write=20,
            metadata={
                "invoker": "claude-invoker",
                "model_alias": "claude-sonnet-4-6",
                "function_arn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:claude-invoker",
                "lambda_request_id": "0f1e2d3c-aaaa-bbbb-cccc-000000000001",
                "user_id": "user-42",
                # Through the invoker's function URL: the principal Lambda authenticated.
                "attribution": "authenticated",
                "caller_arn": f"arn:aws:iam::{ACCOUNT}:role/orders-service",
            },
        ),
        # Another caller's request metadata, as AWS's own example of the format shows it.
        record(
            when=when,
            request_id="11111111-aaaa-bbbb-cccc-000000000002",
            operation="Converse",
            metadata={"team": "orchestrator", "environment": "production"},
        ),
        record(when=when, request_id="11111111-aaaa-bbbb-cccc-000000000003", error_code="ThrottlingException"),
    ]


def field_paths(value: Any, prefix: str = "") -> set[str]:
    """Every dotted path of a record: `input`, `input.inputTokenCount`, ..."""
    paths: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            paths.add(path)
            paths |= field_paths(item, path)
    return paths


def write_logs(root: Path, records: Iterable[dict[str, Any]], *, prefix: str = "invocation-logs") -> Path:
    """Write `records` as Bedrock does: per hour, one gzipped file of JSON lines; bodies of `large_input` records as
    sidecar objects under `<HH>/data/`; the permission-check marker. Returns the Region's folder (the table root)."""
    region_root = root / prefix / "AWSLogs" / ACCOUNT / "BedrockModelInvocationLogs" / REGION
    by_hour: dict[Path, list[dict[str, Any]]] = {}
    for entry in records:
        when = datetime.strptime(entry["timestamp"], "%Y-%m-%dT%H:%M:%SZ")
        by_hour.setdefault(region_root / when.strftime("%Y/%m/%d/%H"), []).append(entry)
    for folder, entries in by_hour.items():
        folder.mkdir(parents=True, exist_ok=True)
        stamp = folder.relative_to(region_root).as_posix().replace("/", "")
        name = f"{stamp[:8]}T{stamp[8:]}0102Z_9f2a{len(entries):04x}.json.gz"
        (folder / name).write_bytes(gzip.compress("".join(json.dumps(e) + "\n" for e in entries).encode()))
        for entry in entries:
            if "inputBodyS3Path" in entry["input"]:
                data = folder / "data"
                data.mkdir(exist_ok=True)
                body = {"messages": [{"role": "user", "content": "x" * 1000}], "max_tokens": 512}
                (data / f"{entry['requestId']}_input.json.gz").write_bytes(gzip.compress(json.dumps(body).encode()))
    marker = root / prefix / "AWSLogs" / ACCOUNT / "BedrockModelInvocationLogs" / "amazon-bedrock-logs-permission-check"
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_bytes(b"")
    return region_root
