"""Synth: the project's `cdk synth --quiet`, as deployed, against a plain CDK app with the same stacks and resources.

The project runs as `make synth` and `cdk deploy` run it: the CDK CLI at the repository root, cdk.json's app
(`python3 app.py`: configuration, every stack, the 4 cdk-nag rule packs, CDK's validation of their findings).

The baseline (plain_cdk.py) is the project's own default synthesis re-created in plain CDK: a cloud assembly of the
project, synthesized once at the start of the run, is read back and every stack is built again under the same name
and Region, every resource as an L1 `CfnResource` with the same logical ID, type, properties and options, the outputs,
and the Lambda code folders as file assets; no construct library above L1, no rule packs, no validation, no aspects.
It runs under the same CLI in a folder whose cdk.json holds the project's feature flags (the recommended flags that
`cdk init` writes), so the two differ only in what the project adds on top of plain CDK. The benchmark checks that
both write the same stacks with the same number of resources.

For scale, the CDK CLI's own Python sample app, made in a temporary folder with `cdk init sample-app --language
python --generate-only` (no venv, no git repository). Every app is synthesized with the project's .venv (PATH has
node_modules/.bin, the pinned CLI and Node 24, then .venv/bin); each run writes to a fresh temporary `-o` folder; the
three run interleaved, in a rotating order, and are compared by their medians.

When the ratio is above target, the diagnosis times the app processes alone (`python3 app.py`, no CLI), the project's
app without its rule packs, and profiles the project's app with cProfile.

  python bench/synth.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import pstats
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    BENCH,
    NODE_BIN,
    ROOT,
    Row,
    Section,
    asset_files,
    interleave,
    median,
    node_env,
    temp_dir,
    timed_run,
)

TARGET_RATIO = 1.3
NO_PACKS = (
    "import runpy, sys\nsys.path.insert(0, '.')\nsys.argv = ['app.py']\nimport stacks.shared.nag as nag\n"
    "nag.add_rule_packs = lambda app: None\nrunpy.run_path('app.py', run_name='__main__')\n"
)


def make_sample(parent: Path, env: dict[str, str]) -> Path:
    sample = parent / "sampleapp"
    sample.mkdir()
    cmd = ["cdk", "init", "sample-app", "--language", "python", "--generate-only"]
    proc = subprocess.run(cmd, cwd=sample, env=env, capture_output=True, text=True)
    if proc.returncode != 0 or not (sample / "app.py").exists():
        raise RuntimeError(f"`{' '.join(cmd)}` failed: {(proc.stderr or proc.stdout)[-500:]}")
    return sample


def make_plain(parent: Path) -> Path:
    """A folder for plain_cdk.py: a cdk.json with the project's CLI settings and feature flags, none of its keys."""
    plain = parent / "plaincdk"
    plain.mkdir()
    settings = json.loads((ROOT / "cdk.json").read_text())
    settings["app"] = f"python3 {BENCH / 'plain_cdk.py'}"
    settings.pop("watch", None)
    settings["context"] = {key: value for key, value in settings["context"].items() if key.startswith("@")}
    (plain / "cdk.json").write_text(json.dumps(settings, indent=2))
    return plain


def shape(out: Path) -> tuple[list[str], int]:
    """The stacks of a cloud assembly and their resources, the CDK metadata resource of each left out."""
    templates = {t.name: json.loads(t.read_text()) for t in out.glob("*.template.json")}
    resources = sum(
        len([r for r in t.get("Resources", {}).values() if r["Type"] != "AWS::CDK::Metadata"])
        for t in templates.values()
    )
    return sorted(templates), resources


def check_synthesized_asset(out: Path) -> Row:
    """The function's asset in the cloud assembly holds exactly the files the package benchmark zips."""
    expected = sorted(p.relative_to(ROOT / "lambda" / "invoker").as_posix() for p in asset_files())
    for handler in out.glob("asset.*/handler.py"):
        staged = sorted(p.relative_to(handler.parent).as_posix() for p in handler.parent.rglob("*") if p.is_file())
        same = staged == expected
        return Row(
            "3. Package",
            "synthesized asset = the files zipped above",
            "same files" if same else f"differs: {sorted(set(staged) ^ set(expected))}",
            "",
            "same",
            "met" if same else "MISSED",
        )
    return Row("3. Package", "synthesized asset = the files zipped above", "no asset with handler.py", status="info")


