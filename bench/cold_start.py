"""Cold start: a fresh Python process that imports the invoker handler and is ready to serve, against the floor.

Every variant is a whole `python -B -c CODE` process timed from spawn to exit (nothing subtracted), with fake
credentials and no AWS configuration files. The handler's code is imported from a copy of its asset without bytecode,
as Lambda unpacks it (a read-only /var/task, so -B: the function's own modules compile at every cold start; installed
libraries load their bytecode as botocore does from the runtime).

Variants, run round-robin in a rotating order:
- handler as deployed (the headline): `import handler` with the function's environment variables exactly as the
  default configuration synthesizes them (read from the template, intrinsics resolved to sample values) and what
  Lambda sets at init: its log format and level from the template's LoggingConfig, and the X-Ray variables when the
  template's tracing mode is Active.
- botocore floor: botocore session + bedrock-runtime client, the invoker's client configuration (the handler's own way).
- boto3 floor: `import boto3` + boto3.client("bedrock-runtime") with the same configuration.
- handler, tests' environment: the same import with tests/support/invoker.py's environment.
- handler + X-Ray SDK: the same, then the X-Ray SDK patching botocore: what SDK tracing would cost.
- anthropic SDK: `AnthropicBedrock(aws_region=...)` from `anthropic[bedrock]` in bench/.venv-anthropic.
- anthropic SDK + first-call deps: the same, plus the boto3 session, credentials and SigV4 signer its first request
  loads (the SDK defers them), i.e. ready to sign like the others.
- interpreter only: `python -c pass`, for scale.

  python bench/cold_start.py [--runs N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    BENCH,
    VENV_PYTHON,
    Row,
    Section,
    copy_asset,
    fmt_ms,
    function_env,
    interleave,
    median,
    percentile,
    temp_dir,
    timed_run,
)

ANTHROPIC_VERSION = "2.10.0"  # anthropic[bedrock], pinned; boto3/botocore pinned to the project's versions
ANTHROPIC_VENV = BENCH / ".venv-anthropic"
ANTHROPIC_REQUIREMENTS = (f"anthropic[bedrock]=={ANTHROPIC_VERSION}", "boto3==1.44.8", "botocore==1.44.8")
TARGET_RATIO = 1.10
REGION = "us-east-1"
# What Lambda adds to the environment at init (Lambda developer guide, "Defined runtime environment variables"), and
# with active tracing the X-Ray daemon's address and the context-missing strategy.
LAMBDA_ENV = {
    "AWS_LAMBDA_FUNCTION_NAME": "ClaudeInvoker-us-east-1-InvokerFunction",
    "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
    "AWS_EXECUTION_ENV": "AWS_Lambda_python3.14",
    "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
}
# The function's own configuration variables (core/invoker/environment.py).
CONFIG_PREFIXES = ("CLAUDE_", "BEDROCK_", "INVOKER_")
XRAY_ENV = {
    "AWS_XRAY_DAEMON_ADDRESS": "169.254.79.129:2000",
    "_AWS_XRAY_DAEMON_ADDRESS": "169.254.79.129",
    "_AWS_XRAY_DAEMON_PORT": "2000",
    "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
}

_CONFIG = (
    "from botocore.config import Config\n"
    "config = Config(read_timeout=2, connect_timeout=1, retries={'mode': 'standard', 'total_max_attempts': 3},"
    " user_agent_extra='claude-on-bedrock-invoker')\n"
)
CODE = {
    "botocore": _CONFIG + "from botocore.session import get_session\n"
    "session = get_session()\n"
    "client = session.create_client('bedrock-runtime', region_name='us-east-1', config=config)\n",
    "boto3": "import boto3\n"
    + _CONFIG
    + "client = boto3.client('bedrock-runtime', region_name='us-east-1', config=config)\n",
    "handler": "import sys\nsys.path.insert(0, ASSET)\nimport handler\nassert handler.CLIENTS._clients\n",
    "handler+xray": "import sys\nsys.path.insert(0, ASSET)\nimport handler\nassert handler.CLIENTS._clients\n"
    "from aws_xray_sdk.core import patch\npatch(['botocore'])\n",
    "anthropic": "from anthropic import AnthropicBedrock\nclient = AnthropicBedrock(aws_region='us-east-1')\n",
    "anthropic+auth": "from anthropic import AnthropicBedrock\nclient = AnthropicBedrock(aws_region='us-east-1')\n"
    "import boto3\nfrom botocore.auth import SigV4Auth\nfrom botocore.awsrequest import AWSRequest\n"
    "assert boto3.Session(region_name='us-east-1').get_credentials()\n",
    "pass": "pass\n",
}
LABELS = {
    "deployed": "invoker handler as deployed (synthesized environment, tracing {tracing})",
    "botocore": "floor: botocore session + bedrock-runtime client",
    "boto3": "floor: import boto3 + bedrock-runtime client",
    "handler": "invoker handler, the tests' environment",
    "handler+xray": "invoker handler + X-Ray SDK patching botocore, not deployed",
    "anthropic": f"anthropic {ANTHROPIC_VERSION} AnthropicBedrock(aws_region=...)",
    "anthropic+auth": "AnthropicBedrock + its first-call deps (boto3 session, SigV4)",
    "pass": "interpreter only (python -c pass)",
}


def ensure_anthropic_venv() -> tuple[Path | None, str]:
    """bench/.venv-anthropic with the pinned anthropic[bedrock]; (python, "") or (None, why not)."""
    python = ANTHROPIC_VENV / "bin" / "python"
    marker = ANTHROPIC_VENV / ".installed"
    wanted = "\n".join(ANTHROPIC_REQUIREMENTS)
    if python.exists() and marker.exists() and marker.read_text() == wanted:
        return python, ""
    base = getattr(sys, "_base_executable", sys.executable)  # the interpreter behind .venv: same Python version
    steps = (
        [base, "-m", "venv", "--clear", str(ANTHROPIC_VENV)],
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *ANTHROPIC_REQUIREMENTS],
    )
    for step in steps:
        proc = subprocess.run(step, capture_output=True, text=True)
        if proc.returncode != 0:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
            return None, f"`{' '.join(step[2:5])}` failed: {tail[0][:200]}"
    marker.write_text(wanted)
    return python, ""


def deployed_env(home: Path, asset: Path) -> tuple[dict[str, str], str]:
    """The environment of the function as synthesized (default configuration) plus Lambda's own; its tracing mode."""
    from tests.support.cfn_values import CfnValues
    from tests.support.synth import synth

    synthesized = synth()
    template = synthesized.templates[synthesized.stack_name("ClaudeInvoker-")]
    (function,) = [
        r["Properties"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::Lambda::Function" and r["Properties"].get("Handler") == "handler.handler"
    ]
    variables = CfnValues(template, region=REGION).resolve(function["Environment"]["Variables"])
    tracing = function.get("TracingConfig", {}).get("Mode", "PassThrough")
    logging_config = function.get("LoggingConfig", {})
    log_format = logging_config.get("LogFormat", "Text")
    env = {
        **function_env(home),
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        **LAMBDA_ENV,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function["MemorySize"]),
        "LAMBDA_TASK_ROOT": str(asset),
        # The runtime reads these (awslambdaric bootstrap); with the JSON format the level is ApplicationLogLevel's.
        "AWS_LAMBDA_LOG_FORMAT": log_format,
        **({"AWS_LAMBDA_LOG_LEVEL": logging_config.get("ApplicationLogLevel", "INFO")} if log_format == "JSON" else {}),
        **(XRAY_ENV if tracing == "Active" else {}),
    }
    # The tests' function variables out, the synthesized ones in: nothing friendlier than what is deployed.
    for name in list(env):
        if name.startswith(CONFIG_PREFIXES):
            del env[name]
    env.update({name: str(value) for name, value in variables.items()})
    return env, tracing


