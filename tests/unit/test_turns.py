"""Turns, signatures and appositions: who speaks when the cue is far away or missing (real spaCy model)."""

from __future__ import annotations

from newsquotes.nlp.types import DESCRIPTION
from tests.unit.speech import Analyse, quote


def test_dash_signature(analyse: Analyse) -> None:
    r = analyse(
        "Readers wrote to us after the debate.\n\n"
        "“He represents our greatest shame. He has empowered the worst of us.” ― Sonya Herridge\n"
        "“I cannot believe a man like him could be the nominee of a major party.” ― Karen Bobadilla, 34, of Dallas"
    )
    assert quote(r, "greatest shame").speaker_name == "Sonya Herridge"
    assert quote(r, "cannot believe").speaker_name == "Karen Bobadilla"


def test_description_breaks_the_turn(analyse: Analyse) -> None:
    r = analyse(
        'Senator John Schickel spoke first. "We will pass the bill this week," Mr Schickel said.\n\n'
        '"It is a disaster for the state and for every family in it," one lobbyist said. '
        '"Nobody has read the bill, and nobody will before the vote."'
    )
    assert quote(r, "pass the bill").speaker_name == "John Schickel"
    later = quote(r, "Nobody has read")
    assert later.speaker_name is None
    assert later.speaker_type == DESCRIPTION and later.speaker_text == "one lobbyist"


def test_description_in_apposition_to_a_name(analyse: Analyse) -> None:
    r = analyse(
        "Retired Lt. Gen. Michael Flynn appeared on television on Thursday.\n\n"
        "“There is a severe disconnect between this White House and our military,” Flynn, a top Trump "
        "surrogate, said Thursday morning on Fox News’s “Fox and Friends.”"
    )
    q = quote(r, "severe disconnect")
    assert q.speaker_name == "Michael Flynn"
    assert q.speaker_text == "Flynn"


def test_names_lose_swallowed_words(nlp) -> None:  # type: ignore[no-untyped-def]
    from newsquotes.nlp.entities import build_entity_index

    def names(text: str) -> list[str]:
        return [m.canonical_name for m in build_entity_index(nlp(text)).mentions]

    assert names("Paul Boateng MP said the budget was fair.") == ["Paul Boateng"]
    assert "Samsung" in names("Recent Samsung phones sold well in Korea.")
    assert names("Rory O'Neill said he would sing.") == ["Rory O'Neill"]


def test_relational_role_takes_the_person_introduced_with_it(analyse: Analyse) -> None:
    r = analyse(
        "WHL commissioner Ron Robison announced the suspension on Friday.\n\n"
        "Fans protested outside the arena in Kelowna.\n\n"
        '"We will not tolerate this kind of conduct in our league," the WHL commissioner said.'
    )
    assert quote(r, "will not tolerate").speaker_name == "Ron Robison"


def test_reported_words_around_a_short_partial_quote(analyse: Analyse) -> None:
    r = analyse(
        "Donald Trump kept up his attacks on Saturday.\n\n"
        'In a series of early-morning posts, Trump called the former pageant winner "disgusting" again.'
    )
    partial = quote(r, "disgusting")
    assert partial.kind == "partial" and partial.speaker_name == "Donald Trump"
    clause = [q for q in r.quotes if q.kind == "indirect" and "disgusting" in q.quote_text]
    assert clause and clause[0].speaker_name == "Donald Trump"
    assert clause[0].quote_text.startswith("the former pageant winner")


def test_pronoun_agrees_with_a_gendered_role(analyse: Analyse) -> None:
    r = analyse(
        "Linda Lamoureux, the mother of the victim, spoke at the hearing on Monday.\n\n"
        "Khaled Belkacemi, a father of three who lost a friend in the attack, sat beside her.\n\n"
        '"We want answers and we want them now," she said.'
    )
    assert quote(r, "We want answers").speaker_name == "Linda Lamoureux"


def test_capitalised_word_after_a_quote_is_no_verb(analyse: Analyse) -> None:
    r = analyse(
        "The U.S. Department of Justice is investigating the shooting.\n\n"
        "“I will just make this promise to you: We will achieve justice in this case,” Tulsa police Chief "
        "Chuck Jordan said Monday. “I want to assure our community and all of you that we will act.”"
    )
    assert quote(r, "achieve justice").speaker_name == "Chuck Jordan"
    assert quote(r, "assure our community").speaker_name == "Chuck Jordan"


def test_colon_cue_closing_the_paragraph_before(analyse: Analyse) -> None:
    r = analyse(
        "Longtime Democratic pollster Pat Caddell spoke to the radio host Alex Marlow on Thursday.\n\n"
        "Caddell continued:\n\n"
        '"The health issue overall is something that has been hurting her with voters for weeks now."'
    )
    assert quote(r, "health issue overall").speaker_name == "Pat Caddell"


def test_full_name_parsed_as_modifier_of_a_role_is_a_pronoun_antecedent(analyse: Analyse) -> None:
    r = analyse(
        "Graeme Oxby, the marketing director, spoke first.\n\n"
        "The revenue streams for mobile carriers will grow with 3G, thinks Paolo Pescatore mobile industry "
        'specialist for analysts IDC. "Wireless is a medium that is being exploited with many features," he said.'
    )
    assert quote(r, "Wireless is a medium").speaker_name == "Paolo Pescatore"


def test_speech_tag_after_a_full_stop_inside_the_marks(analyse: Analyse) -> None:
    r = analyse(
        "The remark caused outrage.\n\n"
        "“Russia, if you’re listening, I hope you’re able to find the 30,000 emails that are missing.” Trump said.\n\n"
        "“Broadband is part of home life.” According to analysts Nielsen, more than half of users log on daily."
    )
    assert quote(r, "Russia, if you").speaker_name == "Trump"
    assert quote(r, "Broadband is part").cue is None
