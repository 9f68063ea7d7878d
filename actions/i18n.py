"""Every user-visible string the actions send, in the five language codes of docs/architecture.md.

One table instead of strings scattered in the actions, so a translator edits one file and a missing
variant falls back to a language the user can still read (`nlu.languages.reply_chain`: ary -> ar, en -> fr).
Arabizi users read Darija in Arabic script (`nlu.languages.written_variety`): their answers quote Arabic
documents, and one reply must not mix scripts. Dates are written by `nlu.dates`.
"""

from __future__ import annotations

from nlu.languages import reply_chain, written_variety

STRINGS: dict[str, dict[str, str]] = {
    "source": {"ar": "المصدر", "ary": "المصدر", "fr": "Source", "en": "Source"},
    "more_at": {"ar": "للمزيد", "ary": "كثر من المعلومات", "fr": "Plus d'informations", "en": "More information"},
    "useful": {
        "ar": "هل كان هذا الجواب مفيدا؟",
        "ary": "واش هاد الجواب نفعك؟",
        "fr": "Cette réponse vous a-t-elle aidé ?",
        "en": "Was this answer helpful?",
    },
    "see_also": {"ar": "قد يهمك أيضا:", "ary": "يمكن يهمك حتى:", "fr": "Voir aussi :", "en": "See also:"},
    "en_note": {"en": "(No English document on this yet: here is the French one.)"},
    "not_found": {
        "ar": "عذرا، لم أجد جوابا موثوقا عن سؤالك في وثائقي. سجلت سؤالك ليطلع عليه الفريق.",
        "ary": "سمح ليا، ما لقيتش جواب مضمون على السؤال ديالك فالوثائق ديالي. سجلت السؤال باش يشوفو الفريق.",
        "fr": "Désolé, je n'ai pas trouvé de réponse fiable dans mes documents. J'ai noté votre question pour l'équipe.",
        "en": "Sorry, I found no reliable answer in my documents. I have noted your question for the team.",
    },
    "ask_office": {
        "ar": "يمكنك الاستفسار لدى",
        "ary": "تقدر تسول",
        "fr": "Vous pouvez vous renseigner auprès de",
        "en": "You can ask",
    },
    "portal": {"ar": "البوابة", "ary": "البوابة", "fr": "Portail", "en": "Portal"},
    "section_missing": {
        "ar": "هذه المعلومة ({section}) غير متوفرة في وثائقي، ولن أخمنها.",
        "ary": "هاد المعلومة ({section}) ما كايناش فالوثائق ديالي، وما نقدرش نخمن فيها.",
        "fr": "Cette information ({section}) ne figure pas dans mes documents, je préfère ne pas l'inventer.",
        "en": "This information ({section}) is not in my documents, and I will not guess it.",
    },
    "provisional": {"ar": "مؤقت", "ary": "مؤقت", "fr": "provisoire", "en": "provisional"},
    "programme_intro": {
        "ar": "برنامج الملتقى",
        "ary": "البرنامج ديال الملتقى",
        "fr": "Programme du forum",
        "en": "Forum programme",
    },
    "forum_past": {
        "ar": "انعقد الملتقى يوم {dates}.",
        "ary": "الملتقى تدار نهار {dates}.",
        "fr": "Le forum a eu lieu les {dates}.",
        "en": "The forum took place on {dates}.",
    },
    "programme_provisional_note": {
        "ar": "البلاغ الرسمي لم يحدد التوقيت: كل ما هو موسوم «مؤقت» تقديري فقط.",
        "ary": "البلاغ الرسمي ما عطاش الساعات: داكشي اللي مكتوب عليه «مؤقت» غير تقدير.",
        "fr": "Le communiqué officiel ne donne pas d'horaires : tout ce qui est marqué « provisoire » est une estimation.",
        "en": 'The official release gives no times: anything marked "provisional" is an estimate.',
    },
    "programme_empty": {
        "ar": "لا يوجد في البرنامج نشاط يطابق طلبك.",
        "ary": "ما كاين فالبرنامج حتى نشاط بحال اللي طلبتي.",
        "fr": "Aucune activité du programme ne correspond à votre demande.",
        "en": "No programme item matches your request.",
    },
    "handoff": {
        "ar": "سأحول طلبك إلى فريق بشري. للتواصل مباشرة مع موظف:",
        "ary": "غادي نوصل الطلب ديالك لفريق ديال الناس. باش تتواصل مع موظف مباشرة:",
        "fr": "Je transmets votre demande à l'équipe. Pour parler directement à un agent, contactez :",
        "en": "I am passing your request to the team. To talk directly to a staff member (agent), contact:",
    },
    "handoff_recorded": {
        "ar": "تم تسجيل طلبك (رقم المحادثة محفوظ)، وسيتواصل معك الفريق إن أمكن.",
        "ary": "تسجل الطلب ديالك، والفريق غادي يتواصل معاك إلا أمكن.",
        "fr": "Votre demande est enregistrée ; l'équipe vous recontactera si possible.",
        "en": "Your request is recorded; the team will get back to you if possible.",
    },
    "handoff_not_recorded": {
        "ar": "تعذر تسجيل طلبك الآن؛ المرجو التواصل مباشرة مع المكتب أعلاه.",
        "ary": "ما قدرناش نسجلو الطلب ديالك دابا؛ عافاك تواصل مباشرة مع المكتب اللي لفوق.",
        "fr": "Votre demande n'a pas pu être enregistrée pour le moment ; contactez directement le bureau ci-dessus.",
        "en": "Your request could not be recorded right now; please contact the office above directly.",
    },
    "feedback_thanks_positive": {
        "ar": "العفو، وشكرا على تقييمك!",
        "ary": "العفو، وشكرا على الرأي ديالك!",
        "fr": "Avec plaisir, et merci pour votre avis !",
        "en": "You're welcome, glad it helped! Thanks for your feedback.",
    },
    "feedback_thanks_negative": {
        "ar": "شكرا، سجلت ملاحظتك لتحسين الأجوبة. يمكنك إعادة صياغة السؤال أو طلب التحدث مع موظف.",
        "ary": "شكرا، سجلت الملاحظة باش نحسنو. تقدر تعاود السؤال بطريقة أخرى ولا تطلب تهضر مع موظف.",
        "fr": "Merci, c'est noté pour améliorer les réponses. Vous pouvez reformuler ou demander un agent.",
        "en": "Thanks, noted to improve the answers. You can rephrase or ask for a staff member.",
    },
    "hello": {"ar": "مرحبا!", "ary": "مرحبا بيك!", "fr": "Bonjour !", "en": "Hello!"},
    "which_one": {
        "ar": "عن أي موضوع تسأل بالضبط؟ اختر من فضلك:",
        "ary": "على شنو كتسول بالضبط؟ ختار عافاك:",
        "fr": "De quoi parlez-vous exactement ? Choisissez :",
        "en": "Which one do you mean? Please choose:",
    },
    "programme_no_such_day": {
        "ar": "هذا اليوم ليس من أيام الملتقى. هذا برنامج الملتقى كاملا:",
        "ary": "هاد النهار ماشي من الأيام ديال الملتقى. ها البرنامج كامل:",
        "fr": "Ce jour-là n'est pas un jour du forum. Voici tout le programme :",
        "en": "That day is not a forum day. Here is the whole programme:",
    },
    "programme_nothing_then": {
        "ar": "لا يوجد نشاط في هذا الوقت. هذا برنامج اليوم:",
        "ary": "ما كاين حتى نشاط فهاد الوقت. ها البرنامج ديال النهار:",
        "fr": "Rien n'est prévu à ce moment-là. Voici le programme de la journée :",
        "en": "Nothing is scheduled at that time. Here is the day's programme:",
    },
}

