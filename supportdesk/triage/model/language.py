"""A cheap check that a text is English: the model was trained on English only."""

import re

WORDS = re.compile(r"[^\W\d_]+", re.UNICODE)
COMMON = frozenset(
    "the a an and or but is are was were be been i you we my our your it this that to of in on "
    "for with at from not no can can't cannot do does did have has had please help me us they "
    "when what how why where will would could should there here just all any some "
    # Casual and chat English ("hmm ok so yeah") and the stems of contractions ("don't").
    "ok okay yes yeah hi hello thanks thank need want get got still again now if by up out "
    "after only very don doesn didn isn won".split()
)
# Frequent words of the other languages tickets most often arrive in (Spanish, French,
# German, Portuguese, Italian, Dutch), leaving out those that also occur in English text
# ("no", "a", "die", "per", "come") or in its fragments ("com" of example.com, "non" of
# non-profit, "os"). Latin script alone cannot tell these languages from English.
FOREIGN = frozenset(
    "el la los las y que del una por para con mi su está estoy puedo tengo pero muy cuenta "
    "le les et est je ne pas une des du au mon ma mes vous nous avec pour dans sur cette "
    "der das und ist ich nicht ein eine mit den dem zu mein meine kann wir sie auf bitte "
    "uma meu minha não obrigado "
    "il che di sono mio mia grazie "
    "het een ik niet voor mijn".split()
)


def looks_english(text: str) -> bool:
    words = WORDS.findall(text.lower())
    if not words:
        return False
    latin = sum(1 for w in words if w.isascii())
    if latin / len(words) < 0.7:
        return False
    english = sum(1 for w in words if w in COMMON)
    foreign = sum(1 for w in words if w in FOREIGN)
    if foreign >= 2 and foreign > english:
        return False
    # Six words or more without one English function word is another language or noise;
    # fewer cannot be judged ("refund pls"), and terse English ("Router reboot loop
    # for ISR4331 post update") has few of them, so one is enough.
    return len(words) < 6 or english > 0
