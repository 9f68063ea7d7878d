"""Turns read in their conversation (actions.dialogue, answered by actions.conversation), in-process.

Each test gives the message, what the NLU said and the slots earlier turns left, as the action server gets
them from Rasa, and checks what the citizen would see.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from action_harness import run, said, tracker

from actions.knowledge import ActionAnswerFromKnowledge
from actions.programme import ActionAnswerProgramme
from actions.services import ActionAnswerService

KNOWLEDGE = ActionAnswerFromKnowledge()


def turn(text: str, intent: str, language: str = "fr", confidence: float = 0.9, **slots):
    state = tracker("forum_question", text=text, language=language, **slots)
    state.latest_message["intent"] = {"name": intent, "confidence": confidence}
    state.latest_message["intent_ranking"] = [{"name": intent, "confidence": confidence}]
    return state


def slot(events, name):
    return next((e["value"] for e in events if e.get("event") == "slot" and e["name"] == name), "unset")


@pytest.mark.parametrize(
    "text, intent, topic, language, expected",
    [
        ("Et c'est où ?", "forum_venue", "forum_dates", "fr", "ENIAD"),  # aspect only: the forum's venue
        ("w fin?", "forum_venue", "service:passport", "ary_Latn", "الملحقة الإدارية"),  # ... or the passport's office
        ("ça coûte combien ?", "forum_awards", "service:cnie", "fr", "75"),  # "prix" is not the awards here
        ("Combien ça va coûter ?", "service_cost", "forum_agreements", "fr", "ne précise ni leur coût"),
        ("who is organising it?", "bot_identity", "forum_overview", "en", "ENIAD"),
        ("Faut-il un rendez-vous ?", "out_of_scope", "service:cnie", "fr", "rendez-vous est obligatoire"),
        ("je le reçois comment ?", "bot_identity", "service:civil_status", "fr", "courrier recommandé"),
        # "who ...?" about the topic is not "who are you?", in every variety and however the verb is spelt
        ("Et qui l’organise ?", "bot_identity", "forum_dates", "fr", "ENIAD"),
        ("qui peut y participer ?", "bot_identity", "forum_venue", "fr", "ENIAD"),
        ("ومن ينظمها؟", "bot_identity", "forum_dates", "ar", "عمالة إقليم بركان"),
        ("shkoun li kaynadmo?", "bot_identity", "forum_venue", "ary_Latn", "عمالة إقليم بركان"),
        ("شكون اللي كينظمو؟", "bot_identity", "forum_dates", "ary", "عمالة إقليم بركان"),
        ("and who runs it?", "bot_identity", "forum_dates", "en", "ENIAD"),
        # "ou" without its accent is "or", not "where": the cost is asked here
        ("Pour un étudiant ou un chercheur, c'est payant ?", "forum_venue", "forum_dates", "fr", "frais"),
    ],
)
def test_an_aspect_alone_takes_the_conversations_subject(kb_var, text, intent, topic, language, expected):
    messages, _ = run(KNOWLEDGE, turn(text, intent, language, topic=topic))
    assert expected in said(messages)
    assert "📄" in said(messages) or "🏢" in said(messages)


def test_a_subject_alone_keeps_the_aspect_asked_before(kb_var):
    state = turn("and the passport?", "service_info", "en", topic="service:cnie", service="cnie", aspect="cost")
    state.latest_message["entities"] = [{"entity": "service", "value": "passport"}]
    messages, events = run(ActionAnswerService(), state)
    assert "500" in said(messages) and "75" not in said(messages)
    assert slot(events, "aspect") == "cost" and slot(events, "topic") == "service:passport"


def test_a_cost_the_document_does_not_give_is_said_missing_with_the_office(kb_var):
    messages, _ = run(KNOWLEDGE, turn("et ça coûte combien ?", "service_cost", topic="service:complaints"))
    text = said(messages)
    assert "ne figure pas" in text and "🏢" in text and "3737" in text


def test_an_aspect_with_no_subject_anywhere_gets_a_question_with_choices(kb_var):
    messages, events = run(KNOWLEDGE, turn("Combien ça coûte ?", "service_cost"))
    assert messages[0]["text"].startswith("De quoi parlez-vous")
    titles = [button["title"] for button in messages[0]["buttons"]]
    assert "Passeport" in titles and "Le forum" in titles
    payload = next(b["payload"] for b in messages[0]["buttons"] if b["title"] == "Passeport")
    assert payload == "/service_cost" + json.dumps({"service": "passport", "aspect": "cost"})
    assert slot(events, "aspect") == "cost"


def test_the_choice_pressed_is_answered(kb_var):
    state = turn(
        '/service_cost{"service": "passport", "aspect": "cost"}', "service_cost", "ary", confidence=1.0, aspect="cost"
    )
    state.latest_message["entities"] = [
        {"entity": "service", "value": "passport"},
        {"entity": "aspect", "value": "cost"},
    ]
    assert "500" in said(run(ActionAnswerService(), state)[0])


def test_the_clarifying_question_is_in_the_users_variety(kb_var):
    messages, _ = run(KNOWLEDGE, turn("ch7al taman?", "service_cost", "ary_Latn"))
    assert messages[0]["text"] == "على شنو كتسول بالضبط؟ ختار عافاك:"
    assert "الباسبور (جواز السفر)" in [button["title"] for button in messages[0]["buttons"]]


def test_a_greeting_in_front_of_a_question_does_not_hide_it(kb_var):
    messages, _ = run(KNOWLEDGE, turn("salam, chno howa had lmolta9a?", "greet", "ary_Latn"))
    assert messages[0]["text"] == "مرحبا بيك!"
    assert "بركان" in said(messages[1:]) and "📄" in said(messages[1:])


@pytest.mark.parametrize(
    "text, intent, response",
    [
        ("chokran bzzaf 3la l ma3lomat", "forum_awards", "utter_thank"),  # thanks, however it was classified
        ("baraka llahu fik", "nlu_fallback", "utter_thank"),
        ("bslama", "forum_venue", "utter_goodbye"),
        ("salam", "greet", "utter_greet"),
        ("Tu sais qui a gagné le match hier ?", "bot_identity", "utter_out_of_scope"),
        ("Will it rain in Berkane tomorrow?", "forum_programme", "utter_out_of_scope"),
        ("qui t'a créé ?", "bot_identity", "utter_bot_identity"),  # "who" addressed to the bot is about it
        ("who made you?", "forum_participants", "utter_bot_identity"),
        # idioms holding an aspect word ask nothing: thanks, not a "when"/"where" question about the forum
        ("ok merci quand même", "forum_dates", "utter_thank"),
        ("safi chokran, fin ma kan", "forum_venue", "utter_thank"),
        ("merci, waqtach ma bghiti", "forum_dates", "utter_thank"),
        ("شكرا على كل حال", "forum_dates", "utter_thank"),
        ("thanks anyway, whenever", "forum_dates", "utter_thank"),
    ],
)
def test_small_talk_and_out_of_scope_get_their_own_reply(kb_var, text, intent, response):
    messages, _ = run(KNOWLEDGE, turn(text, intent, topic="forum_dates"))
    assert [message.get("response") for message in messages] == [response]


@pytest.mark.parametrize(
    "day, time, text, present, absent",
    [
        ("first_day", None, "the programme of the first day", "Opening session", "ceremony"),
        ("11", "10:00", "Which session is at 10 on April 11?", "Scientific research day", "Opening"),
        ("thursday", "evening", "Anything on Thursday evening?", "Nothing is scheduled at that time", "ceremony"),
        ("monday", None, "What is on Monday?", "That day is not a forum day", "Nothing is scheduled"),
    ],
)
def test_programme_by_forum_day_and_time_says_when_nothing_matches(kb_var, day, time, text, present, absent):
    state = turn(text, "forum_programme", "en")
    state.latest_message["entities"] = [{"entity": "day", "value": day}] + (
        [{"entity": "time", "value": time}] if time else []
    )
    action = ActionAnswerProgramme(today=lambda: dt.date(2025, 3, 1))
    reply = said(run(action, state)[0])
    assert present in reply and absent not in reply