def run(runs: int = 5) -> Section:
    section = Section("Synth")
    started = time.perf_counter()
    env = node_env()
    if not (NODE_BIN / "cdk").exists():
        section.rows.append(
            Row("4. Synth", "cdk synth", "not measured", status="skipped: node_modules/.bin/cdk missing (make setup)")
        )
        return section
    with temp_dir("synth") as tmp:
        sample = make_sample(tmp, env)
        plain = make_plain(tmp)
        reference = tmp / "reference"
        timed_run(["cdk", "synth", "--quiet", "-o", str(reference)], cwd=ROOT, env=env)
        plain_env = {**env, "PLAIN_CDK_REFERENCE": str(reference)}
        counter = iter(range(1_000_000))
        shapes: dict[str, tuple[list[str], int]] = {}

        def synth(name: str, cwd: Path, app_env: dict[str, str]) -> float:
            out = tmp / f"out-{next(counter)}"
            elapsed = timed_run(["cdk", "synth", "--quiet", "-o", str(out)], cwd=cwd, env=app_env)
            shapes[name] = shape(out)
            if name == "project":
                section.rows[:] = [r for r in section.rows if r.benchmark != "3. Package"]
                section.rows.append(check_synthesized_asset(out))
            shutil.rmtree(out, ignore_errors=True)
            return elapsed

        samples = interleave(
            {
                "project": lambda: synth("project", ROOT, env),
                "plain": lambda: synth("plain", plain, plain_env),
                "sample": lambda: synth("sample", sample, env),
            },
            rounds=runs,
        )
        project, base, cli_sample = (median(samples[k]) for k in ("project", "plain", "sample"))
        ratio = project / base
        (p_stacks, p_resources), (b_stacks, b_resources) = shapes["project"], shapes["plain"]
        (s_stacks, s_resources) = shapes["sample"]
        same = (p_stacks, p_resources) == (b_stacks, b_resources)
        section.rows[0:0] = [
            Row(
                "4. Synth",
                f"plain CDK: the project's templates as L1 resources ({len(b_stacks)} stacks, {b_resources} "
                "resources, no rule packs, no validation)",
                f"median {base:.2f} s",
                "1.00x",
                "same stacks and resources",
                "met" if same else f"MISSED: project {len(p_stacks)} stacks, {p_resources} resources",
            ),
            Row(
                "4. Synth",
                f"project as deployed (app.py, {len(p_stacks)} stacks, {p_resources} resources, 4 rule packs)",
                f"median {project:.2f} s",
                f"{ratio:.2f}x",
                f"<= {TARGET_RATIO}x",
                "met" if ratio <= TARGET_RATIO else "MISSED",
            ),
            Row(
                "4. Synth",
                f"CLI sample-app, for scale ({len(s_stacks)} stack, {s_resources} resources)",
                f"median {cli_sample:.2f} s",
                f"project {project / cli_sample:.2f}x",
                status="info",
            ),
        ]
        section.notes.append(
            f"{runs} measured rounds each (+1 warm-up), interleaved in a rotating order; each `cdk synth --quiet -o "
            "<fresh temp dir>`, the baseline from the project's assembly synthesized once before. Runs: "
            + "; ".join(f"{k} " + ", ".join(f"{v:.2f}" for v in samples[k]) + " s" for k in samples)
            + ". Resources counted without the CDK metadata resource every stack gets."
        )
        if ratio > TARGET_RATIO:
            section.findings.extend(diagnose(tmp, plain, plain_env, env, p_resources))
    section.seconds = time.perf_counter() - started
    return section


