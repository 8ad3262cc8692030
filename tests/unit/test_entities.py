"""Entity mentions and within-article canonical names."""

from __future__ import annotations

from spacy.language import Language

from newsquotes.nlp.entities import clean_name, extract_mentions, split_honorifics


def canon(nlp: Language, body: str) -> dict[str, str]:
    return {m.text: m.canonical_name for m in extract_mentions(nlp(body))}


def test_surname_and_honorific_take_full_name(nlp: Language) -> None:
    body = "Sergey Lavrov met Wang Yi in Moscow. Mr Lavrov said talks went well. Later Lavrov left."
    c = canon(nlp, body)
    assert c["Sergey Lavrov"] == "Sergey Lavrov"
    assert c.get("Lavrov") == "Sergey Lavrov"


def test_org_strips_the_and_possessive(nlp: Language) -> None:
    assert clean_name("the Chinese Foreign Ministry's", "ORG") == "Chinese Foreign Ministry"
    assert clean_name("the BBC", "ORG") == "BBC"
    assert clean_name("Russia’s", "GPE") == "Russia"


def test_role_words_are_not_part_of_names() -> None:
    assert split_honorifics("Barcelona star Ronaldinho") == ([], ["Ronaldinho"])
    assert split_honorifics("Mr Straw") == (["Mr"], ["Straw"])
    assert split_honorifics("Louis van Gaal")[1] == ["Louis", "van", "Gaal"]


def test_offsets_match_text(nlp: Language) -> None:
    body = "The British Chambers of Commerce (BCC) said prices rose. The BCC expects more."
    mentions = extract_mentions(nlp(body))
    for m in mentions:
        assert body[m.start_char : m.end_char] == m.text
    bcc = [m for m in mentions if m.text == "BCC"]
    assert bcc and all(m.canonical_name == "British Chambers of Commerce" for m in bcc)


def test_role_inside_entity_span_is_dropped(nlp: Language) -> None:
    body = "Barcelona star Ronaldinho scored twice. Ronaldinho said the team was ready."
    names = {m.canonical_name for m in extract_mentions(nlp(body)) if m.label == "PERSON"}
    assert "Ronaldinho" in names
    assert not any("star" in n for n in names)


def test_bare_surname_missed_by_ner_is_a_person(nlp: Language) -> None:
    body = "Jose Mourinho took charge on Monday. Mourinho never coached Barcelona."
    persons = [m for m in extract_mentions(nlp(body)) if m.label == "PERSON"]
    assert {m.canonical_name for m in persons} == {"Jose Mourinho"}
    assert len(persons) == 2


def test_a_first_name_before_a_known_surname_is_another_person(nlp: Language) -> None:
    from newsquotes.nlp.entities import build_entity_index

    doc = nlp(
        "Donald Trump spoke first.\n\nIvanka Trump, who is executive vice president of development and "
        "acquisitions at her father's company, told the New York Times that she took off eight days."
    )
    names = [(m.text, m.canonical_name) for m in build_entity_index(doc).mentions if m.label == "PERSON"]
    assert names == [("Donald Trump", "Donald Trump"), ("Ivanka Trump", "Ivanka Trump")]


def test_verbs_and_list_imperatives_are_no_names(nlp: Language) -> None:
    from newsquotes.nlp.entities import build_entity_index

    def persons(text: str) -> list[str]:
        return [m.canonical_name for m in build_entity_index(nlp(text)).mentions if m.label == "PERSON"]

    assert persons("6. Max out your retirement accounts\n\nSave while you are young.") == []
    assert "Cook" in persons("Hosting Cook, the chairman said the talks went well.")
    assert "Tom Nides" in persons("Deputy Secretary of State Tom Nides Thanked Clinton for her work.")


def test_a_known_first_name_makes_a_person_the_ner_missed(nlp: Language) -> None:
    from newsquotes.nlp.entities import build_entity_index

    doc = nlp(
        "The revenue streams for mobile carriers will grow with 3G, thinks Paolo Pescatore mobile industry "
        "specialist for analysts IDC. Morgan Stanley Capital lent the money."
    )
    labels = {m.text: m.label for m in build_entity_index(doc).mentions}
    assert labels["Paolo Pescatore"] == "PERSON"
    assert labels.get("Morgan Stanley Capital", "ORG") == "ORG"


def test_an_honorific_keeps_the_full_name_of_its_gender(nlp: Language) -> None:
    from newsquotes.nlp.entities import build_entity_index

    doc = nlp("Donald Trump spoke on Monday. Ivanka Trump spoke on Tuesday. Mr. Trump said little.")
    mentions = build_entity_index(doc).mentions
    assert [m.canonical_name for m in mentions if m.label == "PERSON"][-1] == "Donald Trump"


def test_a_title_and_surname_before_any_full_name_stay_as_written(nlp: Language) -> None:
    from newsquotes.nlp.entities import build_entity_index

    doc = nlp("President Obama is rolling out a new message. Later, Michelle Obama spoke in Philadelphia.")
    names = [m.canonical_name for m in build_entity_index(doc).mentions if m.label == "PERSON"]
    assert names == ["Obama", "Michelle Obama"]