def xray_importable() -> bool:
    probe = "import aws_xray_sdk.core"
    return subprocess.run([str(VENV_PYTHON), "-c", probe], capture_output=True).returncode == 0


def importtime_top(python: Path, code: str, env: dict[str, str], count: int = 6) -> list[tuple[str, int]]:
    """Imports of `code` and of the modules it imports (depth 0 and 1) by cumulative time (µs), from -X importtime."""
    proc = subprocess.run([str(python), "-B", "-X", "importtime", "-c", code], capture_output=True, text=True, env=env)
    top: list[tuple[str, int]] = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, raw = line[len("import time:") :].split("|")
        depth = (len(raw) - len(raw.lstrip()) - 1) // 2
        name = raw.strip()
        if depth <= 1 and cumulative.strip().isdigit() and name not in ("site", "encodings"):
            top.append((name, int(cumulative)))
    return sorted(top, key=lambda item: -item[1])[:count]


def run(runs: int = 10) -> Section:
    section = Section("Cold start")
    started = time.perf_counter()
    with temp_dir("cold") as tmp:
        asset = copy_asset(tmp / "task")
        env = function_env(tmp)
        deployed, tracing = deployed_env(tmp, asset)
        python = str(VENV_PYTHON)
        handler_code = CODE["handler"].replace("ASSET", repr(str(asset)))
        commands: dict[str, tuple[list[str], dict[str, str]]] = {
            "deployed": ([python, "-B", "-c", handler_code], deployed)
        }
        for name in ("botocore", "boto3", "handler", "pass"):
            commands[name] = ([python, "-B", "-c", CODE[name].replace("ASSET", repr(str(asset)))], env)
        if xray_importable():
            commands["handler+xray"] = (
                [python, "-B", "-c", CODE["handler+xray"].replace("ASSET", repr(str(asset)))],
                deployed,
            )
        else:
            section.notes.append("The X-Ray SDK variant was not measured: aws-xray-sdk is not importable in .venv.")
        anthropic_python, why = ensure_anthropic_venv()
        if anthropic_python:
            for name in ("anthropic", "anthropic+auth"):
                commands[name] = ([str(anthropic_python), "-B", "-c", CODE[name]], env)
        for cmd, cmd_env in commands.values():  # fail early, with the reason, rather than in the loop
            timed_run(cmd, env=cmd_env, cwd=tmp)

        def variant(cmd: list[str], cmd_env: dict[str, str]) -> float:
            return timed_run(cmd, env=cmd_env, cwd=tmp)

        samples = interleave(
            {name: (lambda c=cmd, e=cmd_env: variant(c, e)) for name, (cmd, cmd_env) in commands.items()},
            rounds=runs,
        )
        floor = median(samples["botocore"])
        boto3_floor = median(samples["boto3"])
        order = ("deployed", "botocore", "boto3", "handler", "handler+xray", "anthropic", "anthropic+auth", "pass")
        for name in order:
            if name not in samples:
                continue
            values = samples[name]
            ratio = median(values) / floor
            row = Row(
                "1. Cold start",
                LABELS[name].format(tracing=tracing),
                f"median {fmt_ms(median(values))}, p90 {fmt_ms(percentile(values, 90))}",
                f"{ratio:.2f}x botocore, {median(values) / boto3_floor:.2f}x boto3",
                status="info",
            )
            if name == "deployed":
                row.target = f"<= {TARGET_RATIO}x botocore floor"
                row.status = "met" if ratio <= TARGET_RATIO else "MISSED"
                if ratio > TARGET_RATIO:
                    section.findings.extend(diagnose(asset, deployed))
            if name == "anthropic" and "deployed" in samples:
                row.target = "handler well under it"
                row.status = "met" if median(samples["deployed"]) < 0.8 * median(values) else "MISSED"
            section.rows.append(row)
        if not anthropic_python:
            section.rows.append(Row("1. Cold start", LABELS["anthropic"], "not measured", status="skipped: " + why))
        section.notes.append(
            f"{runs} measured rounds (+1 warm-up), variants interleaved in a rotating order; whole process wall "
            "time from spawn to exit, nothing subtracted. Ratios are of medians. The headline row runs with the "
            f"synthesized function's {len([n for n in deployed if n.startswith(CONFIG_PREFIXES)])} configuration "
            f"variables and its tracing mode ({tracing}); the function imports no tracing SDK."
        )
        if "handler+xray" in samples:
            extra = median(samples["handler+xray"]) - median(samples["deployed"])
            section.notes.append(
                f"The X-Ray SDK patching botocore would add {extra * 1000:.0f} ms at init "
                f"({median(samples['handler+xray']) / floor:.2f}x the floor); active tracing records the function's "
                "segment without it."
            )
        if anthropic_python:
            section.notes.append(
                "AnthropicBedrock defers boto3/botocore to its first request (signing); the `+ first-call deps` row "
                "adds what that request loads, to compare processes that are equally ready to sign a call. Top "
                "imports of `from anthropic import AnthropicBedrock`: "
                + ", ".join(
                    f"{n} {us / 1000:.0f} ms" for n, us in importtime_top(anthropic_python, CODE["anthropic"], env, 3)
                )
                + "."
            )
    section.seconds = time.perf_counter() - started
    return section


