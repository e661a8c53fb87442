"""The compliance report: what the synthesized templates say, written for a reviewer.

    python -m compliance.report <cloud-assembly-dir> <output-dir>

Everything in the report is read from the cloud assembly (`cdk.out`): the templates,
their `Metadata.cdk_nag` acknowledgements and the rule packs' `validation-report.json`.
Nothing is hand-written, so the report changes when the infrastructure does.
"""

from __future__ import annotations

import html
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PACKS = ("AwsSolutions", "HIPAA.Security", "NIST.800.53.R5", "PCI.DSS.321")
MIN_RETENTION_DAYS = 30
LOGGING_ACTION = "PutModelInvocationLoggingConfiguration"


def symbolic(value: Any) -> Any:
    """Render CloudFormation intrinsics as readable placeholders: {"Ref": "X"} -> "<X>"."""
    if isinstance(value, dict):
        if set(value) == {"Ref"}:
            return f"<{value['Ref']}>"
        if set(value) == {"Fn::GetAtt"}:
            return f"<{'.'.join(value['Fn::GetAtt'])}>"
        if set(value) == {"Fn::Join"}:
            separator, parts = value["Fn::Join"]
            return separator.join(str(symbolic(part)) for part in parts)
        if len(value) == 1 and next(iter(value)).startswith("Fn::"):
            return "<unique-suffix>" if "AWS::StackId" in json.dumps(value) else f"<{next(iter(value))}>"
        return {key: symbolic(item) for key, item in value.items()}
    if isinstance(value, list):
        return [symbolic(item) for item in value]
    return value


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _principals(statement: dict[str, Any]) -> list[str]:
    principal = statement.get("Principal", {})
    if principal == "*":
        return ["*"]
    found: list[str] = []
    for kind, values in principal.items():
        found += [f"{kind}: {symbolic(v)}" for v in _as_list(values)]
    return found


@dataclass
class LoggingFacts:
    enabled: bool = False
    s3_destination: str = "-"
    cloudwatch_destination: str = "-"
    large_payloads: str = "-"
    delivered: list[str] = field(default_factory=list)
    bucket_expiration_days: int | None = None
    log_group_retention_days: int | None = None
    bucket_encryption: str = "-"
    log_group_encryption: str = "-"
    object_lock: str = "off"
    replication: str = "off"
    public_access_blocked: bool = False
    kept_on_stack_deletion: bool = True
    key_users: list[str] = field(default_factory=list)
    key_principals: list[str] = field(default_factory=list)
    bucket_writers: list[str] = field(default_factory=list)
    configuration_changers: list[str] = field(default_factory=list)

    @property
    def minimum_retention(self) -> int | None:
        values = [v for v in (self.bucket_expiration_days, self.log_group_retention_days) if v is not None]
        return min(values) if values else None


@dataclass
class AccessFacts:
    scope: str = "-"
    profiles: list[str] = field(default_factory=list)
    denied: list[str] = field(default_factory=list)
    assumers: list[str] = field(default_factory=list)
    function_callers: list[str] = field(default_factory=list)


@dataclass
class RegionFacts:
    region: str
    logging: LoggingFacts = field(default_factory=LoggingFacts)
    access: AccessFacts = field(default_factory=AccessFacts)


@dataclass
class Acknowledgement:
    rule: str
    reason: str
    resources: list[str]


@dataclass
class Report:
    regions: dict[str, RegionFacts]
    findings: dict[str, list[str]]
    acknowledgements: list[Acknowledgement]
    stacks: list[str]


