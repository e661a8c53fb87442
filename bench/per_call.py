"""Per-call overhead: the handler against a bare botocore InvokeModel, both to the Bedrock Runtime stand-in.

The stand-in (tests/support/bedrock_runtime.BedrockStandIn) runs in its own process on 127.0.0.1, so its threads do
not share the measuring process's GIL. A worker process with the function's environment imports the handler (from a
copy of its asset) and builds a bare client with the same configuration (botocore, standard retries, same timeouts,
same endpoint through AWS_ENDPOINT_URL_BEDROCK_RUNTIME), then times calls alternately:

- handler: handler.handler(event, context): validation, model resolution, request metadata, InvokeModel, the log
  line and the EMF line. Logging is set up as Lambda's Python runtime sets it up (its own JSON formatter and request-ID
  filter on the root logger, unbuffered stdout: tests/support/lambda_runtime.py), and stdout is redirected to
  /dev/null at the file-descriptor level: the formatting and the writes stay in the measured path.
- bare: json.dumps of the same Bedrock body, client.invoke_model, read and json.loads of the response.

  python bench/per_call.py [--iterations N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    ROOT,
    VENV_PYTHON,
    Row,
    Section,
    copy_asset,
    function_env,
    median,
    percentile,
    temp_dir,
)

TARGET_MEDIAN_MS = 1.0
TARGET_P99_MS = 5.0

# A typical request: a system prompt, a short conversation, sampling settings and the caller's user id.
EVENT: dict[str, Any] = {
    "model": "claude-sonnet-4-5",
    "max_tokens": 1024,
    "system": "You are a concise assistant for the ACME support desk. Answer in plain English.",
    "temperature": 0.2,
    "metadata": {"user_id": "user-4821"},
    "messages": [
        {"role": "user", "content": "My order 1182 has not arrived. What can I do?"},
        {"role": "assistant", "content": "I can help. Do you have the tracking number from the confirmation email?"},
        {"role": "user", "content": [{"type": "text", "text": "Yes: 1Z999AA10123456784. It says 'label created'."}]},
    ],
}

SERVER = f"""
import sys
sys.path.append({str(ROOT)!r})
from tests.support.bedrock_runtime import BedrockStandIn
stand_in = BedrockStandIn()
# TCP_NODELAY on the stand-in's sockets. It writes the headers and the body of a response in two sends; with Nagle's
# algorithm the body waits for the client's delayed ACK (up to 40 ms on Linux), which would be measured as latency.
stand_in.server.RequestHandlerClass.disable_nagle_algorithm = bool(int(sys.argv[1]))
stand_in.thread.start()
print(stand_in.url, flush=True)
sys.stdin.read()  # serve until the parent closes our stdin
stand_in.close()
"""


def worker(asset: str, iterations: int, warmup: int, out: str) -> None:
    """In the worker process: time handler and bare calls alternately, write the samples to `out` as JSON."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # the handler's log lines and EMF go nowhere, after being formatted and written
    from awslambdaric.bootstrap import Unbuffered

    from tests.support.invoker import REQUEST_ID  # the repository root is on sys.path (_common)
    from tests.support.lambda_runtime import lambda_json_logging

    sys.stdout = Unbuffered(sys.stdout)  # as the runtime does before it imports the handler: a flush per write
    with lambda_json_logging(REQUEST_ID, os.environ.get("AWS_LAMBDA_LOG_LEVEL", "INFO")):
        _measure(asset, iterations, warmup, out)


