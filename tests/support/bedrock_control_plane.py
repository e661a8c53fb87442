"""Bedrock's control plane per Region for the catalog check, answering through botocore's `Stubber`.

moto does not implement ListInferenceProfiles, GetInferenceProfile or ListFoundationModels. The Stubber checks
every queued response against botocore's service model for bedrock (2023-04-20: required members, types, no
unknown keys), fails on a call nothing was queued for, and on a request whose parameters differ from those
expected. Responses are shaped as the API reference documents them (InferenceProfileSummary,
GetInferenceProfile, FoundationModelSummary); the data (which profile routes where, which model is LEGACY) is each
test's own, written from AWS's published tables, never computed by the catalog.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import botocore.session
from botocore.stub import Stubber

ACCOUNT = "111122223333"
ACCESS_DENIED_MESSAGE = "User is not authorized to perform this action"


def foundation_model_arn(region: str, model_id: str) -> str:
    return f"arn:aws:bedrock:{region}::foundation-model/{model_id}"


@dataclass
class RegionAccount:
    """One Region's control plane: SYSTEM_DEFINED profile ID -> (model ID, destination Regions), and Anthropic
    foundation model ID -> `modelLifecycle.status`. ListInferenceProfiles answers in pages of `page_size`."""

    profiles: dict[str, tuple[str, tuple[str, ...]]]
    models: dict[str, str]
    page_size: int = 2
    # IAM actions (e.g. "bedrock:GetInferenceProfile") whose calls are answered with AccessDeniedException.
    denied: set[str] = field(default_factory=set)
    # Profiles ListInferenceProfiles shows but GetInferenceProfile does not find.
    not_found: set[str] = field(default_factory=set)
    # Foundation model ID -> `modelLifecycle.endOfLifeTime` (a timestamp, as botocore returns it).
    end_of_life: dict[str, datetime] = field(default_factory=dict)


def _profile(region: str, profile_id: str, model_id: str, destinations: Iterable[str]) -> dict[str, Any]:
    return {
        "inferenceProfileName": profile_id.replace(".", " ").replace(":", " ")[:64],
        "description": f"Routes requests to {model_id}",
        "inferenceProfileArn": f"arn:aws:bedrock:{region}:{ACCOUNT}:inference-profile/{profile_id}",
        "models": [{"modelArn": foundation_model_arn(where, model_id)} for where in destinations],
        "inferenceProfileId": profile_id,
        "status": "ACTIVE",
        "type": "SYSTEM_DEFINED",
    }


def _model(region: str, model_id: str, status: str, end_of_life: datetime | None = None) -> dict[str, Any]:
    lifecycle: dict[str, Any] = {"status": status}
    if end_of_life is not None:
        lifecycle["endOfLifeTime"] = end_of_life
    return {
        "modelArn": foundation_model_arn(region, model_id),
        "modelId": model_id,
        "modelName": model_id.removeprefix("anthropic.")[:20],
        "providerName": "Anthropic",
        "inputModalities": ["TEXT", "IMAGE"],
        "outputModalities": ["TEXT"],
        "responseStreamingSupported": True,
        "customizationsSupported": [],
        "modelLifecycle": lifecycle,
    }


def _denied(stubber: Stubber, method: str, expected_params: dict[str, Any]) -> None:
    stubber.add_client_error(
        method,
        service_error_code="AccessDeniedException",
        service_message=ACCESS_DENIED_MESSAGE,
        http_status_code=403,
        expected_params=expected_params,
    )


def queue_reads(stubber: Stubber, region: str, account: RegionAccount, routed: Iterable[str]) -> None:
    """Queue the answers to the reads the catalog check makes in `region`, in its order: every page of
    ListInferenceProfiles, GetInferenceProfile for each of `routed` the Region offers, ListFoundationModels."""
    listed = list(account.profiles.items())
    if "bedrock:ListInferenceProfiles" in account.denied:
        _denied(stubber, "list_inference_profiles", {"typeEquals": "SYSTEM_DEFINED"})
    else:
        pages = [listed[i : i + account.page_size] for i in range(0, len(listed), account.page_size)] or [[]]
        for number, page in enumerate(pages):
            response: dict[str, Any] = {
                "inferenceProfileSummaries": [_profile(region, pid, *target) for pid, target in page]
            }
            if number + 1 < len(pages):
                response["nextToken"] = f"page-{number + 2}"
            params = {"typeEquals": "SYSTEM_DEFINED"} | ({"nextToken": f"page-{number + 1}"} if number else {})
            stubber.add_response("list_inference_profiles", response, params)
        for pid in dict.fromkeys(routed):
            if pid not in account.profiles:
                continue
            params = {"inferenceProfileIdentifier": pid}
            if "bedrock:GetInferenceProfile" in account.denied:
                _denied(stubber, "get_inference_profile", params)
            elif pid in account.not_found:
                stubber.add_client_error(
                    "get_inference_profile", "ResourceNotFoundException", "Inference profile not found", 404, params
                )
            else:
                stubber.add_response("get_inference_profile", _profile(region, pid, *account.profiles[pid]), params)
    if "bedrock:ListFoundationModels" in account.denied:
        _denied(stubber, "list_foundation_models", {"byProvider": "anthropic"})
    else:
        summaries = [
            _model(region, model_id, status, account.end_of_life.get(model_id))
            for model_id, status in account.models.items()
        ]
        stubber.add_response("list_foundation_models", {"modelSummaries": summaries}, {"byProvider": "anthropic"})


@functools.cache
def _botocore_session() -> botocore.session.Session:
    """One session with fake credentials for every stand-in (the service models are read once per process anyway:
    tests/support/aws_sessions.py); each stand-in's clients, and the Stubbers on them, are its own."""
    session = botocore.session.Session()
    session.set_credentials("testing", "testing")
    return session


class StubbedBedrock:
    """A stand-in for a boto3 Session: `client("bedrock", region_name=...)` is that Region's stubbed client, with
    the answers of `accounts[region]` queued for the profiles in `routed`. Any other service or Region fails."""

    def __init__(self, accounts: dict[str, RegionAccount], routed: Iterable[str]) -> None:
        session = _botocore_session()
        self.clients: dict[str, Any] = {}
        self.stubbers: dict[str, Stubber] = {}
        for region, account in accounts.items():
            client = session.create_client("bedrock", region_name=region)
            stubber = Stubber(client)
            queue_reads(stubber, region, account, routed)
            stubber.activate()
            self.clients[region], self.stubbers[region] = client, stubber

    def client(self, service: str, region_name: str, **_: Any) -> Any:
        assert service == "bedrock", f"the catalog check called {service}"
        assert region_name in self.clients, f"the catalog check called bedrock in {region_name}"
        return self.clients[region_name]

    def assert_no_pending_responses(self) -> None:
        for stubber in self.stubbers.values():
            stubber.assert_no_pending_responses()
