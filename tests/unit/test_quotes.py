"""Finding quotation spans: marks, nesting, multi-paragraph and unbalanced quotes, apostrophes."""

from __future__ import annotations

from newsquotes.nlp.quotes import find_quote_spans


def texts(body: str) -> list[str]:
    return [body[s.start : s.end] for s in find_quote_spans(body)]


def test_straight_and_curly_marks() -> None:
    body = 'He said: "We will win." She said: “We will not.”'
    assert texts(body) == ["We will win.", "We will not."]


def test_single_quotes_inside_double_are_kept_inside() -> None:
    body = "\"I told him 'never again' and meant it,\" she said."
    assert texts(body) == ["I told him 'never again' and meant it,"]


def test_apostrophes_are_not_quote_marks() -> None:
    body = "Russia's view, the '90s and don't: \"fine,\" he said. The players' union agreed."
    assert texts(body) == ["fine,"]


def test_quote_continues_into_next_paragraph() -> None:
    body = 'He said: "First part.\n\n"Second part."\n\nNo quote here.'
    spans = find_quote_spans(body)
    assert [body[s.start : s.end] for s in spans] == ["First part.", "Second part."]
    assert spans[0].group == spans[1].group
    assert spans[0].close_mark is None


def test_flattened_paragraphs_inside_one_line() -> None:
    body = '"One," said Ann. "Two three. "Four five." Later text.'
    spans = find_quote_spans(body)
    assert [body[s.start : s.end] for s in spans] == ["One,", "Two three.", "Four five."]
    assert spans[1].group == spans[2].group != spans[0].group


def test_unbalanced_mark_does_not_stop_extraction() -> None:
    body = 'He said "this never closes\n\nMiddle paragraph.\n\nShe said: "later quote."'
    assert texts(body) == ["this never closes", "later quote."]


def test_single_mark_house_style() -> None:
    body = "The minister said: 'We will act now.' Critics called it 'too little'. It's late."
    assert texts(body) == ["We will act now.", "too little"]
