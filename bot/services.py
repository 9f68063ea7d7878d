"""The `/services` menu: the canonical service values of docs/architecture.md with a label per language.
Pressing one sends Rasa the payload `/service_info{"service": ...}`, so the answer comes from the knowledge
base like any question would."""

from __future__ import annotations

import json

from bot.rasa_client import Button
from nlu.languages import DOCUMENT_LANGUAGES, VARIETIES, document_language

# value: labels in the document languages, in the order of DOCUMENT_LANGUAGES (Arabic for ar and Darija)
_LABELS: dict[str, tuple[str, str, str]] = {
    "civil_status": ("رسم الولادة (watiqa.ma)", "Acte de naissance (watiqa.ma)", "Birth records (watiqa.ma)"),
    "cnie": ("البطاقة الوطنية الإلكترونية", "CNIE (carte d'identité)", "National ID card (CNIE)"),
    "passport": ("جواز السفر البيومتري", "Passeport biométrique", "Biometric passport"),
    "complaints": ("الشكايات (chikaya.ma)", "Réclamations (chikaya.ma)", "Complaints (chikaya.ma)"),
    "urban_permits": ("رخص التعمير (rokhas.ma)", "Permis et autorisations (rokhas.ma)", "Permits (rokhas.ma)"),
    "rsu": ("السجل الاجتماعي الموحد", "Registre social unifié (RSU)", "Unified Social Register (RSU)"),
    "access_information": (
        "الحصول على المعلومات (chafafiya.ma)",
        "Accès à l'information (chafafiya.ma)",
        "Access to information (chafafiya.ma)",
    ),
    "idarati": (
        "المساطر الإدارية (idarati.ma)",
        "Procédures administratives (idarati.ma)",
        "Administrative procedures (idarati.ma)",
    ),
    "tax": ("الضرائب (SIMPL)", "Impôts (SIMPL)", "Taxes (SIMPL)"),
    "cnss": ("الضمان الاجتماعي (Damancom)", "CNSS (Damancom)", "Social security (Damancom)"),
    "personal_data": ("المعطيات الشخصية (CNDP)", "Données personnelles (CNDP)", "Personal data (CNDP)"),
}


def service_payload(service: str) -> str:
    return "/service_info" + json.dumps({"service": service}, separators=(",", ":"))


def service_buttons(language: str | None) -> list[Button]:
    """One button per service, labelled in `language` (Arabic, the bot's default, when none was chosen)."""
    column = DOCUMENT_LANGUAGES.index(document_language(language if language in VARIETIES else "ar"))
    return [Button(labels[column], service_payload(value)) for value, labels in _LABELS.items()]
