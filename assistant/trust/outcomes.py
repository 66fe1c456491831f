"""The outcome check: the decision and status words of a generated text (approved / rejected / pending,
charged / not charged, substantiated / not substantiated, open / closed, pass / fail, in English, French,
German and Spanish) are looked up in the source sentences about the same subject, so "the request is pending"
where the minutes record it approved is flagged like an invented figure.

Each outcome word belongs to a class ("approved", "rejected", "pending", ...); a negation just before it turns
it into the opposite class ("not approved" is rejected). An outcome of the text is backed when the source
sentences that share its subject (two content words or more) state the same class. It is flagged when they
state another class of the same question (the source says "approved", the text "pending"), or when the source
never states that class at all. The API has the figure check's shape: ``check_outcomes(text, source)``, the
source being a text or its passages (as a library answer has them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.text.sentences import sentence_spans

# A status word counts only after a verb that states it ("the case remains open", "la séance est close"):
# "open tender", "closed session" and "école fermée" name things, they do not report a status.
_IS = (
    r"(?:is|are|was|were|remains?|remained|still|be|been|kept|left|est|sont|était|étaient|reste|restent|demeure|"
    r"a\s+été|ont\s+été|ist|sind|war|waren|bleibt|bleiben|wurde|wurden|está|están|estaba|sigue|queda|fue|fueron)"
    r"\s+(?:still\s+|now\s+|toujours\s+|noch\s+|aún\s+)?"
)
# class -> (the question it answers, its written forms as regex alternatives)
_CLASSES: dict[str, tuple[str, str]] = {
    "approved": ("decision", (
        r"approved?|approves|approving|approval|adopt(?:ed|s|ion)?|accepted|grant(?:ed|s)|carried|passed|"
        r"ratified|upheld|sustained|awarded|"
        r"approuv[ée]e?s?|adopt[ée]e?s?|accept[ée]e?s?|accord[ée]e?s?|valid[ée]e?s?|approbation|"
        r"genehmig\w*|angenommen|beschlossen|bewilligt|zugestimmt|befürwortet|"
        r"aprobad\w*|aprueba\w*|aceptad\w*|adoptad\w*|otorgad\w*|concedid\w*"
    )),
    "rejected": ("decision", (
        r"reject(?:ed|s|ion)?|refus(?:ed|al)|denied|denies|deny|dismiss(?:ed|al)|defeated|overturned|"
        r"disapproved|vetoed|rejet[ée]\w*|rejett?\w*|refus[ée]\w*|d[ée]bout[ée]\w*|"
        r"abgelehnt|zurückgewiesen|verworfen|rechazad\w*|denegad\w*|desestimad\w*"
    )),
    "pending": ("decision", (
        r"pending|deferred|postponed|tabled|awaiting|under\s+review|on\s+hold|not\s+yet\s+decided|"
        r"en\s+attente|report[ée]e?s?|diff[ée]r[ée]e?s?|en\s+suspens|"
        r"vertagt|zurückgestellt|ausstehend|pendiente\w*|aplazad\w*|pospuest\w*|en\s+espera"
    )),
    "charged": ("charge", (
        r"charged\s+with|indicted|prosecuted|charges\s+(?:were|have\s+been|had\s+been)\s+(?:filed|brought|laid|"
        r"pressed)|inculp[ée]\w*|mis\s+en\s+examen|angeklagt|imputad\w*|acusad\w*\s+de"
    )),
    "not charged": ("charge", (
        r"no\s+charges|not\s+(?:been\s+)?charged|uncharged|sans\s+poursuites?|keine\s+anklage|sin\s+cargos"
    )),
    "substantiated": ("finding", (
        r"substantiated|corroborated|bien[\s-]fond[ée]\w*|begründet|fundad[oa]s?"
    )),
    "unsubstantiated": ("finding", (
        r"unsubstantiated|unfounded|not\s+substantiated|infond[ée]\w*|non\s+fond[ée]\w*|unbegründet|"
        r"infundad\w*|no\s+fundad\w*"
    )),
    "open": ("status", rf"{_IS}(?:open|ongoing|unresolved|ouvert\w*|en\s+cours|offen|laufend|abiert\w*|en\s+curso)"),
    "closed": ("status", (
        rf"{_IS}(?:closed|resolved|cl[ôo]tur[ée]\w*|clos|close|closes|termin[ée]\w*|geschlossen|abgeschlossen|"
        r"erledigt|cerrad\w*|resuelt\w*)"
    )),
    "pass": ("test", (
        r"passed\s+(?:the\s+|its\s+|their\s+)?(?:inspection|test|audit|exam\w*|check)|compliant|conformes?|"
        r"réussi\w*|bestanden|aptos?"
    )),
    "fail": ("test", (
        r"failed\s+(?:the\s+|its\s+|their\s+)?(?:inspection|test|audit|exam\w*|check)|non[\s-]?compliant|"
        r"non[\s-]?conformes?|[ée]chou[ée]\w*|nicht\s+bestanden|durchgefallen|no\s+aptos?"
    )),
}
_OPPOSITE = {"approved": "rejected", "rejected": "approved", "charged": "not charged", "not charged": "charged",
             "substantiated": "unsubstantiated", "unsubstantiated": "substantiated", "pass": "fail",
             "fail": "pass", "open": "closed", "closed": "open"}
_PATTERN = re.compile(
    "|".join(rf"(?P<c{i}>\b(?:{forms})\b)" for i, (_question, forms) in enumerate(_CLASSES.values())),
    re.IGNORECASE,
)
_NAMES = list(_CLASSES)
#: "not approved", "n'a pas été adopté", "nicht genehmigt", "no fue aprobado": a negation up to three words before
#: ("No." and "No 37" number things).
_NEGATION = re.compile(
    r"(?:\b(?:not|never|non|ne|nicht|kein\w*|nunca)\b|\bn['’]\w*|\bno(?=\s+[^\W\d]))(?:[^\w.;:!?]+\w+){0,3}[^\w.;:!?]*$",
    re.IGNORECASE,
)
# A vote tally decides an item whose minutes give only numbers: "6 voix contre, 0 abstention, 5 pour" is rejected.
_FOR = r"(?:voix\s+)?pour|for|in\s+favou?r|yes|yeas|ayes|afirmativ[oa]s?|a\s+favor|ja|dafür|ja-stimmen"
_AGAINST = r"(?:voix\s+)?contre|against|no|nays|noes|opposed|negativ[oa]s?|en\s+contra|nein|dagegen|nein-stimmen"
# Both counts before their word ("5 pour, 6 contre") or both after it ("AFIRMATIVO 129 NEGATIVO 65").
_TALLIES = [
    tuple(re.compile(pattern.format(side), re.IGNORECASE) for side in (_FOR, _AGAINST))
    for pattern in (r"\b(\d+)\s+(?:voix\s+|votes?\s+)?(?:{})\b", r"\b(?:{})\s*:?\s*(\d+)\b")
]
_WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
_STOPWORD_TEXT = """
    this that with from have been were will would which their there they about after before other than then
    also into only such these those what when where while shall should could must being does
    dans pour avec sont être cette elle elles leur leurs mais plus tout tous toutes comme sera était
    über nach eine einer eines dass sind wird wurde wurden nicht auch oder sich dem den der die das
    para como esta este estos sobre fueron será entre pero también
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@dataclass(frozen=True)
class OutcomeFlag:
    """An outcome stated by the text that the source does not back; shaped like a flagged figure."""

    text: str  # as written in the generated text
    start: int
    end: int
    outcome: str  # its class: "approved", "pending", ...
    reason: str  # "the source says approved", "not found in the source"
    source_sentence: str | None = None  # the source sentence about the same subject, when there is one
    kind: str = "outcome"
    in_output: bool = True

    def as_dict(self) -> dict[str, object]:
        result: dict[str, object] = {"text": self.text, "kind": self.kind, "reason": self.reason,
                                     "start": self.start, "end": self.end, "outcome": self.outcome}
        if self.source_sentence:
            result["source_sentence"] = self.source_sentence
        return result


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    text: str
    outcome: str


