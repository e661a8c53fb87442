"""How Claude is called on bedrock-runtime: each route and the IAM action that authorizes it, and the Anthropic API
versions a request body may name.

Routes. Amazon Bedrock serves the Anthropic Messages API on bedrock-runtime at `/anthropic/v1/messages`
("Inference using Anthropic Messages API", https://docs.aws.amazon.com/bedrock/latest/userguide/
inference-messages-api.html: "Recommended for new applications. Uses AWS SDK integrations, IAM authentication, and
invocation logging."). No AWS page names the IAM action of that route. "Endpoints supported by Amazon Bedrock"
(https://docs.aws.amazon.com/bedrock/latest/userguide/endpoints.html) gives one row for every inference on
bedrock-runtime: "IAM authorization for inference | bedrock:InvokeModel on the inference target [...];
bedrock:InvokeModelWithResponseStream for streaming", and the service authorization reference lists no other
inference action for the `bedrock` prefix. So the route is authorized as InvokeModel (streaming: as
InvokeModelWithResponseStream) on the profile and its routed model ARNs: established by elimination, marked
`confirmed=False` here, and settled by tests/live/test_messages_api_route.py against an account.

API versions. The InvokeModel body names its version in `anthropic_version`; the Bedrock user guide gives
`bedrock-2023-05-31` (same page: "Set "anthropic_version": "bedrock-2023-05-31" in the request body when calling
InvokeModel"). Anthropic's "Versions" page (https://platform.claude.com/docs/en/api/versioning) adds `2026-10-21`:
"On Amazon Bedrock, it's available for Claude 4.7 and later models", and says what it removes (below). Which
version each model takes is a catalog fact (`ClaudeModel.api_versions`).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.catalog.models import SAMPLING_FIELDS, ApiVersion

BEDROCK_API_VERSION: ApiVersion = "bedrock-2023-05-31"
API_VERSION_2026_10_21: ApiVersion = "2026-10-21"
# "Claude 4.7 and later models" (Anthropic, "Versions"): the versions those models take, the invoker's first.
CLAUDE_4_7_AND_LATER: tuple[ApiVersion, ...] = (BEDROCK_API_VERSION, API_VERSION_2026_10_21)

# What 2026-10-21 removes from a Messages request (Anthropic "Versions": "The temperature, top_p, and top_k request
# parameters are removed. A request that sends any of them returns a 400"; "A request that places a document block
# directly in an assistant message returns a 400 error. Sending a text block with a non-empty citations array in a
# user message, directly or inside a search_result block, returns a 400 error.").
REMOVED_SAMPLING_FIELDS: dict[ApiVersion, tuple[str, ...]] = {API_VERSION_2026_10_21: SAMPLING_FIELDS}
# Content 2026-10-21 refuses, as (role, block type, field): a block of that type in a message of that role, when it
# carries a non-empty `field` ("" for the block itself). A user message's `search_result` blocks hold text blocks too.
REMOVED_CONTENT: dict[ApiVersion, tuple[tuple[str, str, str], ...]] = {
    API_VERSION_2026_10_21: (("assistant", "document", ""), ("user", "text", "citations"))
}

INVOKE = "bedrock:InvokeModel"
STREAM = "bedrock:InvokeModelWithResponseStream"


@dataclass(frozen=True)
class Route:
    """One bedrock-runtime route that runs Claude, the IAM action that authorizes it, and where that is said."""

    method: str
    path: str  # `{modelId}`: a profile ID or model ARN
    streaming: bool
    action: str
    confirmed: bool  # False: inferred, not stated by AWS for this route (see `source`)
    source: str


_INVOKE_PAGE = "https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModel.html"
_STREAM_PAGE = "https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModelWithResponseStream.html"
_CONVERSE_PAGE = "https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html"
_CONVERSE_STREAM_PAGE = "https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html"
_ENDPOINTS_PAGE = "https://docs.aws.amazon.com/bedrock/latest/userguide/endpoints.html"
MESSAGES_API_PATH = "/anthropic/v1/messages"
# The `operation` an invocation log record of a Messages API call carries ("Model invocation logging" lists
# Converse, ConverseStream, InvokeModel, InvokeModelWithResponseStream, and not this route): unconfirmed until
# tests/live/test_messages_api_route.py has run against an account.
MESSAGES_API_LOGGED_OPERATION: str | None = None

ROUTES: tuple[Route, ...] = (
    Route("POST", "/model/{modelId}/invoke", False, INVOKE, True, _INVOKE_PAGE),
    Route("POST", "/model/{modelId}/invoke-with-response-stream", True, STREAM, True, _STREAM_PAGE),
    # Converse: "This operation requires permission for the bedrock:InvokeModel action"; ConverseStream likewise
    # for bedrock:InvokeModelWithResponseStream (their API reference pages).
    Route("POST", "/model/{modelId}/converse", False, INVOKE, True, _CONVERSE_PAGE),
    Route("POST", "/model/{modelId}/converse-stream", True, STREAM, True, _CONVERSE_STREAM_PAGE),
    # The Messages API: the model in the body, `"stream": true` for a stream. Unconfirmed (module docstring).
    Route("POST", MESSAGES_API_PATH, False, INVOKE, False, _ENDPOINTS_PAGE),
    Route("POST", MESSAGES_API_PATH, True, STREAM, False, _ENDPOINTS_PAGE),
)


def route_action(path: str, streaming: bool) -> Route:
    """The route of `path` (a concrete path, `/model/<id>/...` or the Messages API's) as sent with or without
    streaming."""
    for route in ROUTES:
        prefix, _, suffix = route.path.partition("{modelId}")
        concrete = path.startswith(prefix) and path.endswith(suffix) if suffix else path == route.path
        if concrete and route.streaming == streaming:
            return route
    raise KeyError(f"no bedrock-runtime route {path!r} (streaming={streaming}) runs Claude")
