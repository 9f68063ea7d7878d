"""What a model does with the held-out sentences and the e2e questions (runs in the Rasa environment).

    .venv-rasa/bin/python trainer/score.py REQUEST.json RESULT.json   (from the repository, see trainer.job)

REQUEST: {"models": {label: model path}, "known_f1": {label: held-out scores already known}, "heldout": folder,
"e2e": [question], "sender": prefix, "actions_url"}.
RESULT: {label: {"f1": {variety: intent macro-F1}, "replies": [[REST reply dicts] per e2e question]}}.
Prints "progress <0-100> <what>" lines for the job. The held-out scores are nlu.evaluate's (predict,
per_variety: the project's one definition of the macro-F1). The e2e questions are handled by the model's
agent in this process, with the running action server (token from BERKANE_ACTIONS_TOKEN, never argv) and an
in-memory tracker store: the same `Agent.handle_message` the REST channel calls, so the replies are those a
citizen would get from that model, without starting a second Rasa server (~30 s and a second copy in memory)
and without writing evaluation conversations into the citizens' tracker store. No `settings` here (pydantic 1).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

from nlu.evaluate import load, per_variety, predict


def progress(percent: int, what: str) -> None:
    print(f"progress {percent} {what}", flush=True)


def replies(model: str, questions: list[str], senders: list[str], actions_url: str) -> list[list[dict[str, Any]]]:
    """Each question's replies from `model`, each question a new conversation (its sender)."""
    from rasa.core.agent import Agent
    from rasa.utils.endpoints import EndpointConfig

    token = os.environ.get("BERKANE_ACTIONS_TOKEN", "")
    endpoint = EndpointConfig(actions_url, headers={"Authorization": f"Bearer {token}"})
    agent = Agent.load(model, action_endpoint=endpoint)

    async def ask_all() -> list[list[dict[str, Any]]]:
        return [await agent.handle_text(q, sender_id=s) or [] for q, s in zip(questions, senders)]

    return asyncio.run(ask_all())


def senders(request: dict[str, Any], label: str) -> list[str]:
    """The conversation id of each e2e question for one model (the job erases what they left afterwards)."""
    return [f"{request['sender']}-{label}-{i}" for i in range(len(request["e2e"]))]


def main(request_path: str, result_path: str) -> None:
    request = json.loads(Path(request_path).read_text(encoding="utf-8"))
    examples = load(Path(request["heldout"]))
    texts = [e.text for e in examples]
    result = {}
    models = request["models"]
    for step, (label, model) in enumerate(models.items()):
        share = 100 // len(models)
        f1 = request.get("known_f1", {}).get(label)
        if f1 is None:
            progress(step * share, f"{label} model: held-out sentences ({len(texts)})")
            table = per_variety(examples, predict(model, texts))
            f1 = {variety: row["intent_macro_f1"] for variety, row in table.items()}
        progress(step * share + share // 2, f"{label} model: e2e questions ({len(request['e2e'])})")
        result[label] = {
            "f1": f1,
            "replies": replies(model, request["e2e"], senders(request, label), request["actions_url"]),
        }
    Path(result_path).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    progress(100, "scored")


if __name__ == "__main__":
    main(*sys.argv[1:3])