def outcome_mentions(text: str) -> list[_Mention]:
    """The outcome words of ``text`` with their class, a negation before them taken into account."""
    mentions = []
    for match in _PATTERN.finditer(text):
        name = _NAMES[int(next(key for key, value in match.groupdict().items() if value)[1:])]
        start = match.start()
        negation = _NEGATION.search(text[max(0, start - 40) : start])
        if negation and not name.startswith(("not ", "un")):
            if name not in _OPPOSITE:
                continue  # "not pending" states no outcome
            name = _OPPOSITE[name]
            start = max(0, start - 40) + negation.start()
        mentions.append(_Mention(start, match.end(), text[start : match.end()], name))
    return mentions


def tally_outcome(sentence: str) -> str | None:
    """"approved" or "rejected" from a vote tally in ``sentence`` ("11 voix pour, 0 contre"), else None."""
    for ayes_pattern, noes_pattern in _TALLIES:
        ayes, noes = ayes_pattern.search(sentence), noes_pattern.search(sentence)
        if ayes and noes and int(ayes.group(1)) != int(noes.group(1)):
            return "approved" if int(ayes.group(1)) > int(noes.group(1)) else "rejected"
    return None


def _source_classes(sentence: str) -> set[str]:
    classes = {m.outcome for m in outcome_mentions(sentence)}
    tally = tally_outcome(sentence)
    return classes | {tally} if tally else classes


