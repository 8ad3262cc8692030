"""Fast attribution iteration: parse each evaluation set with spaCy once, then re-run only the rules.

Usage: python benchmarks/attribution_eval.py [--sets bbc-dev,seeds,polnear-dev] [--reparse] [--details DIR]

Each set's articles are read exactly as the pipeline reads them (``ingest.read_articles``: decoding,
cleaning, language detection), their bodies parsed with the configured model and ``nlp.pipe`` batch size,
and the Docs cached with ``DocBin`` under ``--cache`` (default ``/tmp/newsquotes-attr-cache``). Later runs
load the cache, run ``newsquotes.nlp.analyse.analyse_doc`` on every Doc, write a minimal warehouse
(``articles``, ``quotes``) and score it with the shared scorers. The rule time is printed next to the
spaCy time measured when the cache was built; the first-name table (``gender.first_name_table``), loaded once
per process like the model, is timed apart.

Sets: ``bbc-dev`` and ``seeds`` (the shared gold), ``polnear-dev`` and ``polnear-train`` (prepared
PolNeAR splits: a directory with ``articles/`` and ``gold.jsonl``, ``--polnear-dev`` / ``--polnear-train``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import duckdb  # noqa: E402
from spacy.tokens import DocBin  # noqa: E402

from newsquotes.evaluation import gold_articles  # noqa: E402
from newsquotes.ingest import read_articles  # noqa: E402
from newsquotes.nlp.analyse import analyse_doc  # noqa: E402
from newsquotes.nlp.gender import first_name_table  # noqa: E402
from newsquotes.nlp.model import load_model  # noqa: E402
from newsquotes.settings import Settings  # noqa: E402

BBC_SETS = {"seeds": ("seeds_quotes.jsonl", "corpora/seeds"), "bbc-dev": ("dev_quotes.jsonl", "corpora/bbc")}
QUOTE_COLUMNS = (
    "article_id", "quote_text", "kind", "speaker_name", "speaker_text", "speaker_type", "speaker_role", "cue",
    "start_char", "end_char",
)  # fmt: skip


def set_inputs(name: str, args: argparse.Namespace) -> tuple[Path, list[str]]:
    """Input folder and source paths of a set."""
    if name in BBC_SETS:
        gold, corpus = BBC_SETS[name]
        return args.shared / corpus, gold_articles(args.shared / "gold" / gold)
    root = Path(getattr(args, name.replace("-", "_"))) / "articles"
    return root, sorted(p.name for p in root.glob("*.txt"))


def parse_set(name: str, args: argparse.Namespace, cache: Path) -> None:
    settings = Settings()
    nlp = load_model(settings.spacy_model)
    root, paths = set_inputs(name, args)
    read = read_articles(root, paths, {}, settings.max_file_bytes)
    english = [a for a in read.articles if a.is_english and len(a.parsed.body) <= nlp.max_length]
    t0 = time.perf_counter()
    docs = list(nlp.pipe((a.parsed.body for a in english), batch_size=settings.nlp_batch_size))
    spacy_s = time.perf_counter() - t0
    DocBin(docs=docs).to_disk(cache / f"{name}.spacy")
    meta = {
        "articles": [{"article_id": a.article_id, "source_path": a.source_path} for a in english],
        "spacy_seconds": spacy_s,
        "words": sum(len(d) for d in docs),
    }
    (cache / f"{name}.json").write_text(json.dumps(meta), encoding="utf-8")


def build_warehouse(name: str, cache: Path, out: Path) -> dict:
    nlp = load_model(Settings().spacy_model)
    meta = json.loads((cache / f"{name}.json").read_text(encoding="utf-8"))
    docs = list(DocBin().from_disk(cache / f"{name}.spacy").get_docs(nlp.vocab))
    rows = []
    t0 = time.perf_counter()
    first_name_table()  # loaded once per process, like the model: timed apart from the rules
    names_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    analyses = [analyse_doc(doc) for doc in docs]
    rules_s = time.perf_counter() - t0
    for art, analysis in zip(meta["articles"], analyses, strict=True):
        for q in analysis.quotes:
            rec = {c: getattr(q, c, None) for c in QUOTE_COLUMNS}
            rec["article_id"] = art["article_id"]
            rows.append(tuple(rec[c] for c in QUOTE_COLUMNS))
    out.unlink(missing_ok=True)
    con = duckdb.connect(str(out))
    con.execute("CREATE TABLE articles (article_id VARCHAR, source_path VARCHAR, body VARCHAR)")
    con.executemany(
        "INSERT INTO articles VALUES (?, ?, ?)",
        [(a["article_id"], a["source_path"], d.text) for a, d in zip(meta["articles"], docs, strict=True)],
    )
    con.execute(
        "CREATE TABLE quotes (article_id VARCHAR, quote_text VARCHAR, kind VARCHAR, speaker_name VARCHAR, "
        "speaker_text VARCHAR, speaker_type VARCHAR, speaker_role VARCHAR, cue VARCHAR, start_char INTEGER, "
        "end_char INTEGER)"
    )
    if rows:
        con.executemany(f"INSERT INTO quotes VALUES ({', '.join('?' * len(QUOTE_COLUMNS))})", rows)
    con.close()
    return {"rules_s": rules_s, "spacy_s": meta["spacy_seconds"], "words": meta["words"], "names_s": names_s}


def score(name: str, args: argparse.Namespace, warehouse: Path) -> dict:
    details = args.details / f"{name}.txt" if args.details else None
    if name in BBC_SETS:
        gold, corpus = BBC_SETS[name]
        cmd = [
            sys.executable, str(args.shared / "eval" / "score_quotes.py"), "--warehouse", str(warehouse),
            "--gold", str(args.shared / "gold" / gold), "--articles-root", str(args.shared / corpus),
        ]  # fmt: skip
        proc = subprocess.run([*cmd, "--json"], capture_output=True, text=True, check=True)
        m = json.loads(proc.stdout.splitlines()[-1])
        if details:
            details.write_text(subprocess.run([*cmd, "--details"], capture_output=True, text=True).stdout)
        return {
            "attr P": m["attribution_precision"],
            "attr R": m["attribution_recall"],
            "attr F1": m["attribution_f1"],
            "quote P": m["quote_precision"],
            "quote R": m["quote_recall"],
            "false attr": m["false_attribution_rate"],
        }
    gold_dir = getattr(args, name.replace("-", "_"))
    cmd = [
        sys.executable, str(args.shared / "eval" / "polnear_bench.py"), "score", "--gold-dir", str(gold_dir),
        "--warehouse", str(warehouse), "--json",
    ]  # fmt: skip
    if details:
        cmd += ["--details", str(details)]
    res = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
    r = res["thresholds"]["0.3"]
    return {
        "quoted R": r["by_gold_class"]["quoted (direct+mixed)"]["recall"],
        "spk proper": r["by_source_type"]["proper"]["speaker_match"],
        "spk common": r["by_source_type"]["common"]["speaker_match"],
        "spk all": r["speaker_match"],
        "F1@0.3": r["f1"],
        "P@0.3": r["precision"],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default="bbc-dev,seeds,polnear-dev")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--polnear-dev", type=Path, default=Path("/tmp/pn/dev"))
    ap.add_argument("--polnear-train", type=Path, default=Path("/tmp/pn/train"))
    ap.add_argument("--cache", type=Path, default=Path("/tmp/newsquotes-attr-cache"))
    ap.add_argument("--reparse", action="store_true", help="parse again even when a cached DocBin exists")
    ap.add_argument("--details", type=Path, help="write each scorer's detailed listing into this folder")
    args = ap.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    if args.details:
        args.details.mkdir(parents=True, exist_ok=True)
    for name in args.sets.split(","):
        if args.reparse or not (args.cache / f"{name}.spacy").exists():
            parse_set(name, args, args.cache)
        timing = build_warehouse(name, args.cache, args.cache / f"{name}.duckdb")
        figures = score(name, args, args.cache / f"{name}.duckdb")
        share = timing["rules_s"] / timing["spacy_s"] if timing["spacy_s"] else 0.0
        cells = "  ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in figures.items())
        print(f"{name:<14} {cells}  | rules {timing['rules_s']:.2f}s = {share:.1%} of spaCy"
              f" (+ first-name table {timing['names_s']:.2f}s once)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
