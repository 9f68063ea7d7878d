"""The bot's own sentences (not answers: those come from Rasa) in the four languages a user can choose."""

from __future__ import annotations

from nlu.languages import VARIETIES, reply_chain

LANGUAGES = {"ar": "العربية", "ary": "الدارجة", "fr": "Français", "en": "English"}
DEFAULT_LANGUAGE = "ar"

_TEXTS: dict[str, dict[str, str]] = {
    "welcome": {
        "ar": "مرحبا بكم في مساعد بركان! اسألوني عن الملتقى الدولي حول المدن الذكية أو عن الخدمات العمومية الرقمية. اختاروا لغتكم:",
        "ary": "مرحبا بيك فمساعد بركان! سولني على الملتقى ديال المدن الذكية ولا على الخدمات الإدارية فالأنترنيت. ختار اللغة ديالك:",
        "fr": "Bienvenue sur l'assistant de Berkane ! Posez vos questions sur le Forum international des villes intelligentes ou sur les services publics en ligne. Choisissez votre langue :",
        "en": "Welcome to the Berkane assistant! Ask about the International Forum on Smart Cities or Morocco's online public services. Choose your language:",
    },
    "language_set": {
        "ar": "تم اختيار العربية. اكتبوا سؤالكم.",
        "ary": "مزيان، غادي نهضرو بالدارجة. كتب السؤال ديالك.",
        "fr": "C'est noté : français. Écrivez votre question.",
        "en": "Done: English. Type your question.",
    },
    "help": {
        "ar": "اكتبوا سؤالكم بالعربية أو الدارجة أو الفرنسية أو الإنجليزية.\n/programme [اليوم] برنامج الملتقى\n/services الخدمات الرقمية\n/lang تغيير اللغة\n/ask [سؤال] في المجموعات: اذكروني (@) أو ردوا على رسالتي",
        "ary": "كتب السؤال ديالك بالدارجة (بالحروف العربية ولا اللاتينية) ولا بالعربية ولا بالفرنسية.\n/programme [النهار] البرنامج ديال الملتقى\n/services الخدمات فالأنترنيت\n/lang بدل اللغة\n/ask [السؤال] فالمجموعات: سميني (@) ولا جاوب على الميساج ديالي",
        "fr": "Écrivez votre question en arabe, en darija, en français ou en anglais.\n/programme [jour] programme du forum\n/services services en ligne\n/lang changer de langue\n/ask [question] dans un groupe : mentionnez-moi (@) ou répondez à mon message",
        "en": "Type your question in Arabic, Darija, French or English.\n/programme [day] forum programme\n/services online services\n/lang change language\n/ask [question] in a group: mention me (@) or reply to my message",
    },
    "choose_language": {
        "ar": "اختاروا اللغة:",
        "ary": "ختار اللغة:",
        "fr": "Choisissez la langue :",
        "en": "Choose the language:",
    },
    "services": {
        "ar": "اختاروا خدمة:",
        "ary": "ختار شي خدمة:",
        "fr": "Choisissez un service :",
        "en": "Choose a service:",
    },
    "unavailable": {
        "ar": "الخدمة غير متاحة مؤقتا، المرجو المحاولة بعد قليل.",
        "ary": "السيستام ما خدامش دابا، عاود جرب من بعد شوية.",
        "fr": "Le service est momentanément indisponible, réessayez dans un instant.",
        "en": "The service is temporarily unavailable, please try again shortly.",
    },
    "slow_down": {
        "ar": "رسائل كثيرة في وقت قصير. المرجو التمهل قليلا.",
        "ary": "بشوية عليا، بزاف ديال الميساجات. تسنى شوية عافاك.",
        "fr": "Beaucoup de messages d'un coup : merci de ralentir un peu.",
        "en": "That is a lot of messages at once: please slow down a little.",
    },
    "unsupported": {
        "ar": "أقرأ الرسائل النصية فقط. المرجو كتابة سؤالكم.",
        "ary": "كنقرا غير الكتابة. كتب ليا السؤال ديالك عافاك.",
        "fr": "Je ne lis que les messages écrits. Écrivez-moi votre question.",
        "en": "I can only read text messages. Please type your question.",
    },
    "unknown_command": {
        "ar": "أمر غير معروف. اكتبوا /help لمعرفة الأوامر.",
        "ary": "هاد الأمر ما عرفتوش. كتب /help باش تشوف الأوامر.",
        "fr": "Commande inconnue. Tapez /help pour la liste.",
        "en": "Unknown command. Type /help for the list.",
    },
    "ask_usage": {
        "ar": "اكتبوا السؤال بعد الأمر، مثلا: /ask متى ينعقد الملتقى؟",
        "ary": "كتب السؤال من بعد الأمر، بحال: /ask فوقاش الملتقى؟",
        "fr": "Écrivez la question après la commande, par exemple : /ask Quand a lieu le forum ?",
        "en": "Type the question after the command, for example: /ask When is the forum?",
    },
    "not_admin": {
        "ar": "هذا الأمر مخصص للمشرفين.",
        "ary": "هاد الأمر غير للمسؤولين.",
        "fr": "Cette commande est réservée aux administrateurs.",
        "en": "This command is for administrators only.",
    },
    "forget_confirm": {
        "ar": "هل تريدون حذف محادثتكم مع المساعد (الرسائل والتقييمات وطلبات التواصل)؟ لا يمكن التراجع عن ذلك.",
        "ary": "بغيتي نمسحو المحادثة ديالك مع المساعد (الميساجات والتقييمات والطلبات)؟ ما يمكنش نرجعوها.",
        "fr": "Effacer votre conversation avec l'assistant (messages, avis et demandes de contact) ? C'est définitif.",
        "en": "Erase your conversation with the assistant (messages, ratings and contact requests)? "
        "This cannot be undone.",
    },
    "forget_yes": {"ar": "نعم، احذفوا", "ary": "إيه، مسح", "fr": "Oui, effacer", "en": "Yes, erase"},
    "forget_done": {
        "ar": "تم حذف محادثتكم ({count} عنصر). الرسالة القادمة تبدأ محادثة جديدة.",
        "ary": "تمسحات المحادثة ديالك ({count} حاجة). الميساج الجاي غادي يبدا محادثة جديدة.",
        "fr": "Votre conversation est effacée ({count} éléments). Le prochain message commence une nouvelle "
        "conversation.",
        "en": "Your conversation is erased ({count} items). Your next message starts a new conversation.",
    },
    "no_programme": {
        "ar": "لا يوجد برنامج لهذا اليوم.",
        "ary": "ما كاين حتى برنامج فهاد النهار.",
        "fr": "Pas de programme pour ce jour.",
        "en": "No programme for that day.",
    },
}


def text(key: str, language: str | None) -> str:
    """The sentence `key` in `language` (Arabizi users get Darija, along `reply_chain`; anything unknown or no
    choice yet gets Arabic, the bot's default)."""
    variants = _TEXTS[key]
    chain = reply_chain(language) if language in VARIETIES else [DEFAULT_LANGUAGE]
    return next((variants[code] for code in chain if code in variants), variants[DEFAULT_LANGUAGE])