def _measure(asset: str, iterations: int, warmup: int, out: str) -> None:
    sys.path.insert(0, asset)
    import handler  # type: ignore[import-not-found]
    from botocore.config import Config
    from botocore.session import get_session

    from tests.support.invoker import FakeContext

    settings = handler.SETTINGS
    session = get_session()
    bare_client = session.create_client(
        "bedrock-runtime",
        region_name=os.environ["AWS_REGION"],
        config=Config(
            read_timeout=settings.read_timeout_seconds,
            connect_timeout=settings.connect_timeout_seconds,
            retries={"mode": "standard", "total_max_attempts": settings.max_attempts},
            user_agent_extra="claude-on-bedrock-invoker",
        ),
    )
    profile_id = settings.models[EVENT["model"]].profile_id
    template = json.dumps(EVENT)
    bedrock_body = {"anthropic_version": "bedrock-2023-05-31", **{k: v for k, v in EVENT.items() if k != "model"}}

    def bare() -> float:
        start = time.perf_counter()
        response = bare_client.invoke_model(
            modelId=profile_id,
            body=json.dumps(bedrock_body).encode(),
            contentType="application/json",
            accept="application/json",
        )
        json.loads(response["body"].read())
        return time.perf_counter() - start

    def call_handler() -> float:
        event, context = json.loads(template), FakeContext(300_000)
        start = time.perf_counter()
        result = handler.handler(event, context)
        elapsed = time.perf_counter() - start
        if result.get("type") != "message":
            raise SystemExit(f"the handler did not succeed: {result}")
        return elapsed

    samples: dict[str, list[float]] = {"handler": [], "bare": []}
    for index in range(warmup + iterations):
        order = (
            (("handler", call_handler), ("bare", bare)) if index % 2 else (("bare", bare), ("handler", call_handler))
        )
        for name, function in order:
            value = function()
            if index >= warmup:
                samples[name].append(value)

    profile_lines: list[str] = []
    if os.environ.get("BENCH_PROFILE") == "1":  # where the handler's own time goes, for the findings
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(300):
            call_handler()
        profiler.disable()
        stats = pstats.Stats(profiler)
        rows = []
        for (file, _line, function), (*_, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
            if any(part in file for part in ("claude_invoker", "handler.py", "awslambdaric", "logging")):
                rows.append((cumtime, f"{Path(file).name}:{function} {cumtime / 300 * 1000:.3f} ms/call"))
        profile_lines = [text for _, text in sorted(rows, reverse=True)[:8]]
    Path(out).write_text(json.dumps({**samples, "profile": profile_lines}))


def run(iterations: int = 1500, warmup: int = 100, profile: bool = False, nodelay: bool = True) -> Section:
    section = Section("Per-call overhead")
    started = time.perf_counter()
    with temp_dir("call") as tmp:
        asset = copy_asset(tmp / "task")
        server = subprocess.Popen(
            [str(VENV_PYTHON), "-c", SERVER, "1" if nodelay else "0"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            url = server.stdout.readline().strip()
            if not url.startswith("http://127.0.0.1:"):
                raise RuntimeError(f"the stand-in did not start: {url!r}")
            env = function_env(
                tmp,
                AWS_ENDPOINT_URL_BEDROCK_RUNTIME=url,
                BENCH_PROFILE="1" if profile else "0",
                # The tests' 2 s read timeout would refuse max_tokens 1024 (the time budget); the stand-in answers
                # at once, so a deployment-like wait changes nothing else.
                BEDROCK_READ_TIMEOUT_SECONDS="280",
                INVOKER_TIMEOUT_SECONDS="300",
            )
            out = tmp / "samples.json"
            cmd = [str(VENV_PYTHON), __file__, "--worker", str(asset), str(iterations), str(warmup), str(out)]
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
            if proc.returncode != 0:
                raise RuntimeError(f"the worker failed: {proc.stderr[-2000:]}")
            data = json.loads(out.read_text())
        finally:
            assert server.stdin is not None
            server.stdin.close()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    h, b = data["handler"], data["bare"]
    over_median = (median(h) - median(b)) * 1000
    over_p99 = (percentile(h, 99) - percentile(b, 99)) * 1000
    paired = median([x - y for x, y in zip(h, b, strict=True)]) * 1000

    def describe(values: list[float]) -> str:
        return f"median {median(values) * 1000:.3f} ms, p99 {percentile(values, 99) * 1000:.3f} ms"

    section.rows += [
        Row("2. Per call", "bare botocore invoke_model to the stand-in", describe(b), "1.00x", status="info"),
        Row(
            "2. Per call",
            "handler, same request, same stand-in",
            describe(h),
            f"{median(h) / median(b):.2f}x",
            status="info",
        ),
        Row(
            "2. Per call",
            "overhead, median (handler - bare)",
            f"{over_median:.3f} ms",
            "",
            f"< {TARGET_MEDIAN_MS} ms",
            "met" if over_median < TARGET_MEDIAN_MS else "MISSED",
        ),
        Row(
            "2. Per call",
            "overhead, p99 (handler - bare)",
            f"{over_p99:.3f} ms",
            "",
            f"< {TARGET_P99_MS} ms",
            "met" if over_p99 < TARGET_P99_MS else "MISSED",
        ),
    ]
    section.notes.append(
        f"{iterations} calls each after {warmup} warm-up calls each, alternating which goes first; median of the "
        f"per-round differences {paired:.3f} ms. Event: {len(EVENT['messages'])} messages, system prompt, "
        "temperature, metadata.user_id."
    )
    if data.get("profile"):
        section.findings.append(
            "cProfile of 300 handler calls, the handler's own, logging's and the runtime's formatter's functions by "
            "cumulative time: " + "; ".join(data["profile"])
        )
    if not profile and (over_median >= TARGET_MEDIAN_MS or over_p99 >= TARGET_P99_MS):
        section.findings.extend(run(300, 50, profile=True).findings)
    section.seconds = time.perf_counter() - started
    return section


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iterations", type=int, default=1500)
    parser.add_argument("--profile", action="store_true", help="also profile 300 handler calls")
    parser.add_argument("--nagle", action="store_true", help="leave Nagle's algorithm on in the stand-in")
    args = parser.parse_args()
    result = run(args.iterations, profile=args.profile, nodelay=not args.nagle)
    for r in result.rows:
        print(f"{r.variant:46} {r.value:40} {r.ratio:8} {r.target:10} {r.status}")
    print("\n".join(result.notes + result.findings))
