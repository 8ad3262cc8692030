"""From parsed articles to warehouse rows: run spaCy in batches, extract mentions and quotes."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import pyarrow as pa
from spacy.language import Language
from spacy.tokens import Doc

from newsquotes import ids
from newsquotes.errors import IngestError
from newsquotes.ingest import ArticleInput
from newsquotes.nlp.analyse import analyse_doc
from newsquotes.nlp.types import DocAnalysis
from newsquotes.schema import LAKE_TABLES, rows_to_table

_WORD = re.compile(r"\w+(?:[’'-]\w+)*")


@dataclass(slots=True)
class BatchTables:
    """One batch of articles as Arrow tables (one per lake table), plus per-article failures."""

    tables: dict[str, pa.Table]
    errors: list[IngestError] = field(default_factory=list)
    words: int = 0
    timings: dict[str, float] = field(default_factory=dict)  # seconds: "nlp" (spaCy), "extract" (rules, rows)

    def count(self, table: str) -> int:
        return self.tables[table].num_rows


def word_count(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


def article_rows(
    article: ArticleInput, analysis: DocAnalysis, run_id: str, ingested_at: datetime
) -> dict[str, list[dict]]:
    """The rows every lake table gets from one analysed article."""
    parsed = article.parsed
    aid = article.article_id
    rows: dict[str, list[dict]] = {t: [] for t in LAKE_TABLES}
    rows["articles"].append(
        {
            "article_id": aid,
            "source_path": article.source_path,
            "record_index": article.record_index,
            "title": parsed.title,
            "body": parsed.body,
            "content_sha256": article.content_sha256,
            "word_count": word_count(parsed.body),
            "outlet": parsed.outlet,
            "author": parsed.author,
            "published_at": parsed.published_at,
            "url": parsed.url,
            "language": article.language,
            "duplicate_of": article.duplicate.duplicate_of if article.duplicate else None,
            "duplicate_kind": article.duplicate.kind if article.duplicate else None,
            "duplicate_similarity": article.duplicate.similarity if article.duplicate else None,
            "run_id": run_id,
            "ingested_at": ingested_at,
        }
    )
    entities: dict[str, dict] = {}
    for m in analysis.mentions:
        eid = ids.entity_id(m.label, m.canonical_name)
        entities.setdefault(eid, {"entity_id": eid, "name": m.canonical_name, "label": m.label})
        rows["entity_mentions"].append(
            {
                "mention_id": ids.mention_id(aid, m.start_char, m.end_char),
                "article_id": aid,
                "entity_id": eid,
                "text": m.text,
                "label": m.label,
                "start_char": m.start_char,
                "end_char": m.end_char,
                "local_name": m.canonical_name,
                "method": "ner",
            }
        )
    by_name = {ids.entity_key(e["name"]): e for e in entities.values()}
    for q in analysis.quotes:
        speaker_eid = None
        speaker_type = q.speaker_type
        if q.speaker_name:
            known = by_name.get(ids.entity_key(q.speaker_name))
            if known is not None and (speaker_type is None or known["label"] == speaker_type):
                speaker_eid = known["entity_id"]
                speaker_type = known["label"]
            else:
                speaker_type = speaker_type or "PERSON"
                speaker_eid = ids.entity_id(speaker_type, q.speaker_name)
                entities.setdefault(
                    speaker_eid, {"entity_id": speaker_eid, "name": q.speaker_name, "label": speaker_type}
                )
        rows["quotes"].append(
            {
                "quote_id": ids.quote_id(aid, q.kind, q.start_char, q.end_char),
                "article_id": aid,
                "quote_text": q.quote_text,
                "kind": q.kind,
                "speaker_name": q.speaker_name,
                "speaker_entity_id": speaker_eid,
                "speaker_type": speaker_type if q.speaker_name else q.speaker_type,  # DESCRIPTION or NULL
                "speaker_role": q.speaker_role,
                "cue": q.cue,
                "start_char": q.start_char,
                "end_char": q.end_char,
                "speaker_text": q.speaker_text,
            }
        )
    rows["entities"].extend(entities.values())
    if article.minhash is not None:
        rows["article_signatures"].append(
            {"article_id": aid, "body_sha256": article.body_sha256, "minhash": article.minhash.tolist()}
        )
    rows["boilerplate"].extend(
        {"article_id": aid, "line_no": r.line_no, "line": r.text, "reason": r.reason} for r in parsed.removed
    )
    return rows


def annotate_articles(
    nlp: Language,
    articles: Sequence[ArticleInput],
    run_id: str,
    ingested_at: datetime,
    *,
    batch_size: int = 32,
    n_process: int = 1,
) -> BatchTables:
    """Run the spaCy pipeline over the articles' bodies and turn each into rows.

    An article whose analysis raises is reported as an ``nlp`` error and left out; the rest go on. So is one
    whose body spaCy refuses (longer than ``nlp.max_length``) or fails on.
    """
    merged: dict[str, list[dict]] = {t: [] for t in LAKE_TABLES}
    errors: list[IngestError] = []
    words = 0
    nlp_s = extract_s = 0.0
    too_long = {
        a.article_id
        for a in articles
        if a.is_english and len(a.parsed.body) > nlp.max_length  # spaCy raises E088 for the whole pipe
    }
    # Articles in another language are kept without NLP: the model is English.
    english = [a for a in articles if a.is_english and a.article_id not in too_long]

    bodies = (a.parsed.body for a in english)
    docs: Iterator[Doc] | None = iter(nlp.pipe(bodies, batch_size=batch_size, n_process=n_process))
    for article in articles:
        if article.article_id in too_long:
            reason = f"body is {len(article.parsed.body)} characters, over the model's limit of {nlp.max_length}"
            errors.append(IngestError(article.source_path, "nlp", reason))
            continue
        t0 = time.perf_counter()
        doc: Doc | None = None
        if article.is_english and docs is not None:
            try:
                doc = next(docs)
            except Exception:  # a pipe that raised is finished, and the culprit may be any article of its
                docs = None  # batch: the rest go one at a time, so a failure is reported for its own article
        if article.is_english and doc is None:
            try:
                doc = nlp(article.parsed.body)
            except Exception as exc:
                nlp_s += time.perf_counter() - t0
                errors.append(IngestError(article.source_path, "nlp", f"spaCy failed: {type(exc).__name__}: {exc}"))
                continue
        t1 = time.perf_counter()
        nlp_s += t1 - t0
        try:
            analysis = analyse_doc(doc) if doc is not None else DocAnalysis()
            rows = article_rows(article, analysis, run_id, ingested_at)
        except Exception as exc:  # one broken article never stops the batch
            errors.append(IngestError(article.source_path, "nlp", f"{type(exc).__name__}: {exc}"))
            continue
        finally:
            extract_s += time.perf_counter() - t1
        words += rows["articles"][0]["word_count"]
        for table, table_rows in rows.items():
            merged[table].extend(table_rows)
    # one row per entity per batch; the load keeps one per entity across batches
    merged["entities"] = list({r["entity_id"]: r for r in merged["entities"]}.values())
    t2 = time.perf_counter()
    tables = {t: rows_to_table(t, merged[t]) for t in LAKE_TABLES}
    extract_s += time.perf_counter() - t2
    return BatchTables(tables=tables, errors=errors, words=words, timings={"nlp": nlp_s, "extract": extract_s})
