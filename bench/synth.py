"""Synth: the project's `cdk synth --quiet` against the CDK CLI's own Python sample app, interleaved.

The sample app is made at benchmark time in a temporary folder with `cdk init sample-app --language python
--generate-only` (no venv, no git repository), and synthesized with the project's .venv (aws-cdk-lib and constructs
are all it needs): PATH has node_modules/.bin (the pinned CLI and Node 24) then .venv/bin, so the apps' `python3` is
the venv's. Each run writes to a fresh temporary `-o` folder.

When the ratio is above target, the diagnosis times the app process alone (`python3 app.py`, no CLI), the project's
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

TARGET_RATIO = 1.5
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


def run(runs: int = 3) -> Section:
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
        counter = iter(range(1_000_000))
        resources: dict[Path, tuple[int, int]] = {}

        def synth(cwd: Path) -> float:
            out = tmp / f"out-{next(counter)}"
            elapsed = timed_run(["cdk", "synth", "--quiet", "-o", str(out)], cwd=cwd, env=env)
            templates = [json.loads(t.read_text()) for t in out.glob("*.template.json")]
            resources[cwd] = (len(templates), sum(len(t.get("Resources", {})) for t in templates))
            if cwd == ROOT:
                section.rows[:] = [r for r in section.rows if r.benchmark != "3. Package"]
                section.rows.append(check_synthesized_asset(out))
            shutil.rmtree(out, ignore_errors=True)
            return elapsed

        samples = interleave({"project": lambda: synth(ROOT), "sample": lambda: synth(sample)}, rounds=runs)
        project, base = median(samples["project"]), median(samples["sample"])
        ratio = project / base
        (p_stacks, p_resources), (s_stacks, s_resources) = resources[ROOT], resources[sample]
        section.rows[0:0] = [
            Row(
                "4. Synth",
                f"CLI sample-app ({s_stacks} stack, {s_resources} resources)",
                f"median {base:.2f} s",
                "1.00x",
                status="info",
            ),
            Row(
                "4. Synth",
                f"project ({p_stacks} stacks, {p_resources} resources, 4 rule packs)",
                f"median {project:.2f} s",
                f"{ratio:.2f}x",
                f"<= {TARGET_RATIO}x",
                "met" if ratio <= TARGET_RATIO else "MISSED",
            ),
        ]
        section.notes.append(
            f"{runs} measured rounds each (+1 warm-up), interleaved; each `cdk synth --quiet -o <fresh temp dir>`. "
            "Runs: project "
            + ", ".join(f"{v:.2f}" for v in samples["project"])
            + " s; sample "
            + ", ".join(f"{v:.2f}" for v in samples["sample"])
            + " s."
        )
        if ratio > TARGET_RATIO:
            section.findings.extend(diagnose(tmp, sample, env, p_resources, s_resources))
    section.seconds = time.perf_counter() - started
    return section


def diagnose(
    tmp: Path, sample: Path, env: dict[str, str], p_resources: int, s_resources: int, rounds: int = 2
) -> list[str]:
    """Split the project's synth: CLI vs app process, rule packs vs the rest, Python vs the jsii (Node) side."""
    context = {
        app: json.dumps(json.loads((cwd / "cdk.json").read_text()).get("context", {}))
        for app, cwd in (("project", ROOT), ("sample", sample))
    }
    counter = iter(range(1_000_000))

    def app_run(cwd: Path, code: str | None, name: str) -> float:
        out = tmp / f"app-{next(counter)}"
        app_env = {**env, "CDK_OUTDIR": str(out), "CDK_CONTEXT_JSON": context[name]}
        cmd = ["python3", "app.py"] if code is None else ["python3", "-c", code]
        elapsed = timed_run(cmd, cwd=cwd, env=app_env)
        shutil.rmtree(out, ignore_errors=True)
        return elapsed

    samples = interleave(
        {
            "project": lambda: app_run(ROOT, None, "project"),
            "no_packs": lambda: app_run(ROOT, NO_PACKS, "project"),
            "sample": lambda: app_run(sample, None, "sample"),
        },
        rounds=rounds,
    )
    project, no_packs, base = (median(samples[k]) for k in ("project", "no_packs", "sample"))
    profile = profile_app(tmp, context["project"], env)
    return [
        f"Synth above target. The app process alone (`python3 app.py`, no CLI), median of {rounds}: project "
        f"{project:.2f} s, project without its 4 cdk-nag packs {no_packs:.2f} s, sample {base:.2f} s "
        f"(app ratio {project / base:.2f}x; the CLI adds about the same to both). " + profile,
        f"What it would take: the 4 packs cost {project - no_packs:.2f} s of the app's {project:.2f} s here; "
        "running them where their result is checked (`make test`, CI) and a lighter `cdk synth` would bring the "
        f"ratio down by about that share, at the price of a synth that no longer proves compliance. Without the "
        f"packs the app is {no_packs / base:.2f}x the sample: jsii round trips to the Node kernel per construct "
        f"({p_resources} resources against the sample's {s_resources}) and loading the aws-cdk-lib and cdk-nag "
        "assemblies into Node at every synth, which no change inside the project removes short of fewer stacks.",
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
    parser.add_argument("--runs", type=int, default=3)
    result = run(parser.parse_args().runs)
    for r in result.rows:
        print(f"{r.variant:56} {r.value:16} {r.ratio:8} {r.target:8} {r.status}")
    print("\n".join(result.notes + result.findings))