def _logging_facts(resources: dict[str, Any], facts: LoggingFacts) -> None:
    for logical_id, resource in resources.items():
        props = resource.get("Properties", {})
        kind = resource["Type"]
        if kind.startswith("Custom::") and LOGGING_ACTION in json.dumps(props.get("Create", "")):
            call = json.loads(symbolic(props["Create"]))
            config = call["parameters"]["loggingConfig"]
            facts.enabled = True
            if "s3Config" in config:
                facts.s3_destination = (
                    f"s3://{config['s3Config']['bucketName']}/{config['s3Config'].get('keyPrefix', '')}"
                )
            cloudwatch = config.get("cloudWatchConfig")
            if cloudwatch:
                facts.cloudwatch_destination = f"{cloudwatch['logGroupName']} (written by {cloudwatch['roleArn']})"
                large = cloudwatch.get("largeDataDeliveryS3Config")
                if large:
                    facts.large_payloads = f"s3://{large['bucketName']}/{large.get('keyPrefix', '')}"
            facts.delivered = sorted(
                key.removesuffix("DataDeliveryEnabled") for key, on in config.items() if key.endswith("Enabled") and on
            )
            facts.kept_on_stack_deletion = "Delete" not in props
        elif kind == "AWS::Logs::LogGroup" and "InvocationLogGroup" in logical_id:
            facts.log_group_retention_days = props.get("RetentionInDays")
            key = symbolic(props.get("KmsKeyId"))
            facts.log_group_encryption = f"KMS key {key}" if key else "CloudWatch Logs default encryption"
        elif kind == "AWS::S3::Bucket" and "InvocationLogBucket" in logical_id:
            rules = props.get("LifecycleConfiguration", {}).get("Rules", [])
            days = [r["ExpirationInDays"] for r in rules if r.get("Status") == "Enabled" and "ExpirationInDays" in r]
            facts.bucket_expiration_days = min(days) if days else None
            sse = props.get("BucketEncryption", {}).get("ServerSideEncryptionConfiguration", [{}])[0]
            default = sse.get("ServerSideEncryptionByDefault", {})
            facts.bucket_encryption = (
                f"{default.get('SSEAlgorithm', '-')} {symbolic(default.get('KMSMasterKeyID', ''))}"
            )
            lock = props.get("ObjectLockConfiguration", {}).get("Rule", {}).get("DefaultRetention")
            if lock:
                facts.object_lock = f"{lock.get('Mode', '').lower()} {lock.get('Days', '')} days"
            replicas: dict[str, list[str]] = {}
            for rule in props.get("ReplicationConfiguration", {}).get("Rules", []):
                if rule.get("Status") == "Enabled":
                    target = rule["Destination"]
                    key = target.get("EncryptionConfiguration", {}).get("ReplicaKmsKeyID", "S3 default")
                    deletes = rule.get("DeleteMarkerReplication", {}).get("Status") == "Enabled"
                    where = (
                        f"{symbolic(target['Bucket'])} (key {symbolic(key)}, account {target.get('Account', 'this')}"
                    )
                    where += ", delete markers replicated)" if deletes else ", delete markers not replicated)"
                    replicas.setdefault(where, []).append(rule.get("Filter", {}).get("Prefix") or "every object")
            if replicas:
                facts.replication = "; ".join(f"{', '.join(p)} to {w}" for w, p in replicas.items())
            block = props.get("PublicAccessBlockConfiguration", {})
            facts.public_access_blocked = all(
                block.get(k)
                for k in ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
            )
        elif kind == "AWS::KMS::Key" and "InvocationLogKey" in logical_id:
            for statement in props.get("KeyPolicy", {}).get("Statement", []):
                actions = " ".join(_as_list(statement.get("Action", [])))
                if statement.get("Effect") == "Allow" and ("Decrypt" in actions or "kms:*" in actions):
                    who = ", ".join(_principals(statement))
                    condition = statement.get("Condition")
                    facts.key_users.append(f"{who}" + (f" when {json.dumps(symbolic(condition))}" if condition else ""))
                    facts.key_principals += _principals(statement)
        elif kind == "AWS::S3::BucketPolicy" and "InvocationLogBucketPolicy" in logical_id:
            for statement in props.get("PolicyDocument", {}).get("Statement", []):
                if statement.get("Effect") == "Allow":
                    who = ", ".join(_principals(statement))
                    actions = ", ".join(_as_list(statement.get("Action", [])))
                    condition = statement.get("Condition")
                    facts.bucket_writers.append(
                        f"{who}: {actions}" + (f" when {json.dumps(symbolic(condition))}" if condition else "")
                    )
        elif kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            for statement in props.get("PolicyDocument", {}).get("Statement", []):
                if any("ModelInvocationLoggingConfiguration" in a for a in _as_list(statement.get("Action", []))):
                    facts.configuration_changers.append(
                        f"{', '.join(_as_list(statement['Action']))} (custom resource {logical_id})"
                    )


_PROFILE = re.compile(r"inference-profile/([\w.:-]+)")


def _access_facts(resources: dict[str, Any], facts: AccessFacts) -> None:
    for logical_id, resource in resources.items():
        props = resource.get("Properties", {})
        kind = resource["Type"]
        if kind == "AWS::IAM::ManagedPolicy" and "ClaudeAccessInvokePolicy" in logical_id:
            for statement in props["PolicyDocument"]["Statement"]:
                text = json.dumps(symbolic(statement.get("Resource", [])))
                if statement["Effect"] == "Allow":
                    facts.profiles += [p for p in _PROFILE.findall(text) if p not in facts.profiles]
                else:
                    facts.denied += [str(r) for r in _as_list(symbolic(statement["Resource"]))]
            facts.scope = facts.profiles[0].split(".", 1)[0] if facts.profiles else "-"
        elif kind == "AWS::IAM::Role" and "InvokerRole" in logical_id:
            for statement in props["AssumeRolePolicyDocument"]["Statement"]:
                condition = statement.get("Condition")
                facts.assumers += [
                    p + (f" when {json.dumps(condition)}" if condition else "") for p in _principals(statement)
                ]
        elif kind == "AWS::Lambda::Permission":
            source = props.get("SourceAccount")
            facts.function_callers.append(
                f"{symbolic(props['Principal'])}" + (f" (source account {symbolic(source)})" if source else "")
            )


