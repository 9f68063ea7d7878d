"""The Berkane Rasa components on their own (runs in .venv-rasa): each one processes a real Rasa `Message`
the way the pipeline does, and a citizen's text, whatever it is, never breaks them."""

from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu import langid
from nlu.components.arabizi_transliterator import VOCABULARY_FILE, ArabiziTransliterator
from nlu.components.base import ARABIC_SCRIPT, DETECTED_LANGUAGE, ORIGINAL_TEXT, ComponentLoadError
from nlu.components.language_identifier import LanguageIdentifier
from nlu.components.lexicon_extractor import LexiconEntityExtractor
from nlu.components.text_normaliser import OriginalTextRestorer, TextNormaliser

CHAIN = (TextNormaliser, LanguageIdentifier, ArabiziTransliterator, LexiconEntityExtractor, OriginalTextRestorer)


def component(cls: type):
    return cls.create({}, None, None, None)  # stateless: nothing is read from storage


def run(text: str, metadata: dict | None = None, upto: type = OriginalTextRestorer) -> Message:
    """Process one live message through the chain, up to and including `upto`."""
    message = Message(data={TEXT: text, "metadata": metadata})
    for cls in CHAIN[: CHAIN.index(upto) + 1]:
        component(cls).process([message])
    return message


def entity(message: Message, name: str) -> dict | None:
    return next((e for e in message.get(ENTITIES, []) if e["entity"] == name), None)


def test_normaliser_feeds_normalised_text_and_keeps_the_original() -> None:
    message = run("كيفاااش ناخد عقد الإزدياد؟", upto=TextNormaliser)
    assert message.get(TEXT) == "كيفاش ناخد عقد الازدياد؟"
    assert message.get(ORIGINAL_TEXT) == "كيفاااش ناخد عقد الإزدياد؟"


def test_payloads_are_left_for_rasa() -> None:
    payload = '/choose_document{"doc_id": "service-passport-fr"}'
    message = run(payload)
    assert message.get(TEXT) == payload and entity(message, "language") is None


def test_language_entity_detected() -> None:
    message = run("Quels papiers pour le passeport ?", upto=LanguageIdentifier)
    language = entity(message, "language")
    assert language["value"] == "fr" and language["extractor"] == "LanguageIdentifier"
    assert message.get(DETECTED_LANGUAGE) == "fr"


def test_language_entity_follows_the_clients_choice() -> None:
    """The citizen chose Darija in the bot and writes Arabizi: answers in Darija, Arabizi still detected."""
    message = run("kifach nakhod 3a9d l izdiyad", metadata={"language": "ary", "channel": "telegram"})
    assert entity(message, "language")["value"] == "ary"
    assert message.get(DETECTED_LANGUAGE) == "ary_Latn"


def test_unknown_metadata_language_is_ignored() -> None:
    assert entity(run("What is the forum?", metadata={"language": "klingon"}), "language")["value"] == "en"


def test_emoji_only_takes_the_chosen_language() -> None:
    assert entity(run("👍", metadata={"language": "fr"}), "language")["value"] == "fr"
    assert entity(run("👍"), "language")["value"] == "ar"


def test_arabizi_is_featurised_in_both_scripts() -> None:
    message = run("kifach nakhod 3a9d l izdiyad", upto=ArabiziTransliterator)
    assert message.get(TEXT) == "kifach nakhod 3a9d l izdiyad كيفاش ناخد عقد الازدياد"


def test_other_varieties_are_not_transliterated() -> None:
    assert run("c'est quand le forum", upto=ArabiziTransliterator).get(TEXT) == "c'est quand le forum"


def test_lexicon_entities_over_the_users_text() -> None:
    text = "Bghit 3a9d l izdiyad, le 11 à 10h"
    message = run(text)
    service = entity(message, "service")
    assert service["value"] == "civil_status" and service["extractor"] == "LexiconEntityExtractor"
    assert text[service["start"] : service["end"]] == "3a9d l izdiyad"
    assert entity(message, "day")["value"] == "11" and entity(message, "time")["value"] == "10:00"


def test_restorer_gives_the_tracker_what_was_typed() -> None:
    text = "  WACH   kayn chi rendez-vous 3afaaak?"
    assert run(text).get(TEXT) == text


def test_training_examples_get_no_entity() -> None:
    """Entities are never learnt: training examples only get the normalised text and detected variety."""
    example = Message(data={TEXT: "Bghit passport", "intent": "service_info"})
    data = TrainingData([example])
    for cls in CHAIN:
        component(cls).process_training_data(data)
    assert example.get(ENTITIES, []) == []
    assert example.get(DETECTED_LANGUAGE) == "ary_Latn"


