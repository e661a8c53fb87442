"""Reading the HTML compliance report the way a browser does (html5lib, the WHATWG parsing algorithm, strict)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

import html5lib

TOKEN = re.compile(r"<[A-Z][A-Za-z0-9]*[0-9A-F]{8}(\.\w+)?>|\{\"Fn::|\"Ref\":|Fn::GetStackOutput")
RAW_CONDITION = re.compile(r"\{\s*\"(String|Arn|Bool|Numeric)\w*\"\s*:|\"aws:\w+\"\s*:")


def check_html(text: str) -> ElementTree.Element:
    """The document tree; AssertionError on any parse error, uneven table, missing part or leftover token."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        root = parser.parse(text)
    except html5lib.html5parser.ParseError as error:
        raise AssertionError(f"HTML parse error: {error}") from error
    for table in root.iter("table"):
        columns = len(table.findall("./thead/tr/th"))
        widths = [float(c.attrib["style"].split(":")[1].rstrip("%")) for c in table.findall("./colgroup/col")]
        assert not widths or (len(widths) == columns and sum(widths) <= 100), widths
        for row in table.findall("./tbody/tr"):
            assert len(list(row)) == columns, [ElementTree.tostring(row, encoding="unicode")[:200]]
    header = root.find(".//header")
    assert header is not None and header.find("h1") is not None, "no header"
    labels = [dt.text for dt in header.iter("dt")]
    needed = {"Generated", "Commit", "Configuration fingerprint", "Templates fingerprint"}
    assert needed <= set(labels), f"the header lacks {needed - set(labels)}"
    verdicts = root.find(".//table[@class='verdicts']")
    assert verdicts is not None, "no verdict table"
    text_only = "".join(root.find("body").itertext())  # type: ignore[union-attr]
    assert not TOKEN.search(text_only), TOKEN.search(text_only)
    assert not RAW_CONDITION.search(text_only), RAW_CONDITION.search(text_only)
    return root
