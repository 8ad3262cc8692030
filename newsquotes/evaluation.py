"""Scoring the warehouse against gold quote annotations with the reference scorer."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path


def gold_articles(gold_file: Path) -> list[str]:
    """The article paths (relative to their corpus folder) that a gold JSONL file annotates."""
    seen: dict[str, None] = {}
    with Path(gold_file).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                seen.setdefault(json.loads(line)["article"], None)
    return list(seen)


def stage_gold_corpus(gold_file: Path, corpus_root: Path, target: Path) -> Path:
    """Copy the annotated articles (keeping their relative paths) into ``target``, an input folder."""
    for rel in gold_articles(gold_file):
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(corpus_root) / rel, dest)
    return target


def score_warehouse(scorer: Path, warehouse: Path, gold_file: Path, articles_root: Path) -> dict[str, float]:
    """Run the reference scorer and return its metrics."""
    proc = subprocess.run(
        [
            sys.executable,
            str(scorer),
            "--warehouse",
            str(warehouse),
            "--gold",
            str(gold_file),
            "--articles-root",
            str(articles_root),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"scorer failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])
