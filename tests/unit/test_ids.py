from __future__ import annotations

from datetime import UTC, datetime, timedelta

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
    # sorted as text, run ids are in the order of their start times, across seconds, days, months and years
    start = datetime(2019, 12, 31, 23, 59, 58, tzinfo=UTC)
    times = [start + timedelta(seconds=s) for s in (0, 1, 2, 3, 61, 3600 * 26)]
    times += [datetime(2020, 1, 31, 9, tzinfo=UTC), datetime(2020, 2, 1, 8, tzinfo=UTC)]  # day 31 before day 1
    times += [datetime(2020, 2, 1, 10, 5, 9, tzinfo=UTC), datetime(2020, 2, 1, 11, 0, 0, tzinfo=UTC)]
    times += [datetime(2020, 11, 2, tzinfo=UTC), datetime(2021, 1, 1, tzinfo=UTC)]
    run_ids = [ids.new_run_id(t) for t in times]
    for shuffled in (run_ids[::-1], run_ids[1::2] + run_ids[::2]):
        assert sorted(shuffled) == run_ids
    # the same second: unique, though their order is arbitrary
    same = {ids.new_run_id(start) for _ in range(50)}
    assert len(same) == 50 and all(r < run_ids[1] for r in same)
