"""Speaker attribution on short constructed texts (real spaCy model)."""

from __future__ import annotations

from tests.unit.speech import Analyse, quote


def test_quote_then_said_name(analyse: Analyse) -> None:
    r = analyse('"The economy is slowing," said David Frost, director of the British Chambers of Commerce.')
    q = quote(r, "economy is slowing")
    assert q.speaker_name == "David Frost"
    assert q.speaker_type == "PERSON"
    assert q.cue == "said"
    assert q.kind == "direct"
    assert q.speaker_role is not None and "director" in q.speaker_role


def test_name_said_colon_quote(analyse: Analyse) -> None:
    r = analyse('Sergey Lavrov met reporters in Moscow.\n\nMr Lavrov said: "We will respond to this."')
    assert quote(r, "We will respond").speaker_name == "Sergey Lavrov"


def test_split_quote_both_parts(analyse: Analyse) -> None:
    r = analyse('"We played well," said Alex Ferguson, "but we were unlucky at the end."')
    assert quote(r, "We played well").speaker_name == "Alex Ferguson"
    assert quote(r, "we were unlucky").speaker_name == "Alex Ferguson"


def test_title_and_role(analyse: Analyse) -> None:
    r = analyse('Chinese Foreign Minister Wang Yi said: "We stand firmly against the deployment."')
    q = quote(r, "We stand firmly")
    assert q.speaker_name == "Wang Yi"
    assert q.speaker_role == "Chinese Foreign Minister"


def test_pronoun_resolves_to_named_person(analyse: Analyse) -> None:
    body = 'Imelda Staunton won the best actress award on Sunday.\n\n"I am so thrilled and so grateful," she said.'
    assert quote(analyse(body), "so thrilled").speaker_name == "Imelda Staunton"


def test_surname_resolves_to_full_name(analyse: Analyse) -> None:
    body = 'Jack Straw spoke in London on Monday. "He is clever but not wise," Mr Straw said.'
    assert quote(analyse(body), "clever but not wise").speaker_name == "Jack Straw"


def test_continuation_paragraph_keeps_speaker(analyse: Analyse) -> None:
    body = 'Nicolas Anelka said: "I want to win titles.\n\n"I miss the Champions League."\n\n"It is a bit my fault."'
    r = analyse(body)
    assert {q.speaker_name for q in r.quotes} == {"Nicolas Anelka"}
    assert len(r.quotes) == 3


def test_flattened_multi_paragraph_quote(analyse: Analyse) -> None:
    body = '"Rates are right," said Steve Radley. "But the Bank must act. "Growth is weak." Other news.'
    r = analyse(body)
    assert quote(r, "Bank must act").speaker_name == "Steve Radley"
    assert quote(r, "Growth is weak").speaker_name == "Steve Radley"


def test_quote_opening_paragraph_after_speaker_introduced(analyse: Analyse) -> None:
    body = 'Economist Ann Pettifor said growth would slow next year.\n\n"Consumers are exhausted."'
    assert quote(analyse(body), "Consumers are exhausted").speaker_name == "Ann Pettifor"


def test_partial_quote(analyse: Analyse) -> None:
    body = 'Downing Street described the reports as "idle speculation" on Sunday.'
    q = quote(analyse(body), "idle speculation")
    assert q.kind == "partial"
    assert q.speaker_name == "Downing Street"


def test_one_word_quote_that_is_speech(analyse: Analyse) -> None:
    body = 'Chief executive Bill Gammell said he was "disappointed" with the results.'
    q = quote(analyse(body), "disappointed")
    assert q.speaker_name == "Bill Gammell"
    assert q.kind == "partial"


def test_scare_quotes_and_titles_are_not_speech(analyse: Analyse) -> None:
    body = (
        'The Liberal Democrats unveiled plans for new "affordable" homes. '
        'The campaign will centre on the slogan "Britain is Working". '
        'Their so-called "golden share" scheme could spread.'
    )
    assert analyse(body).quotes == [] or all(
        q.speaker_name is None for q in analyse(body).quotes if q.kind != "indirect"
    )
    assert not [q for q in analyse(body).quotes if q.quote_text in {"affordable", "Britain is Working"}]


