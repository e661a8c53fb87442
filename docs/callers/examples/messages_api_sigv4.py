"""Call Claude through the Anthropic Messages API on bedrock-runtime, signed with SigV4 by botocore.

    python docs/callers/examples/messages_api_sigv4.py <Region> <profile ID> "<prompt>"

`POST https://bedrock-runtime.<Region>.amazonaws.com/anthropic/v1/messages` takes an Anthropic Messages API body
whose `model` is the inference profile ID of your scope (the access stack's `ModelIds` output), an
`anthropic-version` header, and AWS credentials: those of a role holding the project's InvokePolicy (InvokerRole,
or a team role). The pinned anthropic SDK cannot send it: its AnthropicBedrock client rewrites the call to
InvokeModel (/model/<id>/invoke) and its AnthropicBedrockMantle client signs for bedrock-mantle. So this file signs
the request itself; only the standard library and botocore (which boto3 brings) are needed.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from typing import Any

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import ReadOnlyCredentials

# The header AWS's example sends on this route ("Inference using Anthropic Messages API").
ANTHROPIC_VERSION = "2023-06-01"
# bedrock-runtime signs as the service `bedrock`.
SIGNING_NAME = "bedrock"


def messages_url(region: str, endpoint: str | None = None) -> str:
    """The route on the Region's bedrock-runtime endpoint (or on `endpoint`, e.g. a VPC endpoint's DNS name)."""
    return f"{endpoint or f'https://bedrock-runtime.{region}.amazonaws.com'}/anthropic/v1/messages"


def create_message(
    region: str,
    body: dict[str, Any],
    *,
    credentials: ReadOnlyCredentials | None = None,
    endpoint: str | None = None,
    timeout: float = 120,
) -> dict[str, Any]:
    """Send one Messages API request and return the message Bedrock answers."""
    if credentials is None:
        found = boto3.Session().get_credentials()
        if found is None:
            raise RuntimeError("no AWS credentials found (environment, profile or role)")
        credentials = found.get_frozen_credentials()
    request = AWSRequest(
        method="POST",
        url=messages_url(region, endpoint),
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json", "anthropic-version": ANTHROPIC_VERSION},
    )
    SigV4Auth(credentials, SIGNING_NAME, region).add_auth(request)
    prepared = request.prepare()
    sent = urllib.request.Request(prepared.url, data=prepared.body, headers=dict(prepared.headers), method="POST")
    with urllib.request.urlopen(sent, timeout=timeout) as response:
        message: dict[str, Any] = json.loads(response.read())
    return message


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(f'Usage: python {argv[0]} <Region> <profile ID> "<prompt>"', file=sys.stderr)
        return 2
    region, profile_id, prompt = argv[1:]
    body = {"model": profile_id, "max_tokens": 1024, "messages": [{"role": "user", "content": prompt}]}
    message = create_message(region, body)
    print("".join(block.get("text", "") for block in message["content"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
