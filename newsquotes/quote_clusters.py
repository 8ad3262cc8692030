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
(inside the load transaction); it is a few thousand dictionary lookups, far cheaper than the NLP. Quotes are
streamed: memory holds the distinct normal forms and an integer per quote, not the quotes.
"""

from __future__ import annotations

import hashlib
import re
import time
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa

from warehouse import registered, sql_statements, sql_text

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


def _cluster_forms(forms: list[str]) -> list[str]:
    """The cluster id of each of a list of distinct normal forms of ``MIN_WORDS`` words or more."""
    parent = list(range(len(forms)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    # Candidate pairs share a shingle; each pair of distinct forms is compared once.
    shingles = [_shingles(form.split()) for form in forms]
    index: dict[str, list[int]] = defaultdict(list)
    for i, shingle_set in enumerate(shingles):
        for s in shingle_set:
            index[s].append(i)
    for i, shingle_set in enumerate(shingles):
        counts: dict[int, int] = defaultdict(int)
        for s in shingle_set:
            postings = index[s]
            if len(postings) > 200:  # a stock phrase, not evidence
                continue
            for other in postings:
                if other > i:
                    counts[other] += 1
        for other, shared in counts.items():
            a, b = forms[i], forms[other]
            short, long_ = (a, b) if len(a) <= len(b) else (b, a)
            smaller = min(len(shingle_set), len(shingles[other]))
            contained = f" {short} " in f" {long_} "
            if contained or shared >= OVERLAP * smaller or (shared >= MIN_SHARED and shared >= MIN_SHARE * smaller):
                union(i, other)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(forms)):
        members[find(i)].append(i)
    out = [""] * len(forms)
    for group in members.values():
        cid = cluster_id(max((forms[i] for i in group), key=lambda f: (len(f), f)))
        for i in group:
            out[i] = cid
    return out


def cluster_quotes(quotes: Iterable[tuple[str, str]]) -> dict[str, str]:
    """quote_id -> quote_cluster_id for (quote_id, quote_text) pairs."""
    forms: dict[str, str] = {qid: normal_form(text) for qid, text in quotes}
    distinct: dict[str, int] = {}
    for form in forms.values():
        if len(form.split()) >= MIN_WORDS:
            distinct.setdefault(form, len(distinct))
    cids = _cluster_forms(list(distinct))
    # a short quote is a cluster of its own: its id comes from the quote, not from its common words
    return {qid: cids[distinct[f]] if f in distinct else cluster_id(f"quote\x1f{qid}") for qid, f in forms.items()}


def update_quote_clusters(con: Any, fetch_rows: int = 10_000) -> dict[str, Any]:
    """Re-cluster every quote of the warehouse (the caller owns the transaction); returns figures.

    The quotes are read a ``fetch_rows`` piece at a time; what is kept is one small integer per quote (its
    distinct normal form, or -1 for a short quote) and the distinct long forms. The ids are written back in SQL:
    a short quote's id is computed there (the same hash as ``cluster_id``)."""
    t0 = time.perf_counter()
    distinct: dict[str, int] = {}
    form_of = array("i")  # per quote in quote_id order: index of its normal form in ``distinct``, or -1
    cursor = con.execute(sql_text("quote_texts"))
    while rows := cursor.fetchmany(fetch_rows):
        for _qid, text in rows:
            form = normal_form(text)
            form_of.append(distinct.setdefault(form, len(distinct)) if len(form.split()) >= MIN_WORDS else -1)
    cids = _cluster_forms(list(distinct))
    tables = {
        "quote_forms": pa.table(
            {
                "rn": pa.array(range(1, len(form_of) + 1), type=pa.int64()),
                "form_idx": pa.array(form_of, type=pa.int32()),
            }
        ),
        "form_clusters": pa.table({"form_idx": pa.array(range(len(cids)), type=pa.int32()), "cid": cids}),
    }
    with registered(con, tables):
        for statement in sql_statements("quote_clusters"):
            con.execute(statement)
    short = sum(1 for i in form_of if i < 0)
    return {"quotes": len(form_of), "clusters": short + len(set(cids)), "seconds": time.perf_counter() - t0}


def cluster_sizes(clusters: Mapping[str, str]) -> dict[str, int]:
    sizes: dict[str, int] = defaultdict(int)
    for cid in clusters.values():
        sizes[cid] += 1
    return dict(sizes)