def _content_words(text: str) -> set[str]:
    # The first six letters stand for the word: "demolition" and "démolition" differ, "démolir" and
    # "démolition" share "démoli"; good enough to find the sentences about one subject.
    return {w.lower()[:6] for w in _WORD.findall(text) if w.lower() not in _STOPWORDS}


#: Longer than this, a source "sentence" spanning several lines is read line by line.
_LONG_SENTENCE_WORDS = 60


def _sentences(source: str | Sequence[str]) -> list[str]:
    """The source's sentences; a line with a vote tally ends one, so the tally stays with the item it decides
    (minutes often record "6 voix contre, 5 pour" on a line of its own, without a full stop)."""
    texts = [source] if isinstance(source, str) else list(source)
    sentences: list[str] = []
    for text in texts:
        current: list[str] = []
        for line in [*text.splitlines(), ""]:
            current.append(line)
            if line and not tally_outcome(line):
                continue
            piece = "\n".join(current)
            spans = sentence_spans(piece)
            if line and len(spans) >= 2:  # the tally joins the sentence before it, which names the item
                spans[-2:] = [(spans[-2][0], spans[-1][1])]
            for number, (start, end) in enumerate(spans):
                sentence = piece[start:end]
                # A "sentence" of many lines is a list or a form without full stops: its lines are the units
                # (except the one a tally ends, whose lines name the item the tally decides).
                tallied = bool(line) and number == len(spans) - 1
                long = len(sentence.split()) > _LONG_SENTENCE_WORDS and "\n" in sentence and not tallied
                sentences += [line for line in sentence.splitlines() if line.strip()] if long else [sentence]
            current = []
    return sentences


def check_outcomes(text: str, source: str | Sequence[str]) -> list[OutcomeFlag]:
    """Outcomes stated by ``text`` that ``source`` (a text, or its passages) does not back."""
    mentions = outcome_mentions(text)
    if not mentions:
        return []
    source_sentences = _sentences(source)
    classes_of = [_source_classes(s) for s in source_sentences]
    words_of = [_content_words(s) for s in source_sentences]
    anywhere = set().union(*classes_of) if classes_of else set()
    flags = []
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        in_sentence = [m for m in mentions if start <= m.start < end]
        if not in_sentence:
            continue
        subject = _content_words(_PATTERN.sub(" ", sentence))
        related = [i for i, words in enumerate(words_of) if len(subject & words) >= 2]
        related_classes = set().union(*(classes_of[i] for i in related)) if related else set()
        for mention in in_sentence:
            if mention.outcome in related_classes:
                continue
            question = _CLASSES[mention.outcome][0]
            other = sorted(c for c in related_classes if _CLASSES[c][0] == question)
            if len(other) == 1:  # the sentences about this subject give one other answer to the same question
                best = max(related, key=lambda i: (bool(classes_of[i] & set(other)), len(subject & words_of[i])))
                flags.append(OutcomeFlag(mention.text, mention.start, mention.end, mention.outcome,
                                         f"the source says {other[0]}", source_sentences[best]))
            elif mention.outcome not in anywhere:
                flags.append(OutcomeFlag(mention.text, mention.start, mention.end, mention.outcome,
                                         "not found in the source"))
    return flags


def outcome_warning(flags: Iterable[OutcomeFlag]) -> str:
    """'warning: 1 outcome not backed by the source: en attente (the source says approved)'; '' for none."""
    flags = list(flags)
    if not flags:
        return ""
    noun = "outcome" if len(flags) == 1 else "outcomes"
    listed = ", ".join(f"{flag.text} ({flag.reason})" for flag in flags)
    return f"warning: {len(flags)} {noun} not backed by the source: {listed}"
