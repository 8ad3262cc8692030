"""The same statement reported by several outlets: one ``quote_cluster_id`` per distinct statement.

Quote texts are compared in a normal form: case-folded word tokens (``\\w+``) joined by single spaces, so
quotation-mark style, punctuation and spacing do not matter. Two quotes are the same statement when

* their normal forms are equal, or
* one is contained in the other as a whole run of words (an outlet quoting a fragment of another's longer
  quote: "strengthen their coordinated opposition to THAAD" inside "Both sides said they will continue to
  strengthen their coordinated opposition to THAAD"), or
* their word 4-shingles overlap by at least ``OVERLAP`` (0.6) of the shorter quote's shingles (a few words
  changed), or by at least ``MIN_SHARED`` (3) shingles that are at least ``MIN_SHARE`` (0.3) of the shorter
  quote's (a six-word run in common, both quotes cut at other places: "strengthen their coordinated opposition
  to THAAD (Terminal High Altitude Area Defense)" and "… continue to strengthen their coordinated opposition
  to THAAD");

and the shorter one has at least ``MIN_WORDS`` (5) words: short phrases ("a free ride", "consequences") are
common words, not evidence of one statement, and stay clusters of their own. Merging is transitive.

The cluster id is a hash of the normal form of the cluster's longest quote (of the quote id for a short quote),
so it is stable across runs while that quote stays. The whole warehouse is re-clustered after every load
(inside the load transaction); it is a few thousand dictionary lookups, far cheaper than the NLP.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa

from warehouse import sql_statements, sql_text

__all__ = ["MIN_WORDS", "OVERLAP", "cluster_quotes", "normal_form", "update_quote_clusters"]

MIN_WORDS = 5
OVERLAP = 0.6
MIN_SHARED = 3
MIN_SHARE = 0.3
SHINGLE = 4
_TOKEN = re.compile(r"\w+")


def normal_form(text: str) -> str:
    return " ".join(_TOKEN.findall(text.casefold()))


def _shingles(words: list[str]) -> set[str]:
    if len(words) <= SHINGLE:
        return {" ".join(words)}
    return {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def cluster_id(text: str) -> str:
    return hashlib.sha256(f"quote-cluster\x1f{text}".encode()).hexdigest()[:16]


def cluster_quotes(quotes: Iterable[tuple[str, str]]) -> dict[str, str]:
    """quote_id -> quote_cluster_id for (quote_id, quote_text) pairs."""
    forms: dict[str, str] = {qid: normal_form(text) for qid, text in quotes}
    parent: dict[str, str] = {qid: qid for qid in forms}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    by_form: dict[str, str] = {}
    long_ids: list[str] = []
    for qid, form in forms.items():
        if len(form.split()) < MIN_WORDS:
            continue
        if form in by_form:
            union(qid, by_form[form])
        else:
            by_form[form] = qid
            long_ids.append(qid)
    # Candidate pairs share a shingle; each distinct form is compared once.
    shingles = {qid: _shingles(forms[qid].split()) for qid in long_ids}
    index: dict[str, list[str]] = defaultdict(list)
    for qid in long_ids:
        for s in shingles[qid]:
            index[s].append(qid)
    for qid in long_ids:
        counts: dict[str, int] = defaultdict(int)
        for s in shingles[qid]:
            postings = index[s]
            if len(postings) > 200:  # a stock phrase, not evidence
                continue
            for other in postings:
                if other > qid:
                    counts[other] += 1
        for other, shared in counts.items():
            a, b = forms[qid], forms[other]
            short, long_ = (a, b) if len(a) <= len(b) else (b, a)
            smaller = min(len(shingles[qid]), len(shingles[other]))
            contained = f" {short} " in f" {long_} "
            if contained or shared >= OVERLAP * smaller or (shared >= MIN_SHARED and shared >= MIN_SHARE * smaller):
                union(qid, other)
    members: dict[str, list[str]] = defaultdict(list)
    for qid in forms:
        members[find(qid)].append(qid)
    out: dict[str, str] = {}
    for group in members.values():
        longest = max(group, key=lambda q: (len(forms[q]), forms[q]))
        # a short quote is a cluster of its own: its id comes from the quote, not from its common words
        key = forms[longest] if len(forms[longest].split()) >= MIN_WORDS else f"quote\x1f{longest}"
        cid = cluster_id(key)
        for qid in group:
            out[qid] = cid
    return out


def update_quote_clusters(con: Any) -> dict[str, Any]:
    """Re-cluster every quote of the warehouse (the caller owns the transaction); returns figures."""
    t0 = time.perf_counter()
    rows = con.execute(sql_text("quote_texts")).fetchall()
    clusters = cluster_quotes(rows)
    table = pa.Table.from_pylist(
        [{"quote_id": q, "quote_cluster_id": c} for q, c in clusters.items()],
        schema=pa.schema([("quote_id", pa.string()), ("quote_cluster_id", pa.string())]),
    )
    con.register("quote_cluster_map", table)
    try:
        for statement in sql_statements("quote_clusters"):
            con.execute(statement)
    finally:
        con.unregister("quote_cluster_map")
    return {"quotes": len(clusters), "clusters": len(set(clusters.values())), "seconds": time.perf_counter() - t0}


def cluster_sizes(clusters: Mapping[str, str]) -> dict[str, int]:
    sizes: dict[str, int] = defaultdict(int)
    for cid in clusters.values():
        sizes[cid] += 1
    return dict(sizes)
