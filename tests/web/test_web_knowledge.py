"""Knowledge-base pages: upload, preview, metadata, publish, delete, versions and rollback, search; the
refused uploads (path-like names, wrong types, oversized files) write nothing."""

from __future__ import annotations

import html
import io
import json
from pathlib import Path

import pytest

from knowledge.convert import MAX_BYTES

FACT_DOC = b"""---
id: fx-guichet-fr
lang: fr
title: Guichet numerique de Berkane
topic: general
source: [https://www.berkane.ma/guichet]
checked: 2026-12-01
provisional: true
---
Le guichet numerique de la commune de Berkane ouvre le samedi de neuf heures a midi, au centre Ibn Khaldoun.
"""


def shown(response) -> str:
    """The page's text as a reader sees it (entities such as &#39; decoded)."""
    return html.unescape(response.text)


def state(var: Path) -> tuple[str, list[str], list[str]]:
    """What an upload must not change when refused: the served version, the versions, the drafts."""
    drafts = var / "admin" / "drafts"
    return (
        (var / "kb" / "CURRENT").read_text().strip(),
        sorted(p.name for p in (var / "kb").glob("v*")),
        sorted(p.name for p in drafts.iterdir()) if drafts.is_dir() else [],
    )


def test_an_uploaded_document_is_a_draft_until_published_then_listed_and_found(browser, web_var):
    admin = browser("admin")
    before = state(web_var)
    response = admin.post("/kb/upload", files={"file": ("guichet.md", FACT_DOC, "text/markdown")})
    assert response.url.path == "/kb/docs/fx-guichet-fr" and "brouillon" in response.text
    assert "ouvre le samedi de neuf heures" in response.text  # the passage preview
    assert state(web_var)[0] == before[0]  # nothing served yet
    page = admin.get("/kb").text
    assert 'id="drafts"' in page and "fx-guichet-fr" in page
    response = admin.post("/kb/publish")
    assert response.url.path == "/kb/versions" and "publiée" in response.text
    served, versions, drafts = state(web_var)
    assert served != before[0] and len(versions) == len(before[1]) + 1 and drafts == []
    listing = admin.get("/kb").text
    row = listing[listing.index('href="/kb/docs/fx-guichet-fr"') :].split("</tr>")[0]
    assert "fr" in row and "https://www.berkane.ma/guichet" in row and "2026-12-01" in row and "oui" in row
    found = admin.get(
        "/kb/search", params={"q": "Quand ouvre le guichet numerique de la commune de Berkane ?", "lang": "fr"}
    ).text
    assert 'id="hits"' in found, found[found.index("<main>") :]
    hits = found[found.index('id="hits"') :]
    assert "fx-guichet-fr" in hits.split("</tr>")[1]  # the first hit, with its score
    assert "0." in hits.split("</tr>")[1] or "1.000" in hits.split("</tr>")[1]
    audit = admin.get("/audit").text
    assert "document uploaded" in audit and "published" in audit


def test_text_and_docx_files_take_their_metadata_from_the_form(browser, web_var):
    import docx

    admin = browser("admin")
    fields = {"lang": "fr", "title": "Horaires du guichet", "topic": "general", "source": "https://example.ma/h"}
    response = admin.post(
        "/kb/upload", fields, files={"file": ("horaires.txt", b"Le guichet ouvre le samedi.", "text/plain")}
    )
    assert response.url.path == "/kb/docs/horaires" and "Horaires du guichet" in response.text
    document = docx.Document()
    document.add_heading("Marché hebdomadaire", level=2)
    document.add_paragraph("Le marché de Berkane se tient le dimanche.")
    buffer = io.BytesIO()
    document.save(buffer)
    response = admin.post("/kb/upload", {"lang": "fr"}, files={"file": ("marche.docx", buffer.getvalue())})
    assert response.url.path == "/kb/docs/marche" and "se tient le dimanche" in response.text
    assert sorted(p.name for p in (web_var / "admin" / "drafts").iterdir()) == ["horaires.md", "marche.md"]
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in (web_var / "admin" / "drafts").iterdir())


