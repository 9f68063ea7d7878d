"""Every user-visible string the actions send, in the five language codes of docs/architecture.md.

One table instead of strings scattered in the actions, so a translator edits one file and a missing
variant falls back to a language the user can still read (`nlu.languages.reply_chain`: ary_Latn -> ary -> ar,
en -> fr). Dates are written by `nlu.dates`.
"""
from __future__ import annotations

from nlu.languages import reply_chain

STRINGS: dict[str, dict[str, str]] = {
    "source": {"ar": "المصدر", "ary": "المصدر", "ary_Latn": "L masdar", "fr": "Source", "en": "Source"},
    "more_at": {"ar": "للمزيد", "ary": "كثر من المعلومات", "ary_Latn": "Ktar mn l ma3lomat",
                "fr": "Plus d'informations", "en": "More information"},
    "useful": {"ar": "هل كان هذا الجواب مفيدا؟", "ary": "واش هاد الجواب نفعك؟", "ary_Latn": "Wach had l jawab nf3ek?",
               "fr": "Cette réponse vous a-t-elle aidé ?", "en": "Was this answer helpful?"},
    "see_also": {"ar": "قد يهمك أيضا:", "ary": "يمكن يهمك حتى:", "ary_Latn": "Ymken yhmmek hta:",
                 "fr": "Voir aussi :", "en": "See also:"},
    "en_note": {"en": "(No English document on this yet: here is the French one.)"},
    "not_found": {
        "ar": "عذرا، لم أجد جوابا موثوقا عن سؤالك في وثائقي. سجلت سؤالك ليطلع عليه الفريق.",
        "ary": "سمح ليا، ما لقيتش جواب مضمون على السؤال ديالك فالوثائق ديالي. سجلت السؤال باش يشوفو الفريق.",
        "ary_Latn": "Smeh liya, ma l9itch jawab madmoun 3la so2al dyalek f l watha2i9 dyali. Sajalt so2al bach ychoufo l fari9.",
        "fr": "Désolé, je n'ai pas trouvé de réponse fiable dans mes documents. J'ai noté votre question pour l'équipe.",
        "en": "Sorry, I found no reliable answer in my documents. I have noted your question for the team."},
    "ask_office": {"ar": "يمكنك الاستفسار لدى", "ary": "تقدر تسول", "ary_Latn": "T9der tsoul",
                   "fr": "Vous pouvez vous renseigner auprès de", "en": "You can ask"},
    "portal": {"ar": "البوابة", "ary": "البوابة", "ary_Latn": "L bawaba", "fr": "Portail", "en": "Portal"},
    "section_missing": {
        "ar": "هذه المعلومة ({section}) غير متوفرة في وثائقي، ولن أخمنها.",
        "ary": "هاد المعلومة ({section}) ما كايناش فالوثائق ديالي، وما نقدرش نخمن فيها.",
        "ary_Latn": "Had l ma3louma ({section}) ma kaynach f l watha2i9 dyali, w ma n9derch nkhemmen fiha.",
        "fr": "Cette information ({section}) ne figure pas dans mes documents, je préfère ne pas l'inventer.",
        "en": "This information ({section}) is not in my documents, and I will not guess it."},
    "which_service": {
        "ar": "عن أي خدمة تسأل؟ مثلا: رسم الولادة، البطاقة الوطنية، جواز السفر، الشكايات، رخص التعمير، السجل الاجتماعي الموحد.",
        "ary": "على أنا خدمة كتسول؟ بحال: عقد الازدياد، لاكارط ناسيونال، الباسبور، الشكايات، رخص البني، السجل الاجتماعي.",
        "ary_Latn": "3la ina khidma katsoul? B7al: 3a9d l izdiyad, la carte nationale, l passport, chikaya, rokhsa dyal l bni, RSU.",
        "fr": "Pour quel service ? Par exemple : acte de naissance, CNIE, passeport, réclamation, permis de construire, RSU.",
        "en": "Which service? For example: birth certificate, national ID card, passport, complaint, building permit, RSU."},
    "provisional": {"ar": "مؤقت", "ary": "مؤقت", "ary_Latn": "mazal ma t2akkedch", "fr": "provisoire",
                    "en": "provisional"},
    "programme_intro": {"ar": "برنامج الملتقى", "ary": "البرنامج ديال الملتقى", "ary_Latn": "L programme dyal l forum",
                        "fr": "Programme du forum", "en": "Forum programme"},
    "forum_past": {
        "ar": "انعقد الملتقى يوم {dates}.",
        "ary": "الملتقى تدار نهار {dates}.",
        "ary_Latn": "L forum tdar nhar {dates}.",
        "fr": "Le forum a eu lieu les {dates}.",
        "en": "The forum took place on {dates}."},
    "programme_provisional_note": {
        "ar": "البلاغ الرسمي لم يحدد التوقيت: كل ما هو موسوم «مؤقت» تقديري فقط.",
        "ary": "البلاغ الرسمي ما عطاش الساعات: داكشي اللي مكتوب عليه «مؤقت» غير تقدير.",
        "ary_Latn": "L blagh rasmi ma 3tach sa3at: dakchi li mktoub 3lih \"mazal ma t2akkedch\" ghir ta9dir.",
        "fr": "Le communiqué officiel ne donne pas d'horaires : tout ce qui est marqué « provisoire » est une estimation.",
        "en": "The official release gives no times: anything marked \"provisional\" is an estimate."},
    "programme_empty": {
        "ar": "لا يوجد في البرنامج نشاط يطابق طلبك.",
        "ary": "ما كاين فالبرنامج حتى نشاط بحال اللي طلبتي.",
        "ary_Latn": "Ma kayn f l programme hta nachat b7al li tlabti.",
        "fr": "Aucune activité du programme ne correspond à votre demande.",
        "en": "No programme item matches your request."},
    "handoff": {
        "ar": "سأحول طلبك إلى فريق بشري. للتواصل مباشرة مع موظف:",
        "ary": "غادي نوصل الطلب ديالك لفريق ديال الناس. باش تتواصل مع موظف مباشرة:",
        "ary_Latn": "Ghadi nwasel talab dyalek l fari9 dyal nnas. Bach tetwasel m3a chi mowadaf (agent) nichan:",
        "fr": "Je transmets votre demande à l'équipe. Pour parler directement à un agent, contactez :",
        "en": "I am passing your request to the team. To talk directly to a staff member (agent), contact:"},
    "handoff_recorded": {
        "ar": "تم تسجيل طلبك (رقم المحادثة محفوظ)، وسيتواصل معك الفريق إن أمكن.",
        "ary": "تسجل الطلب ديالك، والفريق غادي يتواصل معاك إلا أمكن.",
        "ary_Latn": "Tsajel talab dyalek, w l fari9 ghadi ytwasel m3ak ila amkan.",
        "fr": "Votre demande est enregistrée ; l'équipe vous recontactera si possible.",
        "en": "Your request is recorded; the team will get back to you if possible."},
    "feedback_thanks_positive": {
        "ar": "العفو، وشكرا على تقييمك!", "ary": "العفو، وشكرا على الرأي ديالك!",
        "ary_Latn": "L3afw, w choukran 3la ra2y dyalek!",
        "fr": "Avec plaisir, et merci pour votre avis !", "en": "You're welcome, glad it helped! Thanks for your feedback."},
    "feedback_thanks_negative": {
        "ar": "شكرا، سجلت ملاحظتك لتحسين الأجوبة. يمكنك إعادة صياغة السؤال أو طلب التحدث مع موظف.",
        "ary": "شكرا، سجلت الملاحظة باش نحسنو. تقدر تعاود السؤال بطريقة أخرى ولا تطلب تهضر مع موظف.",
        "ary_Latn": "Choukran, sajalt l molahada bach nhasno. T9der t3awd so2al b tari9a okhra wla tatlob thder m3a mowadaf.",
        "fr": "Merci, c'est noté pour améliorer les réponses. Vous pouvez reformuler ou demander un agent.",
        "en": "Thanks, noted to improve the answers. You can rephrase or ask for a staff member."},
}

