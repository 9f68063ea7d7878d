"""An open question answered from the knowledge base costs the action server no e5 forward: the trained Rasa
model's parse (.venv-rasa) carries the NLU's vector of the question (nlu.query.QUERY_VECTOR), the action's
searches use it, and the citizen gets exactly the answer the action gives when it embeds the question itself."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from action_harness import run, tracker

from actions import resources
from actions.knowledge import ActionAnswerFromKnowledge
from nlu import e5
from nlu.query import QUERY_VECTOR
from settings import MODELS, RASA_VENV, ROOT
from stack.servers import BASE_ENV

pytestmark = pytest.mark.servers  # loads the trained Rasa model

# French and English hand over their vector only when typed plainly (lower case, no accents: the NLU reads them
# as typed, the search in the index form, nlu.query.feature_form); Arabic script and Latin Darija always.
QUESTIONS = [
    "chno l3onwan dyal l multaqa had l3am?",
    "ou se deroule le forum de berkane ?",
    "ما هو شعار الملتقى الدولي حول المدن الذكية؟",
    "what is the forum's theme?",
]
PARSE = """
import asyncio, json, sys
from rasa.core.agent import Agent
agent = Agent.load(sys.argv[1])
texts = json.loads(sys.argv[2])
parsed = [asyncio.run(agent.parse_message(text)) for text in texts]
open(sys.argv[3], "w", encoding="utf-8").write(json.dumps(parsed, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    """The trained model's parse of each question, as Rasa hands it to the actions (`latest_message`)."""
    out = tmp_path_factory.mktemp("parse") / "parsed.json"
    done = subprocess.run(
        [str(RASA_VENV / "bin" / "python"), "-c", PARSE, str(MODELS), json.dumps(QUESTIONS), str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **BASE_ENV},
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8"))


def turn(parse_data: dict) -> object:
    state = tracker(
        "forum_question", language=next(e["value"] for e in parse_data["entities"] if e["entity"] == "language")
    )
    state.latest_message = parse_data
    return state


def test_an_answered_question_runs_no_e5_in_the_action_server_and_gets_the_same_answer(
    kb_var: Path, parsed: list[dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    embedded: list[str] = []
    real = e5.embed_queries
    monkeypatch.setattr(e5, "embed_queries", lambda texts, threads=1: embedded.extend(texts) or real(texts, threads))
    resources.knowledge_base.cache_clear()  # a knowledge base that has embedded nothing yet
    action = ActionAnswerFromKnowledge()
    for text, parse_data in zip(QUESTIONS, parsed):
        assert QUERY_VECTOR in parse_data, text
        messages, events = run(action, turn(parse_data))
        assert messages and "📄" in messages[0]["text"], f"{text!r} is answered from a document"
        assert embedded == [], f"{text!r} was embedded again"
        without = {key: value for key, value in parse_data.items() if key != QUERY_VECTOR}
        assert run(action, turn(without)) == (messages, events)
        assert embedded, "without the NLU's vector the action embeds the question"
        embedded.clear()
