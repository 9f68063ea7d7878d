"""What a message asks once it is read in its conversation: the dialogue state and how a turn is resolved.

Citizens talk in conversations: "C'est quand le forum ?" then "et c'est où ?"; "CNIE price?" then "and the
passport?". The state lives in slots (docs/architecture.md): `topic` (a forum intent such as `forum_dates`,
`forum_programme`, or `service:<value>`), `service`, `aspect` (what was asked about the topic: when, where,
cost, papers, who, duration, delivery, apply), `day`, `time`. Each message is read against it:

- a message naming a subject (a service or paper, the forum, the programme) is about that subject; when it
  names only the subject and is short ("and the passport?"), it keeps the aspect asked before;
- a message naming only an aspect ("w bchhal?", "where do I hand it in?") takes the current topic; with no
  topic in the conversation the assistant asks which one is meant (a `clarify` reading with the choices);
- small talk in front of a question ("salam, ...") does not hide the question; small talk alone, however the
  classifier read it ("chokran bzzaf"), is answered as small talk; an off-topic subject (weather, football)
  is declined, never answered with a forum or service fact.

The words come from the lexicons (`nlu/lexicon/aspect.yml`, `subject.yml`, `service.yml`, ...), read here
with `nlu.lexicon.find_entities` on the message itself, so a reading does not depend on which model is loaded.
Plain logic over the tracker: no reply is sent here (actions/conversation.py does that).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from rasa_sdk import Tracker

from nlu.lexicon import find_entities

# Service-document sections (docs/architecture.md) that answer each aspect; "how long?" covers both the
# processing time and how long the paper stays valid.
ASPECT_SECTIONS = {
    "cost": ("cost",),
    "papers": ("papers",),
    "duration": ("delay", "validity"),
    "when": ("delay", "validity"),
    "where": ("where",),
    "who": ("who",),
    "delivery": ("steps",),
    "apply": ("steps",),
}
# The service intent a choice button sends for an aspect (the others send service_info with the aspect).
ASPECT_INTENT = {"cost": "service_cost", "papers": "service_papers", "duration": "service_delay"}
INTENT_ASPECT = {
    "service_cost": "cost",
    "service_papers": "papers",
    "service_delay": "duration",
    "forum_dates": "when",
    "forum_venue": "where",
}
# The forum document that answers an aspect of the forum as a whole; where the press release says nothing
# (fees, registration) that document says so and names the organisers.
FORUM_ASPECTS = {
    "when": "forum_dates",
    "duration": "forum_dates",
    "where": "forum_venue",
    "cost": "forum_participants",
    "who": "forum_participants",
    "papers": "forum_participants",
    "apply": "forum_participants",
}
# Parts of the forum whose own document answers some aspects ("who signs the agreements?", "what do they cost?").
SUBTOPIC_ASPECTS = {
    "forum_agreements": {"cost", "who", "when", "duration"},
    "forum_awards": {"who", "when"},
    "forum_research_day": {"when", "apply", "who"},
    "forum_eniad": {"where", "who"},
}
# Forum intents that name a subject of their own; dates, venue and participants are aspects of the forum.
SUBJECT_INTENTS = {
    "forum_overview",
    "forum_theme",
    "forum_axes",
    "forum_edition",
    "forum_patronage",
    "forum_agreements",
    "forum_awards",
    "forum_research_day",
    "forum_eniad",
    "forum_programme",
}
PROGRAMME = "forum_programme"
SMALL_TALK = {"greet", "thank", "goodbye", "identity"}
FILLER = "filler"  # "ok", "safi", "quand même", "fin ma kan": words around small talk that ask nothing
SMALL_TALK_INTENTS = {"greet": "greet", "thank": "thank", "goodbye": "goodbye", "bot_identity": "identity"}
CONFIDENT = 0.5  # a subject intent at least this sure names its subject
CLOSE_INTENTS = 0.2  # two answering intents this close (Rasa's Sara asks too), nothing else deciding ...
UNSURE = 0.6  # ... and the first one below this: ask which one is meant
ELLIPTICAL_WORDS = 4  # "et le prix ?", "and the passport?": too short to stand alone
BARE_ASPECT = 3  # "how long does it take?": at most this many words besides the aspect name no subject
# A forum conversation does not lend its topic to a question that names its own, unknown subject in this many
# words besides the aspect ("combien coûte la licence de pêche en mer à Saïdia ?" is not about the forum).
OWN_SUBJECT_WORDS = 6
_WORD = re.compile(r"[^\W_]{2,}")


@dataclass(frozen=True)
class Reading:
    """What to answer. `kind`: document | smalltalk | offtopic | service | forum | programme | clarify |
    open (search the words) | search (a long aspect question in a forum conversation: the forum's `topic`
    if retrieval lands on the forum, else what it finds) | intent (the NLU intent as it is) | default."""

    kind: str
    intent: str | None = None
    question: str = ""
    service: str | None = None
    aspect: str | None = None
    topic: str | None = None  # forum: the forum intent whose document answers
    day: str | None = None
    time: str | None = None
    greeting: bool = False  # a greeting came in front of the question
    in_context: bool = False  # the subject comes from the conversation, not from the message
    smalltalk: str | None = None  # greet | thank | goodbye | identity
    choices: tuple[str, ...] = ()  # clarify: "forum" and service values, or intents
    entities: dict[str, list[str]] = field(default_factory=dict)


def message_entities(tracker: Tracker) -> dict[str, list[str]]:
    """Entity values of the latest message by entity name: the NLU's (a button's payload entities too), then
    the lexicons' over the text, whatever the loaded model extracts."""
    text = tracker.latest_message.get("text") or ""
    found: dict[str, list[str]] = {}
    rows = list(tracker.latest_message.get("entities") or []) + ([] if text.startswith("/") else find_entities(text))
    for row in rows:
        values = found.setdefault(row["entity"], [])
        if str(row["value"]) not in values:
            values.append(str(row["value"]))
    return found


