"""Synth: the project's `cdk synth --quiet`, as deployed, against a plain CDK app with the same stacks and resources.

The project runs as `make synth` and `cdk deploy` run it: the CDK CLI at the repository root, cdk.json's app
(`python3 app.py`: configuration, every stack, the 4 cdk-nag rule packs, CDK's validation of their findings).

The baseline (plain_cdk.py) is the project's own default synthesis re-created in plain CDK: a cloud assembly of the
project, synthesized once at the start of the run, is read back and every stack is built again under the same name
and Region, every resource as an L1 `CfnResource` with the same logical ID, type, properties and options, the outputs,
and the Lambda code folders as file assets; no construct library above L1, no rule packs, no validation of its own,
no aspects (CDK's built-in template validation runs in both).
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
import resource
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
                "resources, no rule packs, no validation of its own)",
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
    tmp: Path, plain: Path, plain_env: dict[str, str], env: dict[str, str], resources: int, rounds: int = 3
) -> list[str]:
    """Split the project's synth by CPU time (load on a shared machine moves it far less than wall time): each app
    process alone (no CLI), Python's share (the process itself) against Node's (the jsii kernel, its child); the
    project without its rule packs (cdk-nag never imported: loading its assembly is part of their cost); both apps
    without CDK's built-in template validation (`CDK_VALIDATION=false`), which both run."""
    context = {
        app: json.dumps(json.loads((cwd / "cdk.json").read_text()).get("context", {}))
        for app, cwd in (("project", ROOT), ("plain", plain))
    }
    counter = iter(range(1_000_000))
    cpu: dict[str, list[tuple[float, float]]] = {}

    def app_run(name: str, cwd: Path, script: str, app: str, base_env: dict[str, str], **extra: str) -> float:
        out = tmp / f"app-{next(counter)}"
        python_cpu = tmp / f"python-cpu-{next(counter)}"
        app_env = {**base_env, "CDK_OUTDIR": str(out), "CDK_CONTEXT_JSON": context[app], **extra}
        app_env["BENCH_PYTHON_CPU"] = str(python_cpu)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        elapsed = timed_run(["python3", "-c", script], cwd=cwd, env=app_env)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        total = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        python = float(python_cpu.read_text())
        cpu.setdefault(name, []).append((python, total - python))
        shutil.rmtree(out, ignore_errors=True)
        return elapsed

    app_py, plain_py = str(ROOT / "app.py"), str(BENCH / "plain_cdk.py")
    off = {"CDK_VALIDATION": "false"}
    interleave(
        {
            "project": lambda: app_run("project", ROOT, run_app(app_py), "project", env),
            "no_packs": lambda: app_run("no_packs", ROOT, run_app(app_py, packs=False), "project", env),
            "project_no_cdk_validation": lambda: app_run(
                "project_no_cdk_validation", ROOT, run_app(app_py), "project", env, **off
            ),
            "plain": lambda: app_run("plain", plain, run_app(plain_py), "plain", plain_env),
            "plain_no_cdk_validation": lambda: app_run(
                "plain_no_cdk_validation", plain, run_app(plain_py), "plain", plain_env, **off
            ),
        },
        rounds=rounds,
    )
    python, node = ({k: median([v[i] for v in runs]) for k, runs in cpu.items()} for i in (0, 1))

    def total(name: str) -> float:
        return python[name] + node[name]

    project, plain_total = total("project"), total("plain")
    validation_project = total("project") - total("project_no_cdk_validation")
    validation_plain = total("plain") - total("plain_no_cdk_validation")
    packs = total("project") - total("no_packs")
    return [
        f"Synth above target. CPU of the app processes alone (no CLI), median of {rounds}: project {project:.2f} s "
        f"(Python {python['project']:.2f}, Node {node['project']:.2f}), plain CDK {plain_total:.2f} s (Python "
        f"{python['plain']:.2f}, Node {node['plain']:.2f}): app ratio {project / plain_total:.2f}x. CDK's built-in "
        f"template validation (on by default; cdk.json makes its default rules errors) is "
        f"{validation_project:.2f} s of the project and {validation_plain:.2f} s of plain CDK (it checks the "
        "same templates on both sides). The 4 cdk-nag packs (loading the cdk-nag assembly, which loads the rule "
        f"classes of every service it checks, and 4 walks of the construct tree) are {packs:.2f} s.",
        f"What it would take: the project's {project - plain_total:.2f} s over plain CDK are the packs "
        f"({packs:.2f} s), Python ({python['project'] - python['plain']:.2f} s: the jsii bindings of the L2 "
        "modules, the configuration and plan) and Node without the packs "
        f"({node['no_packs'] - node['plain']:.2f} s: the L2 constructs behind the same {resources} resources, "
        "grants, policies and defaults, each a round trip to the jsii kernel). Without any pack the app would "
        f"still be {total('no_packs') / plain_total:.2f}x plain CDK's (target 1.3x): only dropping the packs from "
        "`cdk synth` (a synth that no longer proves compliance) together with the L2 constructs (hand-written L1 "
        "resources) would reach it.",
    ]


def run_app(script: str, packs: bool = True) -> str:
    """`python3 -c` text that runs an app file as `python3 FILE` would and writes its own CPU seconds (Python's
    share: its children, the Node.js kernel, are not in RUSAGE_SELF) to $BENCH_PYTHON_CPU; `packs=False` puts a
    stand-in for cdk_nag in sys.modules, so the packs are neither loaded nor added."""
    no_packs = (
        "import types\nnag = types.ModuleType('cdk_nag')\n"
        "for name in ('AwsSolutionsChecks', 'HIPAASecurityChecks', 'NIST80053R5Checks', 'PCIDSS321Checks'):\n"
        "    setattr(nag, name, type(name, (), {}))\nsys.modules['cdk_nag'] = nag\n"
        "import stacks.shared.nag\nstacks.shared.nag.add_rule_packs = lambda app: None\n"
    )
    return (
        "import atexit, os, resource, runpy, sys\n"
        f"sys.argv = [{script!r}]\nsys.path.insert(0, os.path.dirname({script!r}))\n"
        "def cpu():\n    usage = resource.getrusage(resource.RUSAGE_SELF)\n"
        "    open(os.environ['BENCH_PYTHON_CPU'], 'w').write(str(usage.ru_utime + usage.ru_stime))\n"
        "atexit.register(cpu)\n" + ("" if packs else no_packs) + f"runpy.run_path({script!r}, run_name='__main__')\n"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    result = run(parser.parse_args().runs)
    for r in result.rows:
        print(f"{r.variant[:72]:72} {r.value:16} {r.ratio:14} {r.target:8} {r.status}")
    print("\n".join(result.notes + result.findings))