def _acknowledgements(templates: dict[str, dict[str, Any]]) -> list[Acknowledgement]:
    grouped: dict[tuple[str, str], list[str]] = {}
    for stack, template in templates.items():
        for logical_id, resource in template.get("Resources", {}).items():
            for rule in resource.get("Metadata", {}).get("cdk_nag", {}).get("rules_to_suppress", []):
                grouped.setdefault((rule["id"], rule["reason"]), []).append(f"{stack}/{logical_id}")
    return [Acknowledgement(rule, reason, sorted(where)) for (rule, reason), where in sorted(grouped.items())]


def _findings(assembly: Path) -> dict[str, list[str]]:
    findings: dict[str, list[str]] = {pack: [] for pack in PACKS}
    report = assembly / "validation-report.json"
    if report.exists():
        for plugin in json.loads(report.read_text()).get("pluginReports", []):
            for violation in plugin.get("violations", []):
                for construct in violation.get("violatingConstructs", []):
                    findings.setdefault(plugin["pluginName"], []).append(
                        f"{violation['ruleName']} at {construct['constructPath']}"
                    )
    return findings


def build_report(assembly: Path) -> Report:
    manifest = json.loads((assembly / "manifest.json").read_text())
    templates: dict[str, dict[str, Any]] = {}
    regions: dict[str, RegionFacts] = {}
    for name, artifact in sorted(manifest["artifacts"].items()):
        if artifact["type"] != "aws:cloudformation:stack":
            continue
        template = json.loads((assembly / artifact["properties"]["templateFile"]).read_text())
        templates[name] = template
        region = artifact["environment"].rsplit("/", 1)[-1]
        facts = regions.setdefault(region, RegionFacts(region))
        resources = template.get("Resources", {})
        _logging_facts(resources, facts.logging)
        _access_facts(resources, facts.access)
    return Report(regions, _findings(assembly), _acknowledgements(templates), sorted(templates))


def _check(ok: bool) -> str:
    return "yes" if ok else "NO"


def region_answer(facts: RegionFacts) -> str:
    """One sentence answering: is every Claude call in this Region logged for at least 30 days, and who sees it?"""
    logging = facts.logging
    days = logging.minimum_retention
    if not logging.enabled:
        return f"{facts.region}: invocation logging is NOT configured by these templates."
    ok = days is not None and days >= MIN_RETENTION_DAYS
    aws = [p.removeprefix("AWS: ") for p in logging.key_principals if p.startswith("AWS: ")]
    accounts = [p for p in aws if p.endswith(":root")]
    roles = [p for p in aws if not p.endswith(":root")]
    readers = (
        f"IAM principals of {', '.join(accounts)} whose IAM policies also grant kms:Decrypt on the log key "
        "(the key policy delegates to IAM)"
        if accounts
        else "no IAM principal of the account"
    )
    if roles:
        readers += f", and {', '.join(roles)} named in the key policy"
    services = [p.removeprefix("Service: ") for p in logging.key_principals if p.startswith("Service: ")]
    return (
        f"{facts.region}: every bedrock-runtime call is logged to S3 and CloudWatch Logs and kept "
        f"{days} days ({'at least' if ok else 'LESS than'} {MIN_RETENTION_DAYS}); readable by {readers}; "
        f"services using the key under conditions: {', '.join(services) or 'none'}."
    )


