"""RSS / Atom reader: entries, metadata, and XML attacks."""

from __future__ import annotations

from html import escape
from pathlib import Path

from blocwatch.errors import RejectReason
from blocwatch.model import RawDocument, Reject

from .helpers import PARAGRAPHS, docs, only, read_all

LONG_HTML = "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + '<p><a href="/share">Share this</a></p>'

RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Example Daily</title><link>https://news.example.org/</link>
<language>en</language>
<item><title>Twelve states sign river letter</title>
<link>https://news.example.org/river-letter</link>
<guid isPermaLink="false">river-1</guid>
<pubDate>Tue, 22 Jun 2021 09:30:00 +0000</pubDate>
<description>Short teaser</description>
<content:encoded><![CDATA[{LONG_HTML}]]></content:encoded></item>
<item><title>Brief: council adjourns</title>
<link>https://news.example.org/brief</link>
<pubDate>not a date</pubDate>
<description>{escape("<p>The council <b>adjourned</b> until Friday.</p>")}</description></item>
<item><title>No body at all</title></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
<title>Exemple Quotidien</title>
<entry><title type="html">Douze &lt;em&gt;États&lt;/em&gt; signent</title>
<id>urn:example:1</id>
<link rel="alternate" href="https://exemple.example.org/douze"/>
<published>2021-06-22T09:30:00Z</published>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">
<p>Douze États ont signé la lettre.</p></div></content>
</entry>
<entry><title>Résumé seul</title><updated>2021-06</updated>
<summary>Un résumé en texte.</summary></entry>
</feed>
"""

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>x</title><description>&lol9;</description></item></channel></rss>
"""


def test_rss_entries(tmp_path: Path) -> None:
    path = tmp_path / "news.rss"
    path.write_text(RSS, encoding="utf-8")
    out = read_all([path])
    assert [item.source for item in out] == [f"{path}#{n}" for n in range(3)]
    full, brief, empty = out
    assert isinstance(full, RawDocument)
    assert all(paragraph in full.text for paragraph in PARAGRAPHS)
    assert (full.title, full.url, full.published) == (
        "Twelve states sign river letter",
        "https://news.example.org/river-letter",
        "2021-06-22",
    )
    assert (full.outlet, full.language, full.external_id, full.input_format) == (
        "Example Daily",
        "en",
        "river-1",
        "rss",
    )
    assert isinstance(brief, RawDocument)
    assert brief.text == "The council adjourned until Friday."
    assert brief.published is None and brief.external_id == "news#1"
    assert isinstance(empty, Reject) and empty.reason is RejectReason.MISSING_TEXT


def test_atom_entries(tmp_path: Path) -> None:
    path = tmp_path / "flux.atom"
    path.write_text(ATOM, encoding="utf-8")
    out = docs(read_all([path]))
    assert len(out) == 2
    first, second = out
    assert first.text == "Douze États ont signé la lettre."
    assert first.title == "Douze États signent"
    assert (first.url, first.published, first.language) == (
        "https://exemple.example.org/douze",
        "2021-06-22",
        "fr",
    )
    assert (first.outlet, first.external_id, first.input_format) == (
        "Exemple Quotidien",
        "urn:example:1",
        "atom",
    )
    assert (second.text, second.published) == ("Un résumé en texte.", "2021-06")


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "laughs.xml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    item = only(read_all([path]))
    assert isinstance(item, Reject)
    assert item.reason is RejectReason.MALFORMED_XML
    assert "DTD" in item.detail


def test_external_entity_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read me")
    path = tmp_path / "xxe.rss"
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<rss><channel><item><description>&x;</description></item></channel></rss>"
    )
    item = only(read_all([path]))
    assert isinstance(item, Reject) and item.reason is RejectReason.MALFORMED_XML


def test_deep_xml_is_refused(tmp_path: Path) -> None:
    depth = 100_000
    path = tmp_path / "deep.rss"
    path.write_text("<rss><channel>" + "<x>" * depth + "</x>" * depth + "</channel></rss>")
    item = only(read_all([path]))
    assert isinstance(item, Reject) and item.reason is RejectReason.TOO_DEEP


def test_other_xml_and_broken_feeds(tmp_path: Path) -> None:
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>')
    broken = tmp_path / "broken.rss"
    broken.write_text("<rss><channel><item><title>unclosed</channel></rss>")
    empty = tmp_path / "empty.atom"
    empty.write_text('<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>')
    reasons = [
        item.reason for item in read_all([sitemap, broken, empty]) if isinstance(item, Reject)
    ]
    assert reasons == [RejectReason.UNSUPPORTED, RejectReason.MALFORMED_XML, RejectReason.EMPTY]