# Section keys of service documents (docs/architecture.md) as shown to the user.
SECTION_NAMES: dict[str, dict[str, str]] = {
    "what": {"ar": "ما هي", "ary": "شنو هي", "ary_Latn": "Chno hiya", "fr": "De quoi s'agit-il", "en": "What it is"},
    "where": {"ar": "أين", "ary": "فين", "ary_Latn": "Fin", "fr": "Où", "en": "Where"},
    "steps": {"ar": "الخطوات", "ary": "الخطوات", "ary_Latn": "L khatawat", "fr": "Étapes", "en": "Steps"},
    "papers": {"ar": "الوثائق المطلوبة", "ary": "الوراق اللي خاصين", "ary_Latn": "L wra9 li khasin",
               "fr": "Pièces à fournir", "en": "Papers"},
    "cost": {"ar": "التكلفة", "ary": "الثمن", "ary_Latn": "Taman", "fr": "Coût", "en": "Cost"},
    "delay": {"ar": "الآجال", "ary": "المدة", "ary_Latn": "L modda", "fr": "Délai", "en": "Time frame"},
    "validity": {"ar": "الصلاحية", "ary": "الصلاحية", "ary_Latn": "Salahiya", "fr": "Validité", "en": "Validity"},
    "link": {"ar": "الرابط", "ary": "الرابط", "ary_Latn": "Rabit", "fr": "Lien", "en": "Link"},
}


def t(key: str, lang: str | None, **values: str) -> str:
    """The string `key` in `lang` (falling back along `reply_chain`), formatted with `values`."""
    variants = STRINGS.get(key) or SECTION_NAMES[key]
    code = next((code for code in reply_chain(lang) if code in variants), "")
    text = variants.get(code) or next(iter(variants.values()))
    return text.format(**values) if values else text


def section_name(key: str, lang: str | None) -> str:
    """How a service-document section is called in the user's language (the key itself if unknown)."""
    return t(key, lang) if key in SECTION_NAMES else key