def test_organisation_spokesman(analyse: Analyse) -> None:
    body = 'Microsoft released the update. "We take security seriously," a spokesman for Microsoft said.'
    q = quote(analyse(body), "security seriously")
    assert q.speaker_name == "Microsoft"
    assert q.speaker_type == "ORG"


def test_definite_organisation_noun(analyse: Analyse) -> None:
    body = (
        "The Chinese Foreign Ministry issued a statement on Wednesday.\n\n"
        '"Both sides will strengthen their coordination," the ministry said.'
    )
    q = quote(analyse(body), "Both sides")
    assert q.speaker_name == "Chinese Foreign Ministry"
    assert q.speaker_type == "ORG"


def test_according_to(analyse: Analyse) -> None:
    body = 'The quarter was "seldom strong", according to Gartner analyst Carolina Milanesi.'
    q = quote(analyse(body), "seldom strong")
    assert q.speaker_name == "Carolina Milanesi"
    assert q.cue == "according to"


def test_unnamed_source_gets_no_speaker(analyse: Analyse) -> None:
    body = '"This will not end well," analysts said. "It is a disaster," one fan said.'
    r = analyse(body)
    assert quote(r, "not end well").speaker_name is None
    assert quote(r, "a disaster").speaker_name is None


def test_indirect_speech(analyse: Analyse) -> None:
    body = "Tory leader Michael Howard said that the plan would cost thousands of jobs."
    indirect = [q for q in analyse(body).quotes if q.kind == "indirect"]
    assert len(indirect) == 1
    q = indirect[0]
    assert q.speaker_name == "Michael Howard"
    assert "plan would cost thousands of jobs" in q.quote_text
    assert q.cue == "said"


def test_indirect_speech_without_that(analyse: Analyse) -> None:
    body = "The Bank of England warned the housing market would slow sharply."
    q = next(q for q in analyse(body).quotes if q.kind == "indirect")
    assert q.speaker_name == "Bank of England"
    assert q.quote_text.startswith("the housing market")


def test_indirect_with_unnamed_source(analyse: Analyse) -> None:
    body = "Critics say the scheme is unfair to first-time buyers."
    q = next(q for q in analyse(body).quotes if q.kind == "indirect")
    assert q.speaker_name is None


def test_pronoun_gender_from_honorific(analyse: Analyse) -> None:
    body = 'John Smith met Mrs Ann Kite in court. "It was a disaster," she said.'
    assert quote(analyse(body), "a disaster").speaker_name == "Ann Kite"


def test_pronoun_prefers_subject_of_previous_sentence(analyse: Analyse) -> None:
    body = (
        "Jose Mourinho never coached Barcelona, assisting Louis van Gaal. "
        'But he is not envious, insisting: "I have won the Champions League."'
    )
    assert quote(analyse(body), "Champions League").speaker_name == "Jose Mourinho"


def test_definite_role_resolves_through_earlier_title(analyse: Analyse) -> None:
    body = (
        "Tory leader Michael Howard attacked the government. Tony Blair stayed silent.\n\n"
        'The Tory leader said: "We will cut taxes."'
    )
    assert quote(analyse(body), "cut taxes").speaker_name == "Michael Howard"


def test_question_quote_does_not_take_next_sentence_subject(analyse: Analyse) -> None:
    body = (
        'Michael Howard spoke in Leeds. He continued: "How can they clean up hospitals?" '
        "Tony Blair said he would not respond."
    )
    assert quote(analyse(body), "clean up hospitals").speaker_name == "Michael Howard"


def test_passive_cue_with_agent(analyse: Analyse) -> None:
    body = 'The reports have been described as "idle speculation" by Downing Street.'
    assert quote(analyse(body), "idle speculation").speaker_name == "Downing Street"


def test_relative_clause_subject(analyse: Analyse) -> None:
    body = (
        "Airlines are backed by the International Air Transport Association, which has attacked the "
        'package as a "bad piece of legislation".'
    )
    q = quote(analyse(body), "bad piece")
    assert q.speaker_name == "International Air Transport Association"