def _without(text: str, entity: str, values: set[str] | None = None) -> str:
    """The message minus the words of one lexicon entity (its `values` only, when given)."""
    spans = [
        (row["start"], row["end"])
        for row in find_entities(text)
        if row["entity"] == entity and (values is None or row["value"] in values)
    ]
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " + text[end:]
    return re.sub(r"^[\s,.;:!?،؛-]+", "", text).strip()


def _ranking(tracker: Tracker) -> list[tuple[str, float]]:
    return [
        (item["name"], float(item.get("confidence") or 0.0))
        for item in tracker.latest_message.get("intent_ranking") or []
        if item.get("name") != "nlu_fallback"
    ]


def answering(intent: str | None) -> bool:
    return bool(intent) and intent.startswith(("forum_", "service_"))


def resolve(tracker: Tracker) -> Reading:
    """Read the latest message in the conversation's state (see the module doc)."""
    text = tracker.latest_message.get("text") or ""
    intent_data = tracker.latest_message.get("intent") or {}
    intent, confidence = intent_data.get("name"), float(intent_data.get("confidence") or 0.0)
    entities = message_entities(tracker)
    if text.startswith("/"):
        return _payload(intent, entities, text)
    subjects = set(entities.get("subject", []))
    talk = next((value for value in entities.get("subject", []) if value in SMALL_TALK), None)
    talk = talk or SMALL_TALK_INTENTS.get(intent or "")
    question = _without(text, "subject", SMALL_TALK | {FILLER}) if talk else text
    signals = bool({"service", "document", "aspect", "day", "time"} & set(entities)) or bool(
        subjects & {"forum", "programme"}
    )
    words = len(_WORD.findall(question))
    if talk == "identity" and "identity" in subjects:
        return Reading("smalltalk", intent, smalltalk="identity")
    if talk and (words == 0 or (not signals and (words <= 2 or not answering(intent)))):
        if talk == "greet" and words >= 2 and intent == "greet":
            return Reading("open", intent, question=question, greeting=True, smalltalk=talk, entities=entities)
        return Reading("smalltalk", intent, smalltalk=talk)
    reading = _subject_reading(tracker, intent, confidence, question, entities)
    return replace(reading, greeting=True) if talk == "greet" else reading