@pytest.mark.parametrize(
    "name, says",
    [
        ("../evil.md", "nom de fichier refusé"),
        ("..\\evil.md", "nom de fichier refusé"),
        ("/etc/cron.d/evil.md", "nom de fichier refusé"),
        ("docs/../../evil.md", "nom de fichier refusé"),
        (".bashrc.md", "nom de fichier refusé"),
        ("evil.exe", "type non accepté"),
    ],
)
def test_a_path_like_or_unknown_file_name_is_refused_and_nothing_is_written(browser, web_var, name, says):
    admin = browser("admin")
    before = state(web_var)
    response = admin.post("/kb/upload", files={"file": (name, FACT_DOC, "text/markdown")})
    assert response.status_code == 400 and says in shown(response) and "Rien n'a été enregistré" in shown(response)
    assert state(web_var) == before
    assert not list(web_var.parent.rglob("evil*"))


@pytest.mark.parametrize("size", [MAX_BYTES + 10, MAX_BYTES + 2 * 1024 * 1024])
def test_an_oversized_upload_is_refused_with_a_clear_message_and_nothing_is_written(browser, web_var, size):
    admin = browser("admin")
    before = state(web_var)
    response = admin.post("/kb/upload", files={"file": ("big.txt", b"a" * size, "text/plain")})
    assert response.status_code == 413 and "trop volumineux" in shown(response) and "20 Mo" in shown(response)
    assert state(web_var) == before


def test_an_upload_of_unknown_length_is_refused_before_it_is_read(browser, web_var):
    admin = browser("admin")
    before = state(web_var)
    body = b'--x\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n' + admin.csrf.encode() + b"\r\n--x--\r\n"
    chunks = iter([body])  # a generator body goes out chunked, with no Content-Length
    response = admin.client.post(
        "/kb/upload", content=chunks, headers={"Content-Type": "multipart/form-data; boundary=x"}
    )
    assert response.status_code == 411 and "rien n'a été enregistré" in shown(response)
    assert state(web_var) == before


def test_edited_metadata_goes_live_when_published_and_bad_values_change_nothing(browser, web_var):
    admin = browser("admin")
    fields = {"title": "Passeport", "lang": "xx", "topic": "service:passport", "source": "https://www.passeport.ma"}
    response = admin.post("/kb/docs/fx-passport-fr/edit", fields)
    assert response.status_code == 400 and "Rien n'a changé" in shown(response)
    assert state(web_var)[2] == []
    fields = {**fields, "lang": "fr", "checked": "2026-12-01", "provisional": "1", "url": "https://www.passeport.ma"}
    response = admin.post("/kb/docs/fx-passport-fr/edit", fields)
    assert "brouillon" in response.text
    admin.post("/kb/publish")
    listing = admin.get("/kb").text
    row = listing[listing.index('href="/kb/docs/fx-passport-fr"') :].split("</tr>")[0]
    assert "2026-12-01" in row and "oui" in row


def test_delete_makes_a_version_without_the_document_and_rollback_brings_it_back(browser, web_var):
    admin = browser("admin")
    before = state(web_var)[0]
    response = admin.post("/kb/docs/fx-complaints-fr/delete")
    assert "retiré" in response.text and 'href="/kb/docs/fx-complaints-fr"' not in response.text
    versions = admin.get("/kb/versions").text
    assert f'data-version="{before}"' in versions
    response = admin.post(f"/kb/versions/{before}/rollback")
    assert f"Version {before} en service" in response.text
    assert 'href="/kb/docs/fx-complaints-fr"' in admin.get("/kb").text
    assert admin.post("/kb/versions/v9999/rollback").status_code == 409
    assert admin.get("/kb/docs/no-such-doc").status_code == 404


def test_search_shows_when_the_assistant_would_refuse(browser, web_var):
    trainer = browser("trainer")
    listing = trainer.get("/kb").text  # Arabic titles are set right-to-left by the browser (dir="auto", lang="ar")
    row = listing[listing.index('href="/kb/docs/fx-passport-ar"') :].split("</tr>")[0]
    assert '<td dir="auto" lang="ar">جواز' in row
    page = trainer.get("/kb/search", params={"q": "recette du couscous aux sept légumes", "lang": "fr"}).text
    assert 'id="no-hits"' in page
    assert json.loads(json.dumps(state(web_var)[2])) == []
