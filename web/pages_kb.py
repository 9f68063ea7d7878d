"""Knowledge base pages: documents, upload, metadata, chunk preview, delete, publish, versions, search.

Changes to the served index go through `knowledge.admin` (the CLI's functions: one verified version per
change, under its lock), in a worker thread so the server keeps answering while a version builds.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from knowledge import admin
from knowledge.chunking import chunk_document
from knowledge.convert import MAX_BYTES, SUFFIXES, Options, load_file
from knowledge.documents import DOC_LANGS, Document
from knowledge.errors import KnowledgeError
from knowledge.search import KnowledgeBase
from web import drafts
from web.http import audit, checked_form, flash, render, user_with

READ = ("trainer",)  # who may look (admins may everything)
FORM_SLACK = 64 * 1024  # the other fields of an upload form


def knowledge_base(request: Request) -> KnowledgeBase:
    """One KnowledgeBase per app (it re-reads the index when CURRENT changes, as the action server does)."""
    if request.app.state.kb is None:
        request.app.state.kb = KnowledgeBase.open()
    return request.app.state.kb


def _doc_or_404(doc_id: str) -> tuple[Document, bool]:
    draft = drafts.get(doc_id)
    if draft:
        return draft, True
    try:
        return admin.show(doc_id), False
    except KnowledgeError:
        raise HTTPException(404, f"Aucun document {doc_id!r}.") from None


async def documents_page(request: Request) -> Response:
    user_with(request, *READ)
    docs = await run_in_threadpool(admin.list_documents)
    context = {
        "docs": sorted(docs, key=lambda d: (d.topic, d.id)),
        "drafts": drafts.pending(),
        "stats": admin.stats(),
        "langs": DOC_LANGS,
        "suffixes": " ".join(SUFFIXES),
        "max_mb": MAX_BYTES // (1024 * 1024),
    }
    return render(request, "kb.html", context)


def safe_name(name: str | None) -> str:
    """The uploaded file's own name, refused when it could name a path (`..`, slashes, hidden, NUL)."""
    if not name or any(bad in name for bad in ("/", "\\", "\x00")) or name.startswith(".") or ".." in name:
        raise KnowledgeError(f"nom de fichier refusé : {name!r} (pas de chemin, pas de '..')")
    if Path(name).suffix.lower() not in SUFFIXES:
        raise KnowledgeError(f"{name} : type non accepté ({' '.join(SUFFIXES)})")
    return name


async def _save_upload(upload: UploadFile, folder: Path, name: str) -> Path:
    target = folder / name
    size = 0
    with target.open("wb") as out:
        while chunk := await upload.read(1024 * 1024):
            size += len(chunk)
            if size > MAX_BYTES:
                raise KnowledgeError(f"{name} : fichier trop volumineux (plus de {MAX_BYTES // (1024 * 1024)} Mo)")
            out.write(chunk)
    return target


def _too_big(request: Request) -> Response | None:
    """A refusal before the body is read: too big, or of unknown length (a chunked body could be endless;
    browsers always say how long a form is)."""
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        return render(request, "error.html", {"message": "Taille de l'envoi inconnue : rien n'a été enregistré."}, 411)
    if int(length) > MAX_BYTES + FORM_SLACK:
        size, cap = int(length) // (1024 * 1024), MAX_BYTES // (1024 * 1024)
        message = f"Fichier trop volumineux : {size} Mo pour {cap} Mo au plus. Rien n'a été enregistré."
        return render(request, "error.html", {"message": message}, 413)
    return None


async def upload(request: Request) -> Response:
    user = user_with(request)
    if refusal := _too_big(request):
        return refusal
    form = await checked_form(request, max_files=1, max_fields=20)
    upload_file = form.get("file")
    if not isinstance(upload_file, UploadFile):
        flash(request, "Choisissez un fichier.", "error")
        return RedirectResponse("/kb", 303)
    options = Options(
        lang=str(form.get("lang") or "") or None,
        title=str(form.get("title") or "") or None,
        topic=str(form.get("topic") or "") or None,
        source=str(form.get("source") or "") or None,
    )
    try:
        name = safe_name(upload_file.filename)
        with tempfile.TemporaryDirectory(prefix="berkane-upload-") as folder:
            path = await _save_upload(upload_file, Path(folder), name)
            doc = await run_in_threadpool(load_file, path, options)
        # only what the admin filled in: a Markdown file's own front matter stays as written otherwise
        changes = {key: str(form[key]) for key in ("checked", "url") if form.get(key)}
        if form.get("provisional"):
            changes["provisional"] = True
        doc = drafts.with_metadata(doc, changes)
    except KnowledgeError as error:
        status = 413 if "volumineux" in str(error) else 400
        return render(request, "error.html", {"message": f"{error}. Rien n'a été enregistré."}, status)
    drafts.save(doc)
    audit(request, user, "document uploaded", f"{doc.id} ({name})")
    flash(request, f"{doc.id} : brouillon enregistré ; publiez pour le mettre en service.")
    return RedirectResponse(f"/kb/docs/{doc.id}", 303)