# Section keys of service documents (docs/architecture.md) as shown to the user.
SECTION_NAMES: dict[str, dict[str, str]] = {
    "what": {"ar": "ما هي", "ary": "شنو هي", "fr": "De quoi s'agit-il", "en": "What it is"},
    "where": {"ar": "أين", "ary": "فين", "fr": "Où", "en": "Where"},
    "steps": {"ar": "الخطوات", "ary": "الخطوات", "fr": "Étapes", "en": "Steps"},
    "papers": {"ar": "الوثائق المطلوبة", "ary": "الوراق اللي خاصين", "fr": "Pièces à fournir", "en": "Papers"},
    "cost": {"ar": "التكلفة", "ary": "الثمن", "fr": "Coût", "en": "Cost"},
    "delay": {"ar": "الآجال", "ary": "المدة", "fr": "Délai", "en": "Time frame"},
    "validity": {"ar": "الصلاحية", "ary": "الصلاحية", "fr": "Validité", "en": "Validity"},
    "link": {"ar": "الرابط", "ary": "الرابط", "fr": "Lien", "en": "Link"},
}


# What a clarifying question offers, as the user's variety names it: the forum and each service (canonical
# values of the `service` entity, docs/architecture.md).
SUBJECT_NAMES: dict[str, dict[str, str]] = {
    "forum": {"ar": "الملتقى", "ary": "الملتقى", "fr": "Le forum", "en": "The forum"},
    "civil_status": {"ar": "رسم الولادة", "ary": "عقد الازدياد", "fr": "Acte de naissance", "en": "Birth certificate"},
    "cnie": {
        "ar": "البطاقة الوطنية",
        "ary": "البطاقة الوطنية (لاكارط)",
        "fr": "CNIE (carte d'identité)",
        "en": "National ID card (CNIE)",
    },
    "passport": {"ar": "جواز السفر", "ary": "الباسبور (جواز السفر)", "fr": "Passeport", "en": "Passport"},
    "complaints": {
        "ar": "الشكايات",
        "ary": "الشكايات",
        "fr": "Réclamation (chikaya.ma)",
        "en": "Complaint (chikaya.ma)",
    },
    "urban_permits": {"ar": "رخص التعمير", "ary": "رخص البني", "fr": "Permis d'urbanisme", "en": "Building permits"},
    "rsu": {
        "ar": "السجل الاجتماعي الموحد",
        "ary": "السجل الاجتماعي",
        "fr": "RSU (registre social)",
        "en": "Social register (RSU)",
    },
    "access_information": {
        "ar": "الحصول على المعلومات",
        "ary": "الحصول على المعلومات",
        "fr": "Accès à l'information",
        "en": "Access to information",
    },
    "idarati": {"ar": "إدارتي", "ary": "إدارتي", "fr": "Idarati", "en": "Idarati"},
    "tax": {"ar": "الضرائب", "ary": "الضرائب", "fr": "Impôts (DGI)", "en": "Taxes (DGI)"},
    "cnss": {"ar": "الضمان الاجتماعي", "ary": "الضمان الاجتماعي (CNSS)", "fr": "CNSS", "en": "CNSS"},
    "personal_data": {
        "ar": "المعطيات الشخصية",
        "ary": "المعطيات الشخصية",
        "fr": "Données personnelles",
        "en": "Personal data",
    },
}


def t(key: str, lang: str | None, **values: str) -> str:
    """The string `key` in the variety `lang` is written in (falling back along `reply_chain`), formatted
    with `values`."""
    variants = STRINGS.get(key) or SECTION_NAMES.get(key) or SUBJECT_NAMES[key]
    code = next((code for code in reply_chain(written_variety(lang)) if code in variants), "")
    text = variants.get(code) or next(iter(variants.values()))
    return text.format(**values) if values else text


def section_name(key: str, lang: str | None) -> str:
    """How a service-document section is called in the user's language (the key itself if unknown)."""
    return t(key, lang) if key in SECTION_NAMES else key