# The part of the handler's init beyond the floor, added to the floor alone (for the diagnosis).
PARTS = {
    "the function's own modules (compiled from source)": "import sys\nsys.path.insert(0, ASSET)\n"
    "import claude_invoker.service, claude_invoker.results, claude_invoker.telemetry\n",
}


def diagnose(asset: Path, env: dict[str, str], runs: int = 8) -> list[str]:
    """Where the handler's cold start goes beyond the floor: each part added to the floor alone, measured in the
    same interleaved way, and the handler's top-level imports from -X importtime."""
    floor = CODE["botocore"]
    variants = {
        "floor": floor,
        **{name: floor + code.replace("ASSET", repr(str(asset))) for name, code in PARTS.items()},
    }
    samples = interleave(
        {
            name: (lambda c=code: timed_run([str(VENV_PYTHON), "-B", "-c", c], env=env))
            for name, code in variants.items()
        },
        rounds=runs,
    )
    base = median(samples["floor"])
    parts = ", ".join(f"{name} {(median(samples[name]) - base) * 1000:+.0f} ms" for name in PARTS)
    top = importtime_top(VENV_PYTHON, CODE["handler"].replace("ASSET", repr(str(asset))), env)
    return [
        f"Cold start as deployed above target. Beyond the floor ({base * 1000:.0f} ms), {runs} interleaved rounds: "
        f"{parts}. `python -X importtime` of the handler, top-level imports by cumulative time: "
        + ", ".join(f"{name} {us / 1000:.0f} ms" for name, us in top)
        + ". The function imports nothing but the standard library and botocore; its own modules compile at every "
        "cold start (read-only /var/task, no bytecode shipped). To fix: ship bytecode compiled by the runtime's "
        "Python (3.14, which this machine lacks: bytecode is specific to the minor version) in the asset, or "
        "compile less at init."
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    result = run(parser.parse_args().runs)
    for r in result.rows:
        print(f"{r.variant:60} {r.value:34} {r.ratio:28} {r.target:22} {r.status}")
    print("\n".join(result.notes + result.findings))
