"""The interface's words: French, with an Arabic translation of the navigation and main labels.

Keys are the French texts themselves, so a label without a translation stays readable in French.
"""

from __future__ import annotations

UI_LANGUAGES = ("fr", "ar")
ARABIC = {
    "Back office": "المكتب الخلفي",
    "Base de connaissances": "قاعدة المعارف",
    "File des questions": "قائمة الأسئلة",
    "Conversations": "المحادثات",
    "Demandes de rappel": "طلبات التواصل",
    "Entraînement": "التدريب",
    "Statistiques": "الإحصائيات",
    "Comptes": "الحسابات",
    "Journal d'audit": "سجل التدقيق",
    "Déconnexion": "تسجيل الخروج",
    "Connexion": "تسجيل الدخول",
    "Nom": "الاسم",
    "Mot de passe": "كلمة المرور",
    "Se connecter": "دخول",
    "Rechercher": "بحث",
    "Publier": "نشر",
    "Versions": "الإصدارات",
    "Revenir à cette version": "الرجوع إلى هذا الإصدار",
    "Téléverser": "رفع",
    "Langue": "اللغة",
    "Source": "المصدر",
    "Vérifié le": "تاريخ التحقق",
    "Provisoire": "مؤقت",
    "Supprimer": "حذف",
    "Enregistrer": "حفظ",
    "Écarter": "تجاهل",
    "Date": "التاريخ",
    "Variété": "اللهجة",
    "Question": "السؤال",
    "Réponse du bot": "جواب الروبوت",
    "Intention": "النية",
    "Ajouter l'exemple": "إضافة المثال",
    "Statut": "الحالة",
    "Messages par jour": "الرسائل في اليوم",
    "Messages par variété": "الرسائل حسب اللهجة",
    "Répondu / refusé / transmis": "أجيب / رُفض / حُوّل",
    "Latence médiane": "متوسط زمن الرد",
    "Questions fréquentes": "الأسئلة الأكثر تكرارا",
    "Questions sans réponse": "أسئلة بلا جواب",
    "Filtrer": "تصفية",
    "Lancer un entraînement": "بدء التدريب",
    "Activer": "تفعيل",
    "Revenir au modèle précédent": "الرجوع إلى النموذج السابق",
    "Messages refusés, de confiance faible ou notés 👎. Numéros de carte et de téléphone masqués.": (
        "رسائل رُفضت أو بثقة ضعيفة أو بتقييم 👎. أرقام البطاقة والهاتف مخفية."
    ),
    "Tout voir (traités compris)": "عرض الكل (مع المعالَجة)",
    "Seulement à traiter": "غير المعالَجة فقط",
    "Rien à traiter.": "لا شيء للمعالجة.",
    "conversation": "المحادثة",
    "Lier à ce document": "ربط بهذه الوثيقة",
    "Écrire une réponse": "كتابة جواب",
    "Enregistrer en brouillon": "حفظ كمسودة",
    "Titre": "العنوان",
    "Texte": "النص",
    "Sujet": "الموضوع",
    "refusé": "مرفوض",
    "confiance faible": "ثقة ضعيفة",
}


def translate(text: str, language: str) -> str:
    return ARABIC.get(text, text) if language == "ar" else text
