"""The unanswered queue, conversations (read-only, from the tracker store) and handoff requests."""

from __future__ import annotations

from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from knowledge import admin
from knowledge.convert import id_from_name
from knowledge.documents import DOC_LANGS, make_document
from knowledge.errors import KnowledgeError
from knowledge.feedback import FeedbackStore
from nlu.languages import document_language
from nlu.text import strip_accents
from web import drafts, nlu_data, queue, tracker
from web.http import audit, checked_form, flash, render, user_with

TEAM = ("trainer",)


def _store(request: Request) -> FeedbackStore:
    """The feedback file the action server writes (opened per request: BERKANE_VAR may differ per test)."""
    del request
    return FeedbackStore()


async def queue_page(request: Request) -> Response:
    user_with(request, *TEAM)
    show_all = request.query_params.get("all") == "1"
    items = await run_in_threadpool(queue.items, _store(request), show_all)
    docs = await run_in_threadpool(admin.list_documents)
    context = {
        "items": items,
        "kinds": queue.KINDS,
        "intents": nlu_data.intents(),
        "varieties": nlu_data.VARIETIES,
        "docs": sorted(docs, key=lambda d: d.id),
        "show_all": show_all,
        "langs": DOC_LANGS,
    }
    return render(request, "queue.html", context)


async def annotate(request: Request) -> Response:
    user = user_with(request, *TEAM)
    form = await checked_form(request)
    kind, ref = request.path_params["kind"], request.path_params["ref"]
    store = _store(request)
    item = await run_in_threadpool(queue.find, store, kind, ref)
    if item is None:
        raise HTTPException(404, "Cet élément n'est plus dans la file (effacé par le citoyen ou expiré).")
    action = str(form.get("action", ""))
    try:
        if action == "intent":
            intent, variety = str(form.get("intent", "")), str(form.get("variety") or item.lang or "")
            path = nlu_data.append_example(variety, intent, str(form.get("text") or item.text))
            store.review(kind, ref, "intent", user.name, f"{intent} ({variety})")
            done = f"exemple ajouté à {intent} dans {variety}/{path.name}"
        elif action == "link":
            doc_id = str(form.get("doc_id", ""))
            admin.show(doc_id)
            store.review(kind, ref, "answer", user.name, f"doc:{doc_id}")
            done = f"lié au document {doc_id}"
        elif action == "write":
            doc = _answer_document(form, item)
            drafts.save(doc)
            store.review(kind, ref, "answer", user.name, f"draft:{doc.id}")
            done = f"réponse écrite : brouillon {doc.id} (un admin la publie)"
        elif action == "dismiss":
            store.review(kind, ref, "dismissed", user.name)
            done = "écarté"
        else:
            raise HTTPException(400, "Action inconnue.")
    except (nlu_data.ExampleError, KnowledgeError) as error:
        flash(request, f"Refusé : {error}", "error")
        return RedirectResponse(f"/queue#{item.key}", 303)
    audit(request, user, f"queue {action}", f"{item.key}: {done}")
    flash(request, f"{item.text[:60]} : {done}.")
    return RedirectResponse("/queue", 303)


def _answer_document(form, item: queue.Item):
    """A short document from the trainer's answer: it waits as a draft until an admin publishes it."""
    title = str(form.get("title", "")).strip()
    body = str(form.get("body", "")).strip()
    if not title or not body:
        raise KnowledgeError("titre et texte de la réponse sont nécessaires")
    lang = str(form.get("lang") or document_language(item.lang or "fr"))
    meta = {
        "id": f"{id_from_name(Path(strip_accents(title)))}-{lang}",
        "lang": lang,
        "title": title,
        "topic": str(form.get("topic") or "general").strip(),
        "source": [str(form.get("source") or "").strip() or "back office"],
        "faq": [item.text],
        "provisional": True,
    }
    return make_document(meta, body, "back office")


async def conversations_page(request: Request) -> Response:
    user_with(request, *TEAM)
    events = await run_in_threadpool(tracker.events)
    senders: dict[str, dict] = {}
    for event in events:
        entry = senders.setdefault(event.sender, {"sender": event.sender, "first": event.at, "messages": 0})
        entry["last"] = event.at
        entry["messages"] += event.type == "user"
    listed = sorted(senders.values(), key=lambda s: s["last"], reverse=True)[:200]
    return render(request, "conversations.html", {"conversations": listed})


async def conversation_page(request: Request) -> Response:
    user_with(request, *TEAM)
    sender = request.path_params["sender"]
    events = await run_in_threadpool(tracker.events, None, None, sender)
    if not events:
        raise HTTPException(404, "Aucune conversation de cet identifiant (effacée ou expirée).")
    return render(request, "conversation.html", {"sender": sender, "events": events})


async def handoffs_page(request: Request) -> Response:
    user_with(request, *TEAM)
    rows = await run_in_threadpool(_store(request).handoffs, 500)
    return render(request, "handoffs.html", {"handoffs": rows})


async def handoff_change(request: Request) -> Response:
    user = user_with(request, *TEAM)
    form = await checked_form(request)
    handoff_id = request.path_params["handoff_id"]
    store = _store(request)
    status = str(form.get("status", ""))
    if status == "answered":
        changed = store.answer_handoff(handoff_id)
    elif status == "closed":
        changed = store.close_handoff(handoff_id)  # deletes the encrypted call-back number
    else:
        raise HTTPException(400, "Statut inconnu.")
    if changed:
        audit(request, user, f"handoff {status}", str(handoff_id))
        flash(request, f"Demande {handoff_id} : {status}.")
    else:
        flash(request, f"Demande {handoff_id} : déjà traitée ou introuvable.", "error")
    return RedirectResponse("/handoffs", 303)


routes = [
    Route("/queue", queue_page, methods=["GET"]),
    Route("/queue/{kind:str}/{ref:str}", annotate, methods=["POST"]),
    Route("/conversations", conversations_page, methods=["GET"]),
    Route("/conversations/{sender:path}", conversation_page, methods=["GET"]),
    Route("/handoffs", handoffs_page, methods=["GET"]),
    Route("/handoffs/{handoff_id:int}", handoff_change, methods=["POST"]),
]
