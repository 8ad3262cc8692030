"""The real flow on mixed input: .txt, .html, .jsonl (with a German record), an edited copy and an exact copy."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from newsquotes.ids import article_id
from tests.integration.warehouse_query import query as _q

pytestmark = pytest.mark.integration

HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Ferry fares to rise</title>
<meta name="author" content="Jane Roe"><meta property="article:published_time" content="2024-05-02T08:00:00Z">
<link rel="canonical" href="https://news.example.com/ferry"><meta property="og:site_name" content="Example News">
</head><body><nav><a href="/">Home</a> | <a href="/news">News</a></nav><h1>Ferry fares to rise</h1>
<article><p>Ferry fares on the island routes will rise by eight per cent in June, the operator said on Thursday,
blaming higher fuel and staff costs.</p>
<p>"Nobody likes paying more, but the alternative is fewer sailings," said Mark Doyle,
the operator's chief executive.</p>
<p>Passenger groups said the increase would hit commuters hardest and called for a review of the subsidy.</p>
</article><footer>Subscribe to our newsletter</footer></body></html>
"""
GERMAN = (
    "Der Stadtrat hat am Dienstag die Pläne für einen neuen Park gebilligt und damit einen zweijährigen Streit "
    "über das Gelände beendet. „Das ist ein großartiger Tag für das Viertel“, sagte die Stadträtin Ana Weber. "
    "Die Arbeiten sollen im Frühjahr beginnen und achtzehn Monate dauern."
)
ENGLISH = (
    "The regional bus company will add forty new electric buses to its fleet this year, its director said. "
    '"Our passengers have asked for cleaner and quieter buses for years," said Priya Shah, the director.'
)


def test_formats_languages_and_duplicates_in_the_real_flow(samples: Path, run_flow, warehouse_path: Path) -> None:  # type: ignore[no-untyped-def]
    river = (samples / "river-cleanup.txt").read_text(encoding="utf-8")
    edited = (
        river.replace("Volunteers pull two tonnes of rubbish from the Wensum", "Hundreds clean up the River Wensum")
        .replace("More than 300 volunteers", "Over 300 volunteers")
        .replace("in the spring", "next spring")
    )
    (samples / "zz-river-copy.txt").write_text(edited, encoding="utf-8")  # a near duplicate
    shutil.copyfile(samples / "library-funding.txt", samples / "zz-library-copy.txt")  # an exact copy
    (samples / "ferry.html").write_text(HTML, encoding="utf-8")
    records = [
        {"title": "Electric buses for the region", "body": ENGLISH, "source": {"name": "Example Wire"}},
        {"title": "Stadtrat beschließt neuen Park", "body": GERMAN, "outlet": "Beispielblatt"},
    ]
    (samples / "feed.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), "utf-8")
    (samples / "notes.pdf").write_bytes(b"%PDF-1.4")

    state = run_flow(samples)
    assert state.is_completed(), state.message
    summary = state.result()
    # one German record of nine is under the articles suite's 90% English: a warning, so the run loads and ends
    # Warned (not Completed, not Failed), and that is the only check that failed
    assert summary["status"] == "warned" and state.name == "Warned", (summary["status"], state.name)
    failed = _q(warehouse_path, "SELECT suite, column_name, severity FROM dq_results WHERE NOT success")
    assert failed == [("articles", "language", "warning")]
    assert _q(warehouse_path, "SELECT status, articles_loaded FROM pipeline_runs") == [("warned", 9)]
    assert summary["articles_loaded"] == 9 and summary["duplicates"] == 2 and summary["non_english"] == 1
    assert "not English" in summary["summary_text"]
    assert _q(warehouse_path, "SELECT source_path, stage FROM ingest_errors") == [("notes.pdf", "discover")]

    rows = {
        r[0]: r[1:]
        for r in _q(
            warehouse_path,
            "SELECT source_path || '#' || record_index, title, outlet, author, url, language, duplicate_of, "
            "duplicate_kind FROM articles",
        )
    }
    assert rows["ferry.html#0"][:5] == (
        "Ferry fares to rise",
        "Example News",
        "Jane Roe",
        "https://news.example.com/ferry",
        "en",
    )
    assert rows["feed.jsonl#0"][1] == "Example Wire" and rows["feed.jsonl#1"][4] == "de"
    assert rows["zz-river-copy.txt#0"][5:] == (article_id("river-cleanup.txt"), "near")
    assert rows["zz-library-copy.txt#0"][5:] == (article_id("library-funding.txt"), "exact")
    assert rows["river-cleanup.txt#0"][5] is None

    # the German record is kept, but not run through the English model
    german = article_id("feed.jsonl", 1)
    assert _q(warehouse_path, "SELECT count(*) FROM entity_mentions WHERE article_id = ?", [german]) == [(0,)]
    assert _q(warehouse_path, "SELECT count(*) FROM quotes WHERE article_id = ?", [german]) == [(0,)]
    # HTML and JSON bodies go through the NLP like text
    speakers = {r[0] for r in _q(warehouse_path, "SELECT speaker_name FROM quotes WHERE speaker_name IS NOT NULL")}
    assert {"Mark Doyle", "Priya Shah"} <= speakers

    # quote statistics without double counting: duplicates' quotes are left out, and they share clusters
    copies = [article_id("zz-river-copy.txt"), article_id("zz-library-copy.txt")]
    total = _q(warehouse_path, "SELECT count(*) FROM quotes")[0][0]
    in_copies = _q(warehouse_path, "SELECT count(*) FROM quotes WHERE article_id IN (?, ?)", copies)[0][0]
    assert in_copies > 0
    assert _q(warehouse_path, "SELECT count(*) FROM distinct_quotes") == [(total - in_copies,)]
    unshared = _q(
        warehouse_path,
        """SELECT count(*) FROM quotes c WHERE c.article_id IN (?, ?) AND length(c.quote_text) > 40
           AND c.quote_cluster_id NOT IN (SELECT quote_cluster_id FROM quotes WHERE article_id NOT IN (?, ?))""",
        [*copies, *copies],
    )
    assert unshared == [(0,)]
