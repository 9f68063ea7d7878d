"""Everyday questions that are NOT about the forum or public services: the yardstick for refusing.

Multilingual e5 gives every question a high similarity to every other question (0.80-0.93), so a raw
similarity cannot tell "how much is the passport?" from "will it rain tomorrow?". A question is answered
only when it is clearly closer to the documents than to these generic chit-chat topics (weather, food,
sport, films, health, travel, jokes, general knowledge); see `knowledge.search.KnowledgeBase._confident`.
They are deliberately generic and are never matched as answers.
"""

from __future__ import annotations

BACKGROUND = (
    "how hot will it be this weekend",
    "is it going to rain",
    "best restaurant near me",
    "how to make couscous",
    "give me a recipe for dinner",
    "who is the best football player",
    "what is the score of the game",
    "recommend a song",
    "tell me something funny",
    "what is the capital of France",
    "how do I lose weight",
    "I have a headache what should I take",
    "book me a flight to Paris",
    "what time is it",
    "how old are you, do you love me",
    "translate this sentence into English",
    "write me a poem",
    "solve this equation for me",
    "what is the price of bitcoin",
    "where can I buy cheap clothes",
    "il va pleuvoir ce week-end ?",
    "une bonne recette pour ce soir",
    "qui est le meilleur joueur du monde",
    "raconte moi une histoire drole",
    "quel film regarder ce soir",
    "comment perdre du poids rapidement",
    "c'est quoi la capitale de l'Espagne",
    "j'ai mal à la tête que faire",
    "كيف حال الجو هذا الأسبوع",
    "أعطني وصفة لطبق العشاء",
    "من هو أفضل لاعب كرة قدم في العالم",
    "احك لي قصة مضحكة",
    "ما هي عاصمة فرنسا",
    "كيف أفقد الوزن بسرعة",
    "واش غادي تشتا هاد السيمانة",
    "شنو نطيب اليوم للعشا",
    "شكون حسن لاعب فالعالم",
    "حكي ليا شي حاجة تضحك",
    "wach ghadi tchta had simana",
    "chno ntayeb lyoum",
    "chkoun a7ssan la3ib",
    "7ki lia chi 7aja tdhe7k",
    "fin kayn chi restaurant mzyan",
)
