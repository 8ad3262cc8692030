"""parse_text_article: title, body, removed lines and metadata on small hand-made articles."""

from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path

import pytest

from newsquotes.text.clean import parse_date, parse_text_article
from newsquotes.text.decode import decode_bytes
from newsquotes.text.errors import ArticleParseError
from newsquotes.text.types import ParsedArticle

STORY = [
    "Officials in Seoul said on Tuesday that the missile defence system would be deployed by the end of the"
    " year, despite protests from residents near the planned site.",
    "“We will not be intimidated,” Defence Minister Han Min-koo told reporters at the ministry in Seoul.",
    "China and Russia have both objected to the deployment, saying the radar could be used to monitor their"
    " territory and upset the strategic balance in the region.",
    "Residents of Seongju county have staged weekly rallies against the missile system since the site was chosen.",
]


def _parse(lines: list[str], tmp_path: Path | None = None) -> ParsedArticle:
    text = "\n".join(lines) + "\n"
    if tmp_path is None:
        return parse_text_article(text, path="test.txt")
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode("utf-8"))
    return parse_text_article(decode_bytes(path.read_bytes(), path=str(path)), path=str(path))


def _removed(article: ParsedArticle) -> dict[int, str]:
    return {line.line_no: line.reason for line in article.removed}


