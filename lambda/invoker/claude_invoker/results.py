"""Answers of asynchronous invocations too large for the results queue, kept in the results bucket.

Lambda sends the on-success record of an asynchronous invocation (its request payload, the function's answer and
the record's own fields) to the results queue, whose messages hold at most 1 MiB (SQS `MaximumMessageSize`,
1,048,576 bytes). A record over that cannot be delivered: Lambda counts a `DestinationDeliveryFailures` and the
answer is lost. So when the function was invoked through the asynchronous alias (its qualifier is in
`context.invoked_function_arn`: the function cannot otherwise tell how it was invoked) and the record could exceed
the limit, the answer goes to the results bucket and the function returns a small pointer to it instead.

The estimate is an upper bound for the answer (JSON with every non-ASCII character escaped) and the compact size
of the request, plus `RECORD_RESERVE` bytes for the record's own fields and for a request sent with whitespace.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from claude_invoker.json_text import size_bound
from claude_invoker.mirrored import RESULTS_PREFIX

if TYPE_CHECKING:
    from claude_invoker.protocols import S3

# SQS's largest message (botocore sqs model: "The maximum size is 1 MiB or 1,048,576 bytes").
QUEUE_MESSAGE_LIMIT = 1_048_576
RECORD_RESERVE = 65_536
POINTER_TYPE = "invoker_stored_result"
# Time kept for the upload when an answer may have to be stored (reserved before the Bedrock call).
STORE_RESERVE_SECONDS = 10.0


def is_async(function_arn: str | None, alias: str | None) -> bool:
    """Whether the function was invoked through the asynchronous alias (`...:function:<name>:<alias>`)."""
    if not function_arn or not alias:
        return False
    parts = function_arn.split(":")
    return len(parts) == 8 and parts[7] == alias


def json_size(value: Any, ensure_ascii: bool) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=ensure_ascii).encode())


def record_fits(event: Any, answer: dict[str, Any]) -> bool:
    """Whether the on-success record of `event` answered with `answer` stays within the queue's limit.

    An event `json.dumps` cannot measure (a lone surrogate, nesting near the recursion limit) is measured by
    `size_bound` instead, so a small refusal of such an event is never taken for an oversized answer."""
    try:
        event_size = json_size(event, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        event_size = size_bound(event)
    try:
        answer_size = json_size(answer, ensure_ascii=True)
    except (TypeError, ValueError, RecursionError):
        answer_size = size_bound(answer)
    return event_size + answer_size + RECORD_RESERVE <= QUEUE_MESSAGE_LIMIT


class ResultStore:
    """Puts answers in the results bucket; `factory()` makes the S3 client (created on first use only)."""

    def __init__(
        self,
        bucket: str,
        retention_days: int | None,
        factory: Callable[[], S3] | None = None,
    ) -> None:
        self.bucket = bucket
        self.retention_days = retention_days
        self._factory = factory or create_s3_client
        self._client: S3 | None = None

    def keep(self, answer: dict[str, Any], request_id: str | None) -> dict[str, Any]:
        """Store `answer`; return the pointer the function answers with. Raises what the S3 client raises."""
        import hashlib  # here, not at init: only asynchronous answers too large for the queue need it

        data = json.dumps(answer, separators=(",", ":"), ensure_ascii=False).encode()
        name = request_id or hashlib.sha256(data).hexdigest()
        key = f"{RESULTS_PREFIX}{time.strftime('%Y/%m/%d', time.gmtime())}/{name}.json"
        if self._client is None:
            self._client = self._factory()
        self._client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType="application/json")
        pointer: dict[str, Any] = {
            "type": POINTER_TYPE,
            "result_type": str(answer.get("type", "unknown")),
            "bucket": self.bucket,
            "key": key,
            "s3_uri": f"s3://{self.bucket}/{key}",
            "size_bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        if self.retention_days:
            pointer["expires_after_days"] = self.retention_days
        return pointer


def create_s3_client() -> S3:
    """An S3 client from the standard AWS configuration (Region, endpoint, credentials), made on first use."""
    import os

    from botocore.config import Config

    from claude_invoker.bedrock import botocore_session

    session = botocore_session()
    client = session.create_client(
        "s3",
        region_name=session.get_config_variable("region") or os.environ.get("AWS_REGION"),
        config=Config(
            connect_timeout=2,
            read_timeout=5,
            retries={"mode": "standard", "total_max_attempts": 2},
            user_agent_extra="claude-on-bedrock-invoker",
        ),
    )
    return cast("S3", client)
