"""What the usage dashboard and the saved queries expect of the invoker, checked against what it really emits.

The handler runs (Bedrock answered over HTTP by the stand-in); its EMF metrics, its log line and the request
metadata it sends are compared with core/usage/metrics.py, core/usage/queries.py and core/usage/athena.py, so a
change on either side that breaks a graph or a query fails here.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from core.usage.athena import INVOKER_METADATA_KEYS
from core.usage.metrics import (
    INVOKER_CALLER_DIMENSIONS,
    INVOKER_CALLER_METRICS,
    INVOKER_METRICS,
    INVOKER_THROTTLE_ERROR_TYPE,
)
from core.usage.queries import (
    INVOKER_CALLER_FIELDS,
    INVOKER_GUARDRAIL_FIELD,
    INVOKER_LOG,
    INVOKER_METADATA_VALUE,
    INVOKER_SUCCESS_MESSAGE,
    INVOKER_TOKEN_FIELDS,
    QUERIES,
)
from tests.support.bedrock_runtime import BedrockStandIn, Reply
from tests.support.invoker import (
    SUCCESS_BODY,
    URL_ALIAS,
    URL_FUNCTION_ARN,
    FakeContext,
    function_url_event,
    valid_event,
)


def _emitted(out: str) -> tuple[set[tuple[str, str, tuple[str, ...]]], list[dict[str, Any]]]:
    """(metric name, unit, sorted dimension names) for each dimension set of the EMF lines, and the other JSON log
    lines."""
    metrics: set[tuple[str, str, tuple[str, ...]]] = set()
    logs = []
    for line in out.splitlines():
        if not line.startswith("{"):
            continue
        entry = json.loads(line)
        if "_aws" not in entry:
            logs.append(entry)
            continue
        for directive in entry["_aws"]["CloudWatchMetrics"]:
            for metric in directive["Metrics"]:
                for dimensions in directive["Dimensions"]:
                    metrics.add((metric["Name"], metric["Unit"], tuple(sorted(dimensions))))
    return metrics, logs


# A success that read from and wrote to the prompt cache, through a guardrail that intervened: Bedrock's answer
# (HTTP 200, stop_reason end_turn) with its guardrail verdict, the only sign of the intervention.
CACHED_AND_GUARDED = {
    **SUCCESS_BODY,
    "usage": {**SUCCESS_BODY["usage"], "cache_creation_input_tokens": 2048, "cache_read_input_tokens": 4096},
    "amazon-bedrock-guardrailAction": "INTERVENED",
}


def test_metrics_and_log_fields_are_those_the_dashboard_and_queries_read(
    load_handler: Callable[..., ModuleType], bedrock: BedrockStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    module = load_handler(INVOKER_URL_ALIAS=URL_ALIAS)
    module.handler(valid_event(metadata={"user_id": "u-7"}), FakeContext())
    bedrock.error(400, "ValidationException", "bad request")
    module.handler(valid_event(), FakeContext())
    bedrock.replies.append(Reply(body=CACHED_AND_GUARDED))
    module.handler(valid_event(), FakeContext())
    through_url = FakeContext()
    through_url.invoked_function_arn = URL_FUNCTION_ARN
    assert module.handler(function_url_event(valid_event()), through_url)["statusCode"] == 200
    metrics, logs = _emitted(capsys.readouterr().out)
    expected = {(name, unit, tuple(sorted(dims))) for name, (unit, dims) in INVOKER_METRICS.items()}
    expected |= {
        (name, INVOKER_METRICS[name][0], tuple(sorted(INVOKER_CALLER_DIMENSIONS))) for name in INVOKER_CALLER_METRICS
    }
    assert metrics == expected

    success = next(line for line in logs if line.get("message") == INVOKER_SUCCESS_MESSAGE)
    (slowest,) = [q for q in QUERIES if q.log == INVOKER_LOG]
    assert set(slowest.fields) <= set(success), sorted(set(slowest.fields) - set(success))
    (guarded,) = [line for line in logs if INVOKER_GUARDRAIL_FIELD in line]
    assert {field: guarded[field] for field in INVOKER_TOKEN_FIELDS} == {
        "input_tokens": 12,
        "output_tokens": 3,
        "cache_creation_input_tokens": 2048,
        "cache_read_input_tokens": 4096,
    }
    assert guarded[INVOKER_GUARDRAIL_FIELD] == "INTERVENED"

    sent = [json.loads(r.headers["x-amzn-bedrock-request-metadata"]) for r in bedrock.requests]
    assert sent[0]["invoker"] == INVOKER_METADATA_VALUE
    # Every key the Glue table declares is sent (the caller's and the team's only through the function URL), no other.
    assert all(set(metadata) <= set(INVOKER_METADATA_KEYS) for metadata in sent)
    assert set().union(*sent) | {"team"} == set(INVOKER_METADATA_KEYS)
    by_url = next(line for line in logs if line.get("attribution") == "authenticated")
    assert set(INVOKER_CALLER_FIELDS) <= set(by_url) | {"team"}


def test_bedrock_throttling_is_the_error_type_the_capacity_widget_searches(
    load_handler: Callable[..., ModuleType],
) -> None:
    load_handler()
    errors = sys.modules["claude_invoker.errors"]
    assert errors.BEDROCK_CODES["ThrottlingException"] == INVOKER_THROTTLE_ERROR_TYPE