def diagnose(
    tmp: Path, plain: Path, plain_env: dict[str, str], env: dict[str, str], resources: int, rounds: int = 2
) -> list[str]:
    """Split the project's synth: app process vs CLI, rule packs vs the rest, Python vs the jsii (Node) side."""
    context = {
        app: json.dumps(json.loads((cwd / "cdk.json").read_text()).get("context", {}))
        for app, cwd in (("project", ROOT), ("plain", plain))
    }
    counter = iter(range(1_000_000))

    def app_run(cwd: Path, command: list[str], name: str, base_env: dict[str, str]) -> float:
        out = tmp / f"app-{next(counter)}"
        app_env = {**base_env, "CDK_OUTDIR": str(out), "CDK_CONTEXT_JSON": context[name]}
        elapsed = timed_run(command, cwd=cwd, env=app_env)
        shutil.rmtree(out, ignore_errors=True)
        return elapsed

    samples = interleave(
        {
            "project": lambda: app_run(ROOT, ["python3", "app.py"], "project", env),
            "no_packs": lambda: app_run(ROOT, ["python3", "-c", NO_PACKS], "project", env),
            "plain": lambda: app_run(plain, ["python3", str(BENCH / "plain_cdk.py")], "plain", plain_env),
        },
        rounds=rounds,
    )
    project, no_packs, base = (median(samples[k]) for k in ("project", "no_packs", "plain"))
    profile = profile_app(tmp, context["project"], env)
    return [
        f"Synth above target. The app process alone (`python3 app.py`, no CLI), median of {rounds}: project "
        f"{project:.2f} s, project without its 4 cdk-nag packs {no_packs:.2f} s, plain CDK {base:.2f} s (app ratio "
        f"{project / base:.2f}x; the CLI adds about the same to each). " + profile,
        f"What it would take: the 4 packs cost {project - no_packs:.2f} s of the app's {project:.2f} s here; "
        "running them only where their result is checked (`make test`, CI) would take that share off `cdk synth`, "
        "at the price of a synth that no longer proves compliance. Without the packs the app is "
        f"{no_packs / base:.2f}x plain CDK: the L2 constructs behind the same {resources} resources (grants, "
        "policies, defaults, each a round trip to the jsii kernel in Node) and the configuration and plan in Python.",
    ]


def profile_app(tmp: Path, context: str, env: dict[str, str]) -> str:
    """cProfile of the project's app in a child process: imports, building the stacks, app.synth() (Node side)."""
    prof = tmp / "app.prof"
    out = tmp / "app-profile"
    app_env = {**env, "CDK_OUTDIR": str(out), "CDK_CONTEXT_JSON": context}
    cmd = ["python3", "-m", "cProfile", "-o", str(prof), "app.py"]
    proc = subprocess.run(cmd, cwd=ROOT, env=app_env, capture_output=True, text=True)
    if proc.returncode != 0 or not prof.exists():
        return "(cProfile run failed)"
    stats = pstats.Stats(str(prof))
    entries = stats.stats  # type: ignore[attr-defined]

    def cumulative(file_part: str, function: str) -> float:
        return sum(v[3] for (f, _, fn), v in entries.items() if f.endswith(file_part) and fn == function)

    total = cumulative("app.py", "<module>")
    synth = cumulative("aws_cdk/__init__.py", "synth")
    build = cumulative("stacks/deployment.py", "build_stacks")
    packs = cumulative("stacks/shared/nag.py", "add_rule_packs")
    kernel_wait = sum(v[3] for (f, _, fn), v in entries.items() if fn == "_next_message" and "jsii" in f)
    return (
        f"cProfile of the project's app ({total:.2f} s under the profiler): app.synth() {synth:.2f} s (Node: "
        f"constructs to templates, asset staging, the 4 packs' validation), building the stacks {build:.2f} s, "
        f"adding the packs {packs:.2f} s, the rest imports (loading the jsii assemblies into Node); in all "
        f"{kernel_wait:.2f} s is spent waiting on the jsii kernel (Node)."
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    result = run(parser.parse_args().runs)
    for r in result.rows:
        print(f"{r.variant[:72]:72} {r.value:16} {r.ratio:14} {r.target:8} {r.status}")
    print("\n".join(result.notes + result.findings))
