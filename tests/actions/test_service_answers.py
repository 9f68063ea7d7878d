"""Service questions (`action_answer_service`): the fixed shape, one section, follow-ups, missing sections."""

from __future__ import annotations

import pytest
from action_harness import run, said, styled, tracker

from actions.knowledge import ActionAnswerFromKnowledge
from actions.rich import from_custom
from actions.services import ActionAnswerService

ACTION = ActionAnswerService()


@pytest.mark.parametrize(
    "language, text, service, expected",
    [
        ("ar", "كم يكلف جواز السفر البيومتري؟", "passport", "500"),
        ("ary", "شحال كيسوا الباسبور؟", "passport", "500"),
        ("ary_Latn", "ch7al khassni nkhelles 3la l passport?", "passport", "500"),
        ("fr", "Combien coute la carte d'identite electronique ?", "cnie", "75"),
    ],
)
def test_cost_question_gets_the_cost_and_its_source(kb_var, language, text, service, expected):
    messages, _ = run(ACTION, _with_service(tracker("service_question", text=text, language=language), service))
    assert expected in messages[0]["text"]
    assert "📄" in messages[0]["text"]
    assert messages[0]["buttons"][0]["payload"].startswith("/feedback_positive")


@pytest.mark.parametrize("language, text", [("fr", "et le prix ?"), ("ary_Latn", "w ch7al?")])
def test_follow_up_without_a_service_reuses_the_previous_one(kb_var, language, text):
    messages, events = run(ACTION, tracker("service_followup", text=text, language=language))
    assert "500" in messages[0]["text"]
    assert {"event": "slot", "timestamp": None, "name": "service", "value": "passport"} in events


def test_service_info_has_the_fixed_shape(kb_var):
    state = tracker("service_question", text="كيفاش نطلب عقد الازدياد من الانترنت؟", language="ary")
    state.latest_message["intent"]["name"] = "service_info"
    state.latest_message["entities"] = [{"entity": "service", "value": "civil_status"}]
    text = said(run(ACTION, state)[0])
    assert "watiqa.ma" in text
    for label in ("فين", "الثمن", "الرابط"):  # where, cost, link in Darija
        assert label in text


def test_service_answer_carries_its_formatting_beside_plain_text(kb_var):
    """The title and section names are bold and the portal a link in the structured form; the text that REST
    clients (and the tests above) read has no Markdown marker."""
    state = tracker("service_question", text="Comment obtenir un passeport ?", language="fr")
    state.latest_message["intent"]["name"] = "service_info"
    state.latest_message["entities"] = [{"entity": "service", "value": "passport"}]
    messages, _ = run(ACTION, state)
    rich = from_custom(messages[0]["custom"])
    assert rich is not None and rich.plain == messages[0]["text"]
    assert "*" not in messages[0]["text"] and "_" not in messages[0]["text"].split("https://")[0]
    bold = styled(messages, "bold")
    assert bold[0] == "Passeport biométrique" and "Coût" in bold
    assert any(span.link and span.link.startswith("https://") for span in rich.spans)


def test_missing_section_is_not_invented_and_points_to_the_portal(kb_var):
    state = tracker("service_followup", text="et le délai ?", language="fr", service="civil_status")
    state.latest_message["intent"]["name"] = "service_delay"  # the watiqa document gives no time frame
    text = said(run(ACTION, state)[0])
    assert "ne figure pas" in text
    assert "watiqa.ma" in text
    assert "jours" not in text


def test_how_long_question_gets_the_validity_when_that_is_what_the_document_has(kb_var):
    state = tracker("service_question", text="La CNIE est valable combien d'années ?")
    state.latest_message["intent"]["name"] = "service_delay"
    state.latest_message["entities"] = [{"entity": "service", "value": "cnie"}]
    assert "10 ans" in said(run(ACTION, state)[0])


def test_service_info_without_a_named_service_finds_it_from_the_words(kb_var):
    state = tracker(
        "service_question", text="Où faire la demande d'un extrait d'acte de naissance ?", language="fr", service=None
    )
    state.latest_message["intent"]["name"] = "service_info"
    state.latest_message["entities"] = []
    assert "watiqa" in said(run(ACTION, state)[0])


def _with_service(state, service):
    state.latest_message["entities"] = [{"entity": "service", "value": service}]
    return state


def test_papers_question_without_a_service_picks_the_service_that_lists_papers(kb_var):
    state = tracker("service_question", text="فين نعرف شنو هي الوثائق المطلوبة فشي إجراء إداري؟", language="ary")
    state.latest_message["intent"]["name"] = "service_papers"
    state.latest_message["entities"] = []
    assert "idarati" in said(run(ACTION, state)[0])


@pytest.mark.parametrize("awards, cost", [(0.54, 0.08), (0.77, 0.13)])
def test_ambiguous_follow_up_in_a_service_conversation_is_about_the_service(kb_var, awards, cost):
    """ "et le prix ?" after a passport answer is the passport's price, whether the NLU hesitates with the forum's
    awards (prix = prize) or is fairly sure of them (0.77, as the NLU alone reads it): too short to stand alone."""
    state = tracker("service_followup", topic="service:passport")
    state.latest_message["intent"] = {"name": "forum_awards", "confidence": awards}
    state.latest_message["intent_ranking"] = [
        {"name": "forum_awards", "confidence": awards},
        {"name": "service_cost", "confidence": cost},
    ]
    assert "500" in said(run(ActionAnswerFromKnowledge(), state)[0])


def test_a_full_forum_question_in_a_service_conversation_stays_a_forum_question(kb_var):
    state = tracker(
        "service_followup", topic="service:passport", text="Quels prix seront remis aux villes pendant le forum ?"
    )
    state.latest_message["intent"] = {"name": "forum_awards", "confidence": 0.95}
    state.latest_message["intent_ranking"] = [
        {"name": "forum_awards", "confidence": 0.95},
        {"name": "service_cost", "confidence": 0.02},
    ]
    answer = said(run(ActionAnswerFromKnowledge(), state)[0])
    assert "500" not in answer and "📄" in answer