def _spaced(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        out += [line, ""]
    return out


# ---------------------------------------------------------------------------------------------- clean text


def test_clean_article_loses_nothing(tmp_path: Path) -> None:
    article = _parse(["Seoul to deploy missile shield", "", *_spaced(STORY)], tmp_path)
    assert article.title == "Seoul to deploy missile shield"
    assert article.body == "\n\n".join(STORY)
    assert article.removed == []
    assert (article.outlet, article.author, article.published_at, article.url) == (None, None, None, None)


def test_sentence_case_subheadings_and_lists_stay() -> None:
    lines = [
        "Awards night ends in triumph",
        "",
        STORY[0],
        "",
        "South Korea signs milestone deal to deploy the system",
        "",
        STORY[1],
        "",
        "Doc Martin (Buffalo Productions, ITV1)",
        "",
        "School Of Rock",
        "",
        "- Increased spending on health to 102.8bn rupees ($2.35bn)",
        "- Expanded service tax net",
        "",
        STORY[2],
    ]
    article = _parse(lines)
    assert article.removed == []
    assert article.body.count("\n\n") == 7


def test_quotes_and_story_text_are_kept_verbatim() -> None:
    line = "He said: “We stand firmly against it,” adding: \"It will 'never' happen.\" — and left."
    article = _parse(["Minister speaks", "", line, "", STORY[0]])
    assert line in article.body


def test_hard_wrapped_lines_are_joined() -> None:
    lines = [
        "Minister resigns",
        "",
        "The minister resigned on Friday after weeks of",
        "pressure over his claims.",
        "",
    ]
    article = _parse([*lines, STORY[0]])
    assert article.body.split("\n\n")[0] == "The minister resigned on Friday after weeks of pressure over his claims."


def test_lines_without_blank_separators_are_paragraphs_and_a_lede_title_stays_in_the_body() -> None:
    lede = "RUSSIA and China united yesterday to oppose US plans to site anti-missile systems in South Korea."
    article = _parse([lede, *STORY])
    assert article.title == lede
    assert article.body.split("\n\n") == [lede, *STORY]
    assert article.removed == []


def test_article_without_headline_takes_its_first_sentence_as_title() -> None:
    first = STORY[0] + " More protests are planned."
    article = _parse([first, "", STORY[1]])
    assert article.title == STORY[0]
    assert article.body.split("\n\n") == [first, STORY[1]]


# ---------------------------------------------------------------------------------------------- header


def test_site_header_section_and_blurb_before_the_title() -> None:
    lines = [
        "- Example Times",
        "Asia",
        "Find top stories from Asia and the Pacific. Keep updated on politics. All about Japan.",
        "",
        "Seoul Says Missile Shield Will Go Ahead",
        "",
        *_spaced(STORY),
    ]
    article = _parse(lines)
    assert article.title == "Seoul Says Missile Shield Will Go Ahead"
    assert _removed(article) == {1: "site-name", 2: "navigation", 3: "header"}
    assert article.outlet == "Example Times"
    assert article.body == "\n\n".join(STORY)


def test_breadcrumb_byline_dateline_and_outlet_from_domain() -> None:
    lines = [
        "World / Asia-Pacific",
        "",
        "China, Russia vow measures to tackle deployment",
        "",
        "By Zhang Wei (chinadaily.com.cn) Updated: 2016-07-30 10:54",
        "",
        *_spaced(STORY),
        "Xinhua contributed to this story.",
    ]
    article = _parse(lines)
    assert article.title == "China, Russia vow measures to tackle deployment"
    removed = _removed(article)
    assert removed[1] == "navigation" and removed[5] == "byline" and removed[len(lines)] == "credit"
    assert article.author == "Zhang Wei"
    assert article.outlet == "China Daily"
    assert article.published_at == datetime(2016, 7, 30, 10, 54)
    assert article.body == "\n\n".join(STORY)


def test_standalone_dateline_and_url_and_unknown_domain() -> None:
    lines = [
        "Missile shield approved",
        "By Jane Doe (news.example.org)",
        "Published 3 March 2020",
        "https://news.example.org/2020/03/03/shield",
        "",
        *_spaced(STORY),
    ]
    article = _parse(lines)
    assert _removed(article) == {2: "byline", 3: "dateline", 4: "url"}
    assert article.author == "Jane Doe"
    assert article.outlet == "news.example.org"
    assert article.published_at == datetime(2020, 3, 3)
    assert article.url == "https://news.example.org/2020/03/03/shield"


def test_outlet_from_a_bare_domain_or_the_url_line() -> None:
    article = _parse(["Missile shield approved", "reuters.com", "", *_spaced(STORY)])
    assert _removed(article) == {2: "site-name"} and article.outlet == "Reuters"
    url = "https://www.theguardian.com/world/2020/mar/03/shield"
    article = _parse(["Missile shield approved", url, "", *_spaced(STORY)])
    assert article.url == url and article.outlet == "The Guardian"


@pytest.mark.parametrize(
    "line",
    [
        "By 2010, the company expects to double its sales in the region.",
        "By Monday, the firm had sold one million copies.",
        "By the end of the year, prices had risen sharply.",
    ],
)
def test_sentences_starting_with_by_are_story(line: str) -> None:
    article = _parse(["Sales soar", "", line, "", STORY[0]])
    assert article.removed == [] and article.author is None


# ------------------------------------------------------------------------------------------ body boilerplate


def test_captions_credits_prompts_and_teasers() -> None:
    caption = "Activists hold placards during a rally against the deployment outside the ministry in Seoul."
    lines = [
        "Seoul Says Missile Shield Will Go Ahead",  # 1
        "",
        f"© AFP 2023 / KIM MIN-SUNG{caption}",  # 3
        f"{caption} - Example Times",  # 4
        "Subscribe",  # 5
        STORY[0],  # 6
        "",
        "The interceptor, coming soon to South Korea. - Example Times",  # 8
        "Missile Row: Why Seoul Risks Ruining Relations With Beijing",  # 9
        STORY[1],  # 10
        "",
        STORY[2],  # 12
        "",
        "Never miss a story again — sign up to our Telegram channel and we'll keep you up to speed!",  # 14
        "",
        "Newsfeed",  # 16
        "0",  # 17
        "To participate in the discussion",  # 18
        "log in or register",  # 19
        "loader",  # 20
        "Заголовок открываемого материала",  # 21
    ]
    article = _parse(lines)
    assert _removed(article) == {
        3: "photo-credit",
        4: "caption",
        5: "prompt",
        8: "caption",
        9: "teaser",
        14: "prompt",
        16: "prompt",
        17: "counter",
        18: "prompt",
        19: "prompt",
        20: "prompt",
        21: "foreign-ui",
    }
    assert article.outlet == "Example Times"
    assert article.body == "\n\n".join(STORY[:3])


def test_duplicate_title_html_credit_tags_and_related_links() -> None:
    title = "China, Russia Join Forces Against Missile Plans"
    lines = [
        title,  # 1
        "",
        title,  # 3
        '<a href="">someone</a> / Pixabay',  # 4
        "",
        STORY[0],  # 6
        "",
        "markets, investing, valuewalk, hedge funds, value investors, books, short selling, conferences",  # 8
        "",
        STORY[1],  # 10
        "",
        "Related Articles",  # 12
        "Seoul protests grow as deployment nears",  # 13
        "Beijing warns of consequences",  # 14
        "",
        "No posts to display",  # 16
    ]
    article = _parse(lines)
    assert _removed(article) == {
        3: "duplicate-title",
        4: "photo-credit",
        8: "tags",
        12: "related-links",
        13: "related-links",
        14: "related-links",
        16: "related-links",
    }
    assert article.outlet == "ValueWalk"  # a known outlet named in the tag list
    assert article.body == "\n\n".join(STORY[:2])


def test_related_headings_and_footer_after_copyright() -> None:
    lines = ["Missile shield approved", "", *_spaced(STORY), "Most Popular", "Hot Topics"]
    assert list(_removed(_parse(lines)).values()) == ["related-links", "related-links"]
    lines = [*lines[:-2], "Copyright 2020 Example Media. All rights reserved.", "Example Media Group"]
    assert list(_removed(_parse(lines)).values()) == ["copyright", "footer"]


def test_off_topic_promo_paragraph_is_removed_by_low_overlap() -> None:
    promo = (
        "In his first-quarter letter to investors of Greenlight Capital, David Einhorn lashed out at"
        ' regulators. He claimed that the market is "fractured and possibly in the process of breaking'
        ' completely." Q1 2021 hedge fund letters, conferences and more Einhorn claimed that many'
        " participants and policymakers have effectively succeeded. He pointed"
    )
    lines = ["Seoul to deploy missile shield", "", STORY[0], "", promo, "", *_spaced(STORY[1:])]
    article = _parse(lines)
    assert _removed(article) == {5: "off-topic"}
    assert "Einhorn" not in article.body


def test_low_overlap_alone_does_not_remove_a_complete_paragraph() -> None:
    # A round-up changes subject legitimately; without a sign of pasting (truncation, adjacent boilerplate)
    # a complete paragraph stays even when it shares no words with the rest.
    other = (
        "Elsewhere, the chart for video games was topped by a racing sequel whose publisher reported record"
        " preorders across Europe, with retailers opening at midnight for queues of eager fans."
    )
    article = _parse(["Seoul to deploy missile shield", "", STORY[0], "", other, "", *_spaced(STORY[1:])])
    assert article.removed == []


# ---------------------------------------------------------------------------------------------- invariants

POOL = [
    *STORY,
    "",
    "",
    "Seoul Says Missile Shield Will Go Ahead",
    "South Korea signs milestone deal to deploy the system",
    "- Example Times",
    "Asia",
    "World / Asia-Pacific",
    "By Zhang Wei (chinadaily.com.cn) Updated: 2016-07-30 10:54",
    "© AFP 2023 / KIM MIN-SUNGActivists rally.",
    "Activists rally outside the ministry. - Example Times",
    "Subscribe",
    "0",
    "Related Articles",
    "Заголовок открываемого материала",
    "tags, more tags, valuewalk, hedge funds, value investors, books, shorting, letters and more",
    "minister resigned after weeks of",
    "He said: “We stand firmly against it.”",
]


def test_every_line_is_title_body_or_removed() -> None:
    """Random mixtures of story and boilerplate lines: no crash, and nothing disappears unrecorded."""
    for seed in range(300):
        rng = random.Random(seed)
        text = "\n".join(rng.choice(POOL) for _ in range(rng.randint(1, 14)))
        try:
            article = parse_text_article(text, path=f"fuzz-{seed}.txt")
        except ArticleParseError:
            continue
        removed = {line.line_no: line for line in article.removed}
        assert len(removed) == len(article.removed), seed
        assert article.body and article.title and "\n\n\n" not in article.body, seed
        for no, line in enumerate(text.split("\n"), start=1):
            stripped = line.strip()
            if no in removed:
                assert removed[no].text == stripped and removed[no].reason, (seed, no)
            elif stripped:
                assert stripped in article.body or stripped == article.title, (seed, no, stripped)


# ---------------------------------------------------------------------------------------------- errors


def test_no_body_raises() -> None:
    with pytest.raises(ArticleParseError) as info:
        parse_text_article("Just a headline\n", path="only-title.txt")
    assert info.value.path == "only-title.txt" and "no story" in info.value.reason


def test_only_boilerplate_raises() -> None:
    with pytest.raises(ArticleParseError):
        parse_text_article("Subscribe\nNewsfeed\n0\nloader\n", path="junk.txt")


def test_blank_text_raises() -> None:
    with pytest.raises(ArticleParseError):
        parse_text_article("\n \n", path="blank.txt")


# ---------------------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Updated: 2016-07-30 10:54", datetime(2016, 7, 30, 10, 54)),
        ("2016-07-30T10:54:12Z", datetime(2016, 7, 30, 10, 54, 12)),
        ("Published 3 March 2020", datetime(2020, 3, 3)),
        ("March 12, 2019 10:54 pm GMT", datetime(2019, 3, 12, 22, 54)),
        ("Last updated on Tuesday, 4 May 2021, 09:30", datetime(2021, 5, 4, 9, 30)),
        ("no date here", None),
        ("2016-02-30", None),
    ],
)
def test_parse_date(text: str, expected: datetime | None) -> None:
    assert parse_date(text) == expected