async def document_page(request: Request) -> Response:
    user_with(request, *READ)
    doc, is_draft = _doc_or_404(request.path_params["doc_id"])
    chunks = chunk_document(doc, 0)
    return render(request, "document.html", {"doc": doc, "draft": is_draft, "chunks": chunks, "langs": DOC_LANGS})


async def edit(request: Request) -> Response:
    user = user_with(request)
    form = await checked_form(request)
    doc, _ = _doc_or_404(request.path_params["doc_id"])
    changes = {
        "title": str(form.get("title", "")).strip(),
        "lang": str(form.get("lang", "")),
        "topic": str(form.get("topic", "")).strip(),
        "source": [line.strip() for line in str(form.get("source", "")).splitlines() if line.strip()],
        "url": str(form.get("url", "")).strip() or None,
        "checked": str(form.get("checked", "")).strip() or None,
        "provisional": bool(form.get("provisional")),
    }
    try:
        edited = drafts.with_metadata(doc, changes)
    except KnowledgeError as error:
        return render(request, "error.html", {"message": f"{error}. Rien n'a changé."}, 400)
    drafts.save(edited)
    audit(request, user, "document edited", doc.id)
    flash(request, f"{doc.id} : modifications en brouillon ; publiez pour les mettre en service.")
    return RedirectResponse(f"/kb/docs/{doc.id}", 303)


async def delete(request: Request) -> Response:
    user = user_with(request)
    await checked_form(request)
    doc_id = request.path_params["doc_id"]
    if drafts.discard(doc_id):
        audit(request, user, "draft discarded", doc_id)
        flash(request, f"Brouillon {doc_id} supprimé.")
        return RedirectResponse("/kb", 303)
    try:
        version = await run_in_threadpool(admin.remove, doc_id)
    except KnowledgeError as error:
        return render(request, "error.html", {"message": str(error)}, 404 if "no document" in str(error) else 409)
    audit(request, user, "document deleted", f"{doc_id} -> {version}")
    flash(request, f"{doc_id} retiré ; version {version} en service.")
    return RedirectResponse("/kb", 303)


async def publish(request: Request) -> Response:
    user = user_with(request)
    await checked_form(request)
    try:
        version, added = await run_in_threadpool(drafts.publish)
    except KnowledgeError as error:
        return render(request, "error.html", {"message": f"Publication refusée : {error}"}, 409)
    ids = ", ".join(item.doc_id for item in added)
    audit(request, user, "published", f"{version}: {ids}")
    flash(request, f"Version {version} publiée ({ids}).")
    return RedirectResponse("/kb/versions", 303)


async def versions_page(request: Request) -> Response:
    user_with(request, *READ)
    listed = await run_in_threadpool(admin.versions)
    return render(request, "versions.html", {"versions": list(reversed(listed))})


async def rollback(request: Request) -> Response:
    user = user_with(request)
    await checked_form(request)
    wanted = request.path_params["version"]
    try:
        version = await run_in_threadpool(admin.rollback, wanted)
    except KnowledgeError as error:
        return render(request, "error.html", {"message": str(error)}, 409)
    audit(request, user, "rolled back", version)
    flash(request, f"Version {version} en service.")
    return RedirectResponse("/kb/versions", 303)


async def search_page(request: Request) -> Response:
    user_with(request, *READ)
    query = request.query_params.get("q", "").strip()[:500]
    lang = request.query_params.get("lang") or None
    hits, signals = [], None
    if query:
        kb = knowledge_base(request)
        hits = await run_in_threadpool(kb.search, query, lang)
        signals = await run_in_threadpool(kb.signals, query, lang)
    return render(
        request,
        "search.html",
        {
            "q": query,
            "lang": lang or "",
            "hits": hits,
            "signals": signals,
        },
    )


routes = [
    Route("/kb", documents_page, methods=["GET"]),
    Route("/kb/upload", upload, methods=["POST"]),
    Route("/kb/publish", publish, methods=["POST"]),
    Route("/kb/search", search_page, methods=["GET"]),
    Route("/kb/versions", versions_page, methods=["GET"]),
    Route("/kb/versions/{version:str}/rollback", rollback, methods=["POST"]),
    Route("/kb/docs/{doc_id:str}", document_page, methods=["GET"]),
    Route("/kb/docs/{doc_id:str}/edit", edit, methods=["POST"]),
    Route("/kb/docs/{doc_id:str}/delete", delete, methods=["POST"]),
]