def test_two_sources_give_no_single_speaker(analyse: Analyse) -> None:
    body = 'Beijing and Moscow said they would "take countermeasures to protect their interests".'
    assert quote(analyse(body), "countermeasures").speaker_name is None


def test_anonymous_source_is_unnamed(analyse: Analyse) -> None:
    body = '"The party will back the plan," a Tory source said.'
    assert quote(analyse(body), "back the plan").speaker_name is None


def test_single_quote_house_style(analyse: Analyse) -> None:
    body = "'We will act now,' said Theresa May. Critics called the plan 'too little, too late'."
    q = quote(analyse(body), "We will act now")
    assert q.speaker_name == "Theresa May"


def test_spokesperson_of_named_company(analyse: Analyse) -> None:
    body = '"Over time we plan to add more channels," a Google spokesperson told the BBC.'
    q = quote(analyse(body), "more channels")
    assert q.speaker_name == "Google"
    assert q.speaker_type == "ORG"


def test_nickname_inside_name_is_not_speech(analyse: Analyse) -> None:
    body = 'Boxer Fred "The Hammer" Smith won on Saturday. He said: "I felt strong tonight."'
    r = analyse(body)
    assert not [q for q in r.quotes if q.quote_text == "The Hammer"]
    assert quote(r, "felt strong").speaker_name is not None


def test_unbalanced_mark_keeps_later_quotes(analyse: Analyse) -> None:
    body = (
        'Ann Kite said the film was "a disaster.\n\n'
        "The trial continues on Monday.\n\n"
        '"We will appeal," said John Smith.'
    )
    assert quote(analyse(body), "We will appeal").speaker_name == "John Smith"


# ---------------------------------------------------------------- document sources (``documents``)
def test_document_source_fills_collective_cue(analyse: Analyse) -> None:
    body = (
        "The talks ended in Paris on Monday, according to a news release of the Foreign Office.\n\n"
        'At the meeting, both sides voiced "deep concern" over the crisis.\n\n'
        'The two countries agreed that the plan "is not a constructive step".'
    )
    r = analyse(body)
    assert quote(r, "deep concern").speaker_name == "Foreign Office"
    assert quote(r, "constructive step").speaker_name == "Foreign Office"


def test_document_source_covers_the_lead_it_attributes(analyse: Analyse) -> None:
    body = (
        'Britain and France agreed to "work together on defence".\n\n'
        "The deal was signed in Paris on Monday, according to a statement from the Foreign Office."
    )
    assert quote(analyse(body), "work together").speaker_name == "Foreign Office"


def test_document_source_said_in_a_statement(analyse: Analyse) -> None:
    body = (
        "The Foreign Office said in a statement that talks had gone well.\n\n"
        'At the talks, both sides voiced "deep concern" over the crisis.'
    )
    assert quote(analyse(body), "deep concern").speaker_name == "Foreign Office"


def test_document_source_never_fills_generic_sources(analyse: Analyse) -> None:
    body = (
        "The figures were published on Monday, according to a report from the Treasury.\n\n"
        'Analysts voiced "deep concern" over the figures.'
    )
    assert quote(analyse(body), "deep concern").speaker_name is None


def test_document_source_needs_a_document(analyse: Analyse) -> None:
    body = (
        "The talks ended in Paris on Monday, according to officials.\n\n"
        'At the meeting, both sides voiced "deep concern" over the crisis.'
    )
    assert quote(analyse(body), "deep concern").speaker_name is None


def test_document_source_ends_when_another_speaker_takes_over(analyse: Analyse) -> None:
    body = (
        "A statement from the Foreign Office said talks had gone well.\n\n"
        "John Smith, the French envoy, said talks were difficult.\n\n"
        'The two countries agreed that the plan "is not a constructive step".'
    )
    assert quote(analyse(body), "constructive step").speaker_name is None


def test_document_source_not_for_standing_positions(analyse: Analyse) -> None:
    body = (
        "The Foreign Office said in a statement that talks had gone well.\n\n"
        'Both sides have warned of "grave consequences" if the deal fails.'
    )
    assert quote(analyse(body), "grave consequences").speaker_name is None