def test_story_steps_without_text_pass_through() -> None:
    step = Message(data={"intent": "greet"})
    data = TrainingData([step])
    for cls in CHAIN:
        component(cls).process_training_data(data)
    assert step.get(TEXT) is None


@pytest.mark.parametrize("bad", ["", " ", "👍🙏", "1234", "x" * 5000, "salam مرحبا bonjour ✨ " * 200, "\ud800", "/"])
def test_never_raises(bad: str) -> None:
    message = run(bad)
    assert message.get(TEXT) == bad


def test_accents_do_not_matter_to_the_classifier() -> None:
    assert run("Quel est le délai ?", upto=TextNormaliser).get(TEXT) == "quel est le delai ?"


def test_transliterator_learns_the_arabic_words_of_its_training_data(tmp_path) -> None:
    """Trained on Arabic-script examples, the transliterator writes "l mahawir" as they do ("المحاور"), and the
    model keeps that vocabulary: a loaded component spells the same way."""
    storage, resource = LocalModelStorage(tmp_path), Resource("arabizi")
    context = ExecutionContext(None, node_name="arabizi")
    examples = [
        Message(data={TEXT: t, "intent": "forum_axes"})
        for t in ("شنو هي المحاور ديال الملتقى", "ما هي محاور الملتقى", "chno homa l mahawir")
    ]
    trainer = ArabiziTransliterator.create({}, storage, resource, context)
    trainer.train(TrainingData(examples))
    loaded = ArabiziTransliterator.load({}, storage, resource, context)
    message = Message(data={TEXT: "chno homa l mahawir dyal l forum"})
    for step in (component(TextNormaliser), component(LanguageIdentifier), loaded):
        step.process([message])
    assert "المحاور" in message.get(ARABIC_SCRIPT)
    assert "المحاور" not in run("chno homa l mahawir dyal l forum", upto=ArabiziTransliterator).get(ARABIC_SCRIPT)


def test_transliterator_created_outside_training_uses_the_rules() -> None:
    created = component(ArabiziTransliterator)
    assert created.vocabulary is None
    message = Message(data={TEXT: "kifach nakhod 3a9d l izdiyad"})
    created.process([message])
    assert message.get(ARABIC_SCRIPT) == "كيفاش ناخد عقد الازدياد"


def test_a_model_without_the_trained_state_does_not_load(tmp_path) -> None:
    with pytest.raises(
        ComponentLoadError, match=r"ArabiziTransliterator: cannot load its trained state.*never-trained"
    ):
        ArabiziTransliterator.load(
            {}, LocalModelStorage(tmp_path), Resource("never-trained"), ExecutionContext(None, node_name="arabizi")
        )


def test_a_broken_stored_component_fails_the_load_with_its_reason(tmp_path) -> None:
    storage, resource = LocalModelStorage(tmp_path), Resource("arabizi")
    context = ExecutionContext(None, node_name="arabizi")
    ArabiziTransliterator.create({}, storage, resource, context).train(
        TrainingData([Message(data={TEXT: "شنو هي المحاور", "intent": "forum_axes"})])
    )
    (tmp_path / "arabizi" / VOCABULARY_FILE).write_text('{"المحاور": 1', encoding="utf-8")  # cut short
    with pytest.raises(ComponentLoadError, match=r"ArabiziTransliterator.*JSONDecodeError"):
        ArabiziTransliterator.load({}, storage, resource, context)


def test_language_model_is_trained_saved_and_loaded_with_the_model(tmp_path) -> None:
    """The Rasa model carries its language model; loading it makes it the process's one (the transliterator
    and `identify` without a model judge with it), and it judges as the model trained on data/nlu."""
    storage, resource = LocalModelStorage(tmp_path), Resource("langid")
    context = ExecutionContext(None, node_name="langid")
    LanguageIdentifier.create({}, storage, resource, context).train(TrainingData([]))
    loaded = LanguageIdentifier.load({}, storage, resource, context)
    assert langid.default_model() is loaded.model
    reference = langid.LanguageModel.from_data()
    for text in ("chno homa l mahawir", "ما هي محاور الملتقى", "شنو هي المحاور", "Quels sont les axes ?"):
        assert langid.scores(text, loaded.model) == langid.scores(text, reference)
    message = Message(data={TEXT: "wach kayn chi rendez-vous"})
    loaded.process([message])
    assert message.get(DETECTED_LANGUAGE) == "ary_Latn"
