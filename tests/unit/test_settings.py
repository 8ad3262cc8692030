from __future__ import annotations

from pathlib import Path

import pytest

from newsquotes.settings import Settings, bundled_samples_dir


def test_defaults_need_no_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("NEWSQUOTES_WAREHOUSE", "NEWSQUOTES_INPUT_DIR", "NEWSQUOTES_PARQUET_DIR"):
        monkeypatch.delenv(key, raising=False)
    s = Settings()
    assert s.input_dir == bundled_samples_dir()
    assert any(s.input_dir.glob("*.txt"))
    assert s.warehouse_path == Path("data/newsquotes.duckdb")
    assert s.lake_dir == Path("data/lake")


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSQUOTES_BATCH_SIZE", "7")
    monkeypatch.setenv("NEWSQUOTES_EXTENSIONS", ".txt, .md")
    monkeypatch.setenv("NEWSQUOTES_DATA_DIR", "/tmp/x")
    s = Settings()
    assert s.batch_size == 7
    assert s.extensions == (".txt", ".md")
    assert s.warehouse_path == Path("/tmp/x/newsquotes.duckdb")


def test_invalid_values_are_rejected() -> None:
    with pytest.raises(ValueError):
        Settings(batch_size=0)
    with pytest.raises(ValueError):
        Settings(speaker_rate_mostly=1.5)


def test_input_guards_are_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().max_body_chars == 200_000 and Settings().allow_outside_links is False
    monkeypatch.setenv("NEWSQUOTES_MAX_BODY_CHARS", "5000")
    monkeypatch.setenv("NEWSQUOTES_ALLOW_OUTSIDE_LINKS", "true")
    s = Settings()
    assert s.max_body_chars == 5000 and s.allow_outside_links is True
    with pytest.raises(ValueError):
        Settings(max_body_chars=1_000_001)  # spaCy refuses longer texts
