"""What the conversation store keeps of an event: the citizen's words with their numbers masked, and every
name and id the assistant needs to rebuild the conversation unchanged."""

from __future__ import annotations

from privacy.events import redact_event

USER_EVENT = {
    "event": "user",
    "timestamp": 1.5,
    "text": "ma CIN AB123456, tel 0612345678",
    "input_channel": "rest",
    "message_id": "ab123456cd0612345678",
    "metadata": {"language": "fr", "note": "ahmed@gmail.com"},
    "parse_data": {
        "text": "ma CIN AB123456",
        "original_text": "ma CIN AB123456",
        "intent": {"name": "service_info", "confidence": 0.8},
        "entities": [{"entity": "service", "value": "AB123456", "start": 7, "end": 15}],
    },
}


def test_a_user_event_keeps_its_names_and_ids_and_loses_its_numbers() -> None:
    stored = redact_event(USER_EVENT)
    assert "AB123456" not in str({k: v for k, v in stored.items() if k != "message_id"})
    assert "0612345678" not in stored["text"] and "ahmed@gmail.com" not in str(stored["metadata"])
    assert stored["message_id"] == USER_EVENT["message_id"] and stored["timestamp"] == 1.5
    assert stored["parse_data"]["intent"] == {"name": "service_info", "confidence": 0.8}
    assert stored["parse_data"]["entities"][0]["entity"] == "service"
    assert USER_EVENT["text"] == "ma CIN AB123456, tel 0612345678", "the event in memory must stay as typed"


def test_bot_and_slot_events_are_masked_and_other_events_kept() -> None:
    bot = {
        "event": "bot",
        "text": "On vous rappelle au 0612345678",
        "data": {"buttons": [{"title": "👍", "payload": '/feedback_positive{"doc_id": "service-passport-fr"}'}]},
    }
    assert redact_event(bot) == {**bot, "text": "On vous rappelle au [phone]"}
    assert redact_event({"event": "slot", "name": "phone", "value": "0612345678"})["value"] == "[phone]"
    action = {"event": "action", "name": "action_listen", "policy": "RulePolicy", "confidence": 1.0}
    assert redact_event(action) == action