def render_markdown(report: Report) -> str:
    lines = ["# Claude on Amazon Bedrock: compliance report", ""]
    lines += [
        "Generated from the synthesized CloudFormation templates of: " + ", ".join(f"`{s}`" for s in report.stacks),
        "",
    ]
    lines += ["## Answer per Region", ""]
    lines += [f"- {region_answer(facts)}" for facts in report.regions.values()]
    for facts in report.regions.values():
        logging, access = facts.logging, facts.access
        lines += ["", f"## {facts.region}", "", "### Invocation logging", ""]
        lines += ["| Property | Value |", "| --- | --- |"]
        rows = [
            ("Logging configured", _check(logging.enabled)),
            ("S3 destination", logging.s3_destination),
            ("CloudWatch Logs destination", logging.cloudwatch_destination),
            ("Large payloads (>100 KB, binary)", logging.large_payloads),
            ("Data delivered", ", ".join(logging.delivered) or "-"),
            ("S3 expiration (days)", str(logging.bucket_expiration_days)),
            ("CloudWatch Logs retention (days)", str(logging.log_group_retention_days)),
            (
                f"At least {MIN_RETENTION_DAYS} days everywhere",
                _check((logging.minimum_retention or 0) >= MIN_RETENTION_DAYS),
            ),
            ("S3 encryption", logging.bucket_encryption),
            ("CloudWatch Logs encryption", logging.log_group_encryption),
            ("S3 Object Lock", logging.object_lock),
            ("S3 replication", logging.replication),
            ("S3 public access blocked", _check(logging.public_access_blocked)),
            ("Configuration kept when the stack is deleted", _check(logging.kept_on_stack_deletion)),
        ]
        lines += [f"| {k} | {v} |" for k, v in rows]
        lines += ["", "Who may read the logs (KMS key policy, decrypt):", ""]
        lines += [f"- {who}" for who in logging.key_users] or ["- none"]
        lines += ["", "Who may write to the log bucket (bucket policy):", ""]
        lines += [f"- {who}" for who in logging.bucket_writers] or ["- none"]
        lines += ["", "Who may change the logging configuration (in these templates):", ""]
        lines += [f"- {who}" for who in logging.configuration_changers] or ["- none"]
        lines += ["", "### Invocation access", ""]
        lines += [f"- Scope: **{access.scope}**"]
        lines += [f"- Profiles allowed: {', '.join(f'`{p}`' for p in access.profiles) or '-'}"]
        lines += [f"- Routing denied: {', '.join(f'`{d}`' for d in access.denied) or 'none (global scope)'}"]
        lines += [f"- May assume the invoker role: {'; '.join(access.assumers) or '-'}"]
        lines += [f"- May invoke the invoker function directly: {'; '.join(access.function_callers) or 'none'}"]
    lines += ["", "## Rule packs", "", "| Pack | Unacknowledged findings |", "| --- | --- |"]
    lines += [f"| {pack} | {len(found)} |" for pack, found in report.findings.items()]
    for pack, found in report.findings.items():
        lines += [f"- {pack}: {item}" for item in found]
    lines += ["", "## Acknowledgements", "", "| Rule | Reason | Resources |", "| --- | --- | --- |"]
    lines += [
        f"| `{a.rule}` | {a.reason} | {', '.join(f'`{r}`' for r in a.resources)} |" for a in report.acknowledgements
    ]
    return "\n".join(lines) + "\n"


def render_html(markdown: str) -> str:
    """A plain, dependency-free HTML rendering of the Markdown report (headings, lists, tables)."""
    out = [
        "<!doctype html><meta charset='utf-8'><title>Compliance report</title>",
        "<style>body{font-family:sans-serif;max-width:70em;margin:auto}td,th{border:1px solid #ccc;padding:4px}"
        "table{border-collapse:collapse}</style>",
    ]
    in_table = in_list = False
    for line in markdown.splitlines():
        text = re.sub(r"`([^`]*)`", r"<code>\1</code>", html.escape(line, quote=False))
        text = re.sub(r"\*\*([^*]*)\*\*", r"<b>\1</b>", text)
        if line.startswith("|"):
            cells = [c.strip() for c in text.strip("|").split("|")]
            if set(line.replace("|", "").strip()) <= {"-", " "}:
                continue
            out.append(("<table>" if not in_table else "") + "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
            in_table = True
            continue
        if in_table:
            out.append("</table>")
            in_table = False
        if line.startswith("- "):
            out.append(("<ul>" if not in_list else "") + f"<li>{text[2:]}</li>")
            in_list = True
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        heading = re.match(r"^(#+) (.*)", text)
        if heading:
            level = len(heading.group(1))
            out.append(f"<h{level}>{heading.group(2)}</h{level}>")
        elif text:
            out.append(f"<p>{text}</p>")
    out += ["</table>"] if in_table else []
    out += ["</ul>"] if in_list else []
    return "\n".join(out) + "\n"


def write_report(assembly: Path, output: Path) -> tuple[Path, Path]:
    markdown = render_markdown(build_report(assembly))
    output.mkdir(parents=True, exist_ok=True)
    md_path, html_path = output / "compliance-report.md", output / "compliance-report.html"
    md_path.write_text(markdown)
    html_path.write_text(render_html(markdown))
    return md_path, html_path


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(f"Usage: {argv[0]} <cloud-assembly-dir> <output-dir>", file=sys.stderr)
        return 2
    assembly = Path(argv[1])
    if not (assembly / "manifest.json").exists():
        print(f"{assembly}: no cloud assembly here; run `make synth` first", file=sys.stderr)
        return 2
    for path in write_report(assembly, Path(argv[2])):
        print(f"Compliance report: {path.resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
