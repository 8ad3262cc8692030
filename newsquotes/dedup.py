"""Exact and near-duplicate articles: content hashes and MinHash/LSH (datasketch).

Every article gets a signature when it is read: the SHA-256 of its body text and a MinHash (128 permutations,
datasketch's ``affine32`` scheme, seed 1) of its body's word 5-shingles (case-folded ``\\w+`` tokens). The
signatures of loaded articles live in ``article_signatures``; a run builds an LSH index from them and adds its
own articles in run order (sorted source path, record index), so an article is compared with every article
loaded before it and every earlier article of the run.

An article is a duplicate of an earlier one when, in this order:

1. ``exact`` — the same source bytes (``content_sha256``) or the same body text (``body_sha256``);
2. ``near`` — an LSH candidate whose estimated Jaccard similarity of shingles is at least ``NEAR_THRESHOLD``
   (0.8: syndicated copies with another headline or a few edited words; on the BBC corpus 37 of 2,095
   articles are re-filed versions of another article at this threshold).

``duplicate_of`` is always the *first copy*: the matched article's own ``duplicate_of`` when it has one, so a
chain of copies points at one article. Duplicates are loaded (and annotated) like any article; quote
statistics leave them out through the ``distinct_quotes`` view.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from newsquotes.ingest import ArticleInput

__all__ = [
    "NEAR_THRESHOLD",
    "NUM_PERM",
    "SHINGLE_WORDS",
    "DuplicateIndex",
    "DuplicateMark",
    "Signature",
    "body_sha256",
    "mark_duplicates",
    "minhash_signature",
]

NUM_PERM = 128
SHINGLE_WORDS = 5
NEAR_THRESHOLD = 0.8
SEED = 1
SCHEME = "affine32"
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class DuplicateMark:
    duplicate_of: str
    kind: str  # exact | near
    similarity: float


@dataclass(frozen=True, slots=True)
class Signature:
    """What the index knows of one article."""

    article_id: str
    content_sha256: str
    body_sha256: str
    minhash: np.ndarray  # uint32[NUM_PERM]
    duplicate_of: str | None = None


@cache
def _permutations() -> Any:
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def body_sha256(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    tokens = _TOKEN.findall(text.casefold())
    if len(tokens) <= size:
        return {" ".join(tokens).encode("utf-8")} if tokens else set()
    return {" ".join(tokens[i : i + size]).encode("utf-8") for i in range(len(tokens) - size + 1)}


def minhash_signature(text: str) -> np.ndarray:
    """The MinHash hash values (uint32[NUM_PERM]) of text's word shingles."""
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, permutations=_permutations())
    grams = shingles(text)
    if grams:
        m.update_batch(list(grams))
    return np.asarray(m.hashvalues, dtype=np.uint32)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two MinHash signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


@dataclass(slots=True)
class DuplicateIndex:
    """Signatures of the articles seen so far (loaded ones, then the run's), for exact and LSH lookups."""

    threshold: float = NEAR_THRESHOLD
    signatures: dict[str, Signature] = field(default_factory=dict)  # insertion order = first-copy order
    by_content: dict[str, list[str]] = field(default_factory=dict)
    by_body: dict[str, list[str]] = field(default_factory=dict)
    _order: dict[str, int] = field(default_factory=dict)
    _seq: int = 0
    _lsh: Any = None

    def __post_init__(self) -> None:
        from datasketch import MinHashLSH

        self._lsh = MinHashLSH(threshold=self.threshold, num_perm=NUM_PERM)

    def __len__(self) -> int:
        return len(self.signatures)

    def _lean(self, values: np.ndarray) -> Any:
        from datasketch import LeanMinHash

        return LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)

    def add(self, sig: Signature) -> None:
        self.remove(sig.article_id)
        self.signatures[sig.article_id] = sig
        self._order[sig.article_id] = self._seq
        self._seq += 1
        self.by_content.setdefault(sig.content_sha256, []).append(sig.article_id)
        self.by_body.setdefault(sig.body_sha256, []).append(sig.article_id)
        self._lsh.insert(sig.article_id, self._lean(sig.minhash))

    def remove(self, article_id: str) -> None:
        """Forget an article (it is being processed again: its old text must not match its new one)."""
        sig = self.signatures.pop(article_id, None)
        if sig is None:
            return
        self.by_content[sig.content_sha256].remove(article_id)
        self.by_body[sig.body_sha256].remove(article_id)
        self._lsh.remove(article_id)

    def first_copy(self, article_id: str) -> str:
        sig = self.signatures.get(article_id)
        seen = {article_id}
        while sig is not None and sig.duplicate_of is not None and sig.duplicate_of not in seen:
            seen.add(sig.duplicate_of)
            article_id = sig.duplicate_of
            sig = self.signatures.get(article_id)
        return article_id

    def match(self, sig: Signature) -> DuplicateMark | None:
        """The first copy sig repeats, or None. sig itself must not be in the index."""
        order = self._order
        for table, key in ((self.by_content, sig.content_sha256), (self.by_body, sig.body_sha256)):
            for candidate in sorted(table.get(key, ()), key=order.__getitem__):
                root = self.first_copy(candidate)
                if root != sig.article_id:
                    return DuplicateMark(root, "exact", 1.0)
        best: tuple[float, int, str] | None = None
        for candidate in self._lsh.query(self._lean(sig.minhash)):
            score = similarity(sig.minhash, self.signatures[candidate].minhash)
            if score < self.threshold:
                continue
            root = self.first_copy(candidate)
            if root == sig.article_id:
                continue
            key = (-score, order[candidate], root)
            if best is None or key < best:
                best = key
        if best is None:
            return None
        return DuplicateMark(best[2], "near", round(-best[0], 4))


def mark_duplicates(index: DuplicateIndex, articles: Sequence[ArticleInput]) -> list[ArticleInput]:
    """The articles with their duplicate marks, in order; each is then added to the index."""
    out: list[ArticleInput] = []
    for article in articles:
        index.remove(article.article_id)
    for article in articles:
        sig = Signature(article.article_id, article.content_sha256, article.body_sha256, article.minhash)
        mark = index.match(sig)
        if mark is not None:
            sig = replace(sig, duplicate_of=mark.duplicate_of)
        index.add(sig)
        out.append(replace(article, duplicate=mark))
    return out


def index_from_rows(rows: Iterable[tuple[str, str, str, Sequence[int], str | None]]) -> DuplicateIndex:
    """An index of loaded articles: rows of (article_id, content_sha256, body_sha256, minhash, duplicate_of)."""
    index = DuplicateIndex()
    for aid, content, body, values, duplicate_of in rows:
        index.add(Signature(aid, content, body, np.asarray(values, dtype=np.uint32), duplicate_of))
    return index