def test_collective_without_document_is_unnamed(analyse: Analyse) -> None:
    body = 'At the talks, both sides voiced "deep concern" over the crisis.'
    assert quote(analyse(body), "deep concern").speaker_name is None


# ---------------------------------------------------------------- second partial quote in a cue's clause
def test_second_partial_quote_in_cue_object(analyse: Analyse) -> None:
    r = analyse('China warns of "consequences" to protect "security interests"')
    assert quote(r, "consequences").speaker_name == "China"
    assert quote(r, "security interests").speaker_name == "China"


def test_quote_in_adverbial_clause_is_not_in_cue_object(analyse: Analyse) -> None:
    r = analyse('Jack Straw described the plan as "a joke" while "the public" stayed quiet.')
    assert quote(r, "a joke").speaker_name == "Jack Straw"
    assert not [q for q in r.quotes if q.quote_text == "the public"]


def test_passive_voiced_names_nobody(analyse: Analyse) -> None:
    body = 'Concerns have been voiced, with officials talking of a "river of Islam" and a "threat to Europe".'
    r = analyse(body)
    assert all(q.speaker_name is None for q in r.quotes)
    assert not [q for q in r.quotes if q.cue in {"voiced", "expressed"}]


def test_naming_cue_stops_second_partial_quote(analyse: Analyse) -> None:
    r = analyse('Dr Bjorn said groups dubbed "pioneers" and "materialists" were most interested in new things.')
    assert not [q for q in r.quotes if q.quote_text == "materialists" and q.speaker_name is not None]


def test_second_partial_quote_after_said(analyse: Analyse) -> None:
    body = 'Jack Straw said the plan was "cowardly" and a "complete u-turn" for the government.'
    assert quote(analyse(body), "complete u-turn").speaker_name == "Jack Straw"


# ---------------------------------------------------------------- owned surveys, partial continuations
def test_owned_survey_is_its_organisation(analyse: Analyse) -> None:
    body = 'The Nationwide survey concluded that there were "continuing signs of a slowdown in the market."'
    assert quote(analyse(body), "continuing signs").speaker_name == "Nationwide"


def test_unowned_survey_is_unnamed(analyse: Analyse) -> None:
    body = 'A survey of 1,000 voters concluded that there were "continuing signs of a slowdown in the market."'
    assert quote(analyse(body), "continuing signs").speaker_name is None


def test_partial_quote_continues_speaker_in_next_sentence(analyse: Analyse) -> None:
    body = (
        '"The key worry still remains," said Paul Jones, a strategist. '
        'The trade deficit and the shortfall "are big issues going forward".'
    )
    assert quote(analyse(body), "big issues").speaker_name == "Paul Jones"


def test_partial_quote_does_not_continue_when_others_are_named(analyse: Analyse) -> None:
    body = (
        '"The key worry still remains," said Paul Jones, a strategist. '
        'The Treasury and the Bank of England "are big issues going forward".'
    )
    assert quote(analyse(body), "big issues").speaker_name is None


def test_partial_quote_does_not_continue_across_paragraphs(analyse: Analyse) -> None:
    body = (
        '"The key worry still remains," said Paul Jones, a strategist.\n\n'
        'The trade deficit and the shortfall "are big issues going forward".'
    )
    assert quote(analyse(body), "big issues").speaker_name is None


def test_study_by_researchers_is_not_their_country(analyse: Analyse) -> None:
    body = 'The study by US researchers suggests musicians "do not agree with the tactics of the industry".'
    assert quote(analyse(body), "do not agree").speaker_name is None


def test_capitalised_title_does_not_continue_speaker(analyse: Analyse) -> None:
    body = (
        "Yvonne Carter said she found it hard to be taken seriously. "
        'MPs gave answers in interviews for the study "Whose Secretary are You, minister".'
    )
    r = analyse(body)
    assert all(q.speaker_name is None for q in r.quotes if q.quote_text.startswith("Whose"))


def test_pronoun_agrees_with_the_first_names_gender(analyse: Analyse) -> None:
    r = analyse(
        "Khaled Belkacemi and Linda Lamoureux met the mayor on Monday. "
        'She said the plan "will not work for anyone in this town". '
        'He said it was "a waste of money and of time".'
    )
    assert quote(r, "will not work").speaker_name == "Linda Lamoureux"
    assert quote(r, "waste of money").speaker_name == "Khaled Belkacemi"