def _payload(intent: str | None, entities: dict[str, list[str]], text: str) -> Reading:
    """A button: its intent and entities say it all."""
    if intent == "choose_document":
        return Reading("document", intent, question=text, entities=entities)
    aspect = _first(entities, "aspect")
    service = _first(entities, "service")
    if service:
        return Reading(
            "service",
            intent,
            question=text,
            service=service,
            aspect=aspect or INTENT_ASPECT.get(intent or ""),
            entities=entities,
        )
    if intent == PROGRAMME:
        return Reading(
            "programme",
            intent,
            question=text,
            day=_first(entities, "day"),
            time=_first(entities, "time"),
            entities=entities,
        )
    if answering(intent):
        return Reading("forum", intent, question=text, aspect=aspect, topic=intent, entities=entities)
    return Reading("intent", intent, question=text, entities=entities)


def context_topic(tracker: Tracker) -> str:
    """What the conversation is about: the `topic` an answer set, else the service a message named (the
    `service` slot keeps it until another one is named)."""
    service = tracker.get_slot("service")
    return tracker.get_slot("topic") or (f"service:{service}" if service else "")


def _first(entities: dict[str, list[str]], name: str) -> str | None:
    return (entities.get(name) or [None])[0]


def _subject_reading(
    tracker: Tracker, intent: str | None, confidence: float, question: str, entities: dict[str, list[str]]
) -> Reading:
    """The reading of a question (small talk already set aside)."""
    subjects = set(entities.get("subject", []))
    aspect = _first(entities, "aspect")
    service = _first(entities, "service") or SERVICE_OF_DOCUMENT.get(_first(entities, "document") or "")
    day, time = _first(entities, "day"), _first(entities, "time")
    topic = context_topic(tracker)
    previous_aspect = tracker.get_slot("aspect")
    short = len(_WORD.findall(question)) <= ELLIPTICAL_WORDS
    base = {"intent": intent, "question": question, "entities": entities}
    # a sure subject intent names its subject, unless a short message may just be a follow-up in context
    named_forum = bool(subjects & {"forum", "programme"}) or (
        intent in SUBJECT_INTENTS and confidence >= CONFIDENT and not (short and topic)
    )
    if "offtopic" in subjects and not service and not subjects & {"forum", "programme"}:  # words over the intent
        return Reading("offtopic", **base)
    if service:  # the NLU's section intent first (it reads the whole sentence), then the aspect words
        aspect = INTENT_ASPECT.get(intent or "") or aspect or (previous_aspect if short else None)
        return Reading("service", service=service, aspect=aspect, **base)
    programme = "programme" in subjects or intent == PROGRAMME or ((day or time) and topic == PROGRAMME and short)
    if programme and (aspect in (None, "when") or day or time):
        return Reading(
            "programme",
            day=day or (tracker.get_slot("day") if topic == PROGRAMME else None),
            time=time,
            aspect=aspect,
            **base,
        )
    if aspect and not named_forum:
        return _aspect_only(tracker, aspect, topic, base)
    if named_forum:
        if aspect and not (intent in SUBJECT_INTENTS and confidence >= CONFIDENT):
            return Reading("forum", topic=FORUM_ASPECTS.get(aspect, "forum_overview"), aspect=aspect, **base)
        if aspect in FORUM_ASPECTS and aspect not in SUBTOPIC_ASPECTS.get(intent or "", {aspect}):
            # a part of the forum whose document says nothing of this aspect ("la journée de la recherche,
            # c'est payant ?"): the document that answers it for the whole forum
            return Reading("forum", topic=FORUM_ASPECTS[aspect], aspect=aspect, **base)
        forum_intent = intent if answering(intent) and not (intent or "").startswith("service_") else None
        if (day or time) and forum_intent in (None, "forum_dates"):
            return Reading("programme", day=day, time=time, **base)
        return Reading("forum", topic=forum_intent, aspect=aspect or INTENT_ASPECT.get(intent or ""), **base)
    return _by_intent(tracker, intent, confidence, topic, short, base)


