from __future__ import annotations

from newsquotes import ids


def test_article_id_is_stable_and_distinct() -> None:
    assert ids.article_id("a/b.txt") == ids.article_id("a/b.txt")
    assert ids.article_id("a/b.txt") != ids.article_id("a/c.txt")
    assert ids.article_id("a/b.txt", 0) != ids.article_id("a/b.txt", 1)


def test_entity_id_ignores_case_and_spacing() -> None:
    assert ids.entity_id("PERSON", "Sergey  Lavrov") == ids.entity_id("PERSON", "sergey lavrov")
    assert ids.entity_id("PERSON", "Jordan") != ids.entity_id("GPE", "Jordan")


def test_run_ids_are_unique_and_sortable() -> None:
    a, b = ids.new_run_id(), ids.new_run_id()
    assert a != b
    assert a[:8].isdigit()
