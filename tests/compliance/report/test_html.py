"""The HTML report read the way a browser reads it (html5lib, the WHATWG parsing algorithm, in strict mode): well
formed, every table even, the header and verdicts present, nothing left as a CloudFormation token or JSON."""

from __future__ import annotations

import re

import pytest

from compliance.report import Covers, build_report, render_html
from compliance.report.verdicts import QUESTIONS
from tests.support.html_report import check_html
from tests.support.synth import Synth


@pytest.fixture(scope="module")
def default_html(default_synth: Synth) -> str:
    covers = Covers(generated="2026-11-25 12:00 UTC", commit="abc1234", configuration="0123456789ab (test)")
    return render_html(build_report(default_synth.outdir, covers))


def test_the_report_is_a_well_formed_document(default_html: str) -> None:
    root = check_html(default_html)
    verdicts = root.find(".//table[@class='verdicts']")
    assert verdicts is not None
    rows = verdicts.findall("./tbody/tr")
    assert [r.find("th").text for r in rows] == [*QUESTIONS, "Rule packs clean"]  # type: ignore[union-attr]
    for row in rows:
        (cell,) = row.findall("td")
        assert cell.attrib["class"] in ("v-pass", "v-fail", "v-warn")
        assert cell.find("span[@class='mark']") is not None
    dd = {dt.text: dd for dt, dd in zip(root.iter("dt"), root.iter("dd"), strict=True)}
    assert "".join(dd["Commit"].itertext()) == "abc1234"
    # The picture is inline SVG with a box per resource; no script, nothing fetched from the network.
    svg = root.find(".//figure//{http://www.w3.org/2000/svg}svg")
    assert svg is not None and len(svg.findall(".//{http://www.w3.org/2000/svg}g[@class='node']")) >= 25
    assert "<script" not in default_html and not re.search(r"(src|href)=\"https?:", default_html)
    style = root.find(".//style")
    assert style is not None and "@media print" in (style.text or "") and "table-layout:fixed" in (style.text or "")


def test_every_section_a_reviewer_needs_is_there(default_html: str) -> None:
    root = check_html(default_html)
    headings = ["".join(h.itertext()) for level in ("h2", "h3") for h in root.iter(level)]
    for needed in ("Verdicts", "Architecture", "us-east-1", "Rule packs", "Acknowledgements"):
        assert needed in headings
    for needed in ("Invocation logging", "What could alter or stop logging", "What could go around logging"):
        assert needed in headings
    for needed in ("Invocation access", "Who hears the alarms", "Not covered by this report", "Sign-off"):
        assert needed in headings + ["".join(h.itertext()) for h in root.iter("h4")]
    text = "".join(root.find("body").itertext())  # type: ignore[union-attr]
    assert (
        "only on behalf of this account, only for requests from Bedrock resources of this account in us-east-1" in text
    )
    assert "s3://{InvocationLogBucket}/invocation-logs" in text


def test_teams_and_options_render_too(teams_synth: Synth, every_option_synth: Synth) -> None:
    for synth, needed in ((teams_synth, "SupportTeam/Role"), (every_option_synth, "example-bedrock-log-archive")):
        root = check_html(render_html(build_report(synth.outdir)))
        assert needed in "".join(root.find("body").itertext())  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("break_it", "message"),
    [
        (lambda h: h.replace("<h1>", "<h1><b>", 1).replace("</h1>", "</h1></b>", 1), "parse error"),
        (lambda h: h.replace("</table>", "", 1), "parse error"),
        (lambda h: h.replace("<td>", "<td></td><td>", 1), "tr"),
        (lambda h: h.replace("<dt>Commit</dt>", "<dt>Revision</dt>"), "Commit"),
        (lambda h: h.replace('class="verdicts"', 'class="other"'), "no verdict table"),
        (
            lambda h: h.replace(
                "{InvocationLogBucket}", "&lt;ClaudeInvocationLoggingInvocationLogBucket1F7E1819&gt;", 1
            ),
            "Claude",
        ),
        (
            lambda h: h.replace("only on behalf of this account", '{"StringEquals": {"aws:SourceAccount": "1"}}', 1),
            "String",
        ),
    ],
    ids=["misnested", "unclosed-table", "uneven-row", "no-commit", "no-verdicts", "token", "raw-json"],
)
def test_the_check_fails_on_a_broken_report(default_html: str, break_it, message: str) -> None:  # type: ignore[no-untyped-def]
    broken = break_it(default_html)
    assert broken != default_html
    with pytest.raises(AssertionError, match=message):
        check_html(broken)


def test_names_break_only_between_words(default_html: str, every_option_synth: Synth) -> None:
    """Outside the pictures, a Region inside a name (`ClaudeInvoker-us-east-1`, `logs.us-east-1.amazonaws.com`) is
    kept on one line, and nothing lets the browser break a word anywhere (no word-break:break-all)."""
    for html, region in (
        (default_html, "us-east-1"),
        (render_html(build_report(every_option_synth.outdir)), "eu-west-1"),
    ):
        assert "break-all" not in html
        prose = re.sub(r"<(svg|style|title)\b.*?</\1>", "", html, flags=re.DOTALL)
        assert f'<span class="nobr">{region}</span>' in prose
        unprotected = re.sub(r"<[^>]+>", " ", prose.replace(f'<span class="nobr">{region}</span>', ""))
        assert region not in unprotected