def _aspect_only(tracker: Tracker, aspect: str, topic: str, base: dict[str, Any]) -> Reading:
    """A question naming an aspect and no subject: the conversation's subject; else ask which subject is
    meant, unless many words besides the aspect may name it in words no lexicon has ("la liste des papiers
    d'une procédure administrative"): then the NLU's service intent and the search find it."""
    if topic.startswith("service:"):
        return Reading("service", service=topic.split(":", 1)[1], aspect=aspect, in_context=True, **base)
    if topic == PROGRAMME and aspect != "where":
        return Reading("programme", aspect=aspect, day=tracker.get_slot("day"), in_context=True, **base)
    if topic.startswith("forum_"):
        own = topic if aspect in SUBTOPIC_ASPECTS.get(topic, ()) else None
        forum_topic = own or FORUM_ASPECTS.get(aspect, topic)
        if len(_WORD.findall(_without(base["question"], "aspect"))) >= OWN_SUBJECT_WORDS:
            # may name a subject of its own: retrieval without a topic decides (actions.conversation)
            return Reading("search", topic=forum_topic, aspect=aspect, in_context=True, **base)
        return Reading("forum", topic=forum_topic, aspect=aspect, in_context=True, **base)
    intent = base["intent"] or ""
    if len(_WORD.findall(_without(base["question"], "aspect"))) > BARE_ASPECT and intent.startswith("service_"):
        return Reading("service", aspect=INTENT_ASPECT.get(intent, aspect), **base)
    return Reading("clarify", aspect=aspect, **base)


def _by_intent(
    tracker: Tracker, intent: str | None, confidence: float, topic: str, short: bool, base: dict[str, Any]
) -> Reading:
    """No subject and no aspect named: the NLU intent, read in the conversation when the message is short."""
    ranking = _ranking(tracker)
    if topic.startswith("service:") and (short or confidence < 0.7 or (intent or "").startswith("service_")):
        service_intent = next((name for name, _ in ranking[:3] if name.startswith("service_")), None)
        if service_intent:
            return Reading(
                "service",
                service=topic.split(":", 1)[1],
                aspect=INTENT_ASPECT.get(service_intent),
                **{**base, "intent": service_intent},
            )
    if (intent or "").startswith("service_") and intent != "service_info":
        return Reading("clarify", aspect=INTENT_ASPECT[intent], **base)
    if (
        len(ranking) >= 2
        and all(name.startswith("forum_") for name, _ in ranking[:2])
        and ranking[0][1] < UNSURE
        and ranking[0][1] - ranking[1][1] < CLOSE_INTENTS
    ):
        return Reading("clarify", choices=(ranking[0][0], ranking[1][0]), **base)
    if intent == "nlu_fallback":
        guess = ranking[0][0] if ranking else None
        if guess == PROGRAMME:
            entities = base["entities"]
            return Reading("programme", day=_first(entities, "day"), time=_first(entities, "time"), **base)
        if answering(guess):
            return Reading("open", guess, question=base["question"], entities=base["entities"])
        return Reading("offtopic" if guess == "out_of_scope" else "default", **base)
    if intent == "out_of_scope":
        return Reading("offtopic", **base)
    if answering(intent):
        return Reading("forum" if intent.startswith("forum_") else "open", topic=intent, **base)
    return Reading("intent", **base)


# The service that delivers each `document` entity value, for questions naming the paper, not the service.
SERVICE_OF_DOCUMENT = {
    "birth_extract": "civil_status",
    "birth_full_copy": "civil_status",
    "id_card": "cnie",
    "passport": "passport",
    "building_permit": "urban_permits",
    "occupancy_permit": "urban_permits",
    "conformity_certificate": "urban_permits",
    "economic_authorisation": "urban_permits",
}