def test_first_name_gender_needs_a_first_name() -> None:
    from newsquotes.nlp.gender import first_name_gender

    assert first_name_gender("Linda Lamoureux") == "f"
    assert first_name_gender("Mr. Khaled Belkacemi") == "m"
    assert first_name_gender("José Mourinho") == "m"
    assert first_name_gender("Trump") is None  # a surname alone
    assert first_name_gender("Jean Dupont") is None  # borne by women and men alike


def test_colon_after_a_clause_without_cue_names_its_subject(analyse: Analyse) -> None:
    r = analyse(
        "With Democratic leaders worried, President Obama is rolling out a new and more personal campaign "
        'message: "It\'s about me."\n\n'
        "On July 6, Sanders made the following comment:\n\n"
        '"For young people who have left school, the unemployment rate is 33 percent."\n\n'
        'The report had one line: "Nothing was found."'
    )
    assert quote(r, "about me").speaker_name == "Obama"
    assert quote(r, "young people").speaker_name == "Sanders"
    assert quote(r, "Nothing was found").speaker_name is None


def test_participle_cue_takes_the_main_clauses_named_subject(analyse: Analyse) -> None:
    r = analyse(
        "Continuing to explain his view, Carson rejected the notion that the episode should be water under "
        'the bridge, saying that if he "found something that was rotten, I would say so."'
    )
    assert quote(r, "found something").speaker_name == "Carson"


def test_weak_cue_whose_complement_is_the_quote(analyse: Analyse) -> None:
    r = analyse("Clinton last week called half of Donald Trump’s supporters “deplorables.”")
    q = quote(r, "deplorables")
    assert (q.speaker_name, q.cue) == ("Clinton", "called")
    assert "half of Donald Trump’s supporters" in quote(r, "half of", indirect=True).quote_text


def test_that_clause_hung_as_adverbial_is_reported_speech(analyse: Analyse) -> None:
    r = analyse("Donald Trump tweeted in the early morning hours that Machado was a disgrace.")
    q = quote(r, "Machado was a disgrace", indirect=True)
    assert (q.speaker_name, q.cue, q.quote_text) == ("Donald Trump", "tweeted", "Machado was a disgrace")


def test_subject_pronoun_carries_its_referent(analyse: Analyse) -> None:
    r = analyse(
        'Helen Mirren said: "Winning a Bafta means an enormous amount to me." She thanked the woman she '
        'played, Katharine Hepburn, for paving the way. "Thank you very much, I am sure you are pleased," she said.'
    )
    assert quote(r, "Thank you very much").speaker_name == "Helen Mirren"


def test_reporting_noun_owned_by_a_name_reports_its_that_clause(analyse: Analyse) -> None:
    r = analyse(
        "PolitiFact rated Donald Trump’s claim that there have been “thousands of shootings” in Chicago this "
        "year as true. The city's hope that crime would fall was not met."
    )
    q = quote(r, "there have been", indirect=True)
    assert (q.speaker_name, q.cue) == ("Donald Trump", "claim")
    assert not [x for x in r.quotes if "crime would fall" in x.quote_text]


def test_shouted_and_chanted_words_are_speech(analyse: Analyse) -> None:
    r = analyse('"Lock her up! Lock her up!" protesters chanted outside the hall. "We will win," Trump grumbled.')
    chant = quote(r, "Lock her up")
    assert (chant.cue, chant.speaker_name, chant.speaker_text) == ("chanted", None, "protesters")
    assert quote(r, "We will win").cue == "grumbled"


def test_a_day_is_never_the_speaker_an_age_is(analyse: Analyse) -> None:
    r = analyse(
        'Much of the ire was directed at Bannon, who Beck on Wednesday called "a horrible, despicable human being '
        'and a danger to us all."\n\nThe 46-year-old said she "will never vote for him, not in a million years".'
    )
    assert quote(r, "horrible").speaker_text != "Wednesday"
    assert quote(r, "never vote").speaker_text == "The 46-year-old"
