"""What kind of answer a question wants, read from its frame words: a "when" or a "which evening" wants a date (a
day of the week is one), a "how many", "how much" or "how big" a figure, a "how long must" or "within how many
days" a length of time (a figure and its unit, or an end point: "within fourteen (14) days", "until 30 June"; a
docket number is none), a "how often" a frequency (a figure alone is none; "common", "each month" are), a "who" or
a "which" a name or a code. A sentence
that holds the wanted kind is more likely the one that answers (benchmarks/ask.py), so the extractive choice of
the answering sentence prefers it. English, French, German, Spanish, Italian and Dutch frames, and Portuguese, Polish,
Czech and Russian ones (with their months as a date gives them; and "3 de maio", "3 de mayo" are dates); a question
with none of them wants anything. Those four, measured without a model on every question set and round 11's (259
answerable): the quote right 155 -> 156 (a Polish "do kiedy" got the invitation's reply-by date, not its title), at the
right file and page 212 -> 213, none lost.

A model's answer to a question that asks for a count or an amount must give a figure, one that asks for a length
of time a figure and its unit or an end point ("binnen welke termijn" is not answered by a date), one to a "who"
must name someone the question does not, and one to a "what did it decide on the protest" must state an outcome
the question does not (``gives_wanted``): "The maximum sum insured is defined in the product sheet", "A council
member was appointed to fill the vacancy" or "GAO decided to protest the rejection" answers nothing, however well
it reads.
"""

from __future__ import annotations

import re

from assistant.library.question import fold, is_name
from assistant.trust.outcomes import outcome_mentions

DATE = "date"
FIGURE = "figure"
NAME = "name"
FREQUENCY = "frequency"
DURATION = "duration"
CONSEQUENCE = "consequence"

#: Frames of a question, folded (lower case, no accents), each with the kind it asks for; the first match wins
#: ("how often" before the figures, figures before dates: "how many people were killed when ..." wants a figure).
_FRAMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "What happens if …", "What will the court do if …": what follows from an act or a failure to act.
    (CONSEQUENCE, re.compile(
        r"\b(what (happens|will happen|would happen|happened) (to \w[\w\s'’-]* )?if|what if|"
        r"what (will|would|can|could|may|must|does|do|shall) \w[\w\s'’-]* do (to \w[\w\s'’-]* )?if|"
        r"what (is|are) the (consequences?|penalty|penalties|sanctions?) (of|for|if)|"
        r"que se passe-t-il (si|en cas)|qu'arrive-t-il (si|en cas)|quelles? (sont les |est la )?"
        r"(consequences?|sanctions?) (de|si|en cas)|was (passiert|geschieht),? wenn|welche (folgen|konsequenzen|"
        r"sanktionen) (hat|haben)|que (pasa|sucede|ocurre) si|que consecuencias|cosa succede se|"
        r"quali conseguenze|wat gebeurt er (als|indien|wanneer)|welke gevolgen)\b")),
    # "How often …" is answered by a figure ("every 3 weeks") or by words alone ("common", "each month").
    (FREQUENCY, re.compile(
        r"\b(how (often|frequently|regularly)|at what (interval|frequency)|a quelle frequence|combien de fois|"
        r"tous les combien|wie (oft|haufig)|in welche[nm] (abstanden|abstand|rhythmus)|con que frecuencia|"
        r"cada cuanto|cuantas veces|ogni quanto|con quale frequenza|quante volte|hoe (vaak|dikwijls))\b")),
    (FIGURE, re.compile(
        r"\b(how (many|much|long|far|big|large|tall|wide|high|heavy|deep|old)|"
        r"what (amount|share|percentage|rate|dose|sum|price|fee|hourly rate|number)|"
        r"which (amount|share|percentage|rate|dose)|up to (what|how much)|by how much|"
        r"within how many|below which|above which|combien|quel(le)? (montant|part|taux|somme|dose|prix|nombre)|"
        r"a partir de quel montant|en dessous de quel|wie (viel|viele|hoch|lange)|welche[rsn]? (betrag|summe)|"
        r"cuant[oa]s?|que cantidad|quanto|quanti|quante|di quanto|hoeveel|welk bedrag|binnen welke termijn|"
        # Portuguese, Polish, Czech, Russian (folded: "ilu", "сколько")
        r"quant[oa]s|qual (o|a) (valor|montante|preco|taxa|percentagem)|jak(a|i) (kwota|cena|op[lł]ata|stawka|"
        r"procent)|kolik|jak(a|y) (castka|cena|poplatek)|сколько|какова (сумма|стоимость|цена)|каков(ои)? (размер|"
        r"процент))\b|^\W*(ile|ilu)\b"  # Polish "ile" first: the French "île" folds to it too
        r"|\b(what|which|quel\w*|welche?\w*|cual\w*|qual\w*)\b.*\b(cost|price|amount|dose|rate|percentage|fee|sum|"
        r"montant|prix|taux|somme|betrag|summe|precio|importe|importo|prezzo|premio|bedrag|prijs)\b")),
    (DATE, re.compile(
        r"\b(when|until when|by (what|which) date|from (what|which) date|what date|which date|what day|"
        r"(what|which) (day|evening|morning|afternoon|night|weekday)|"
        r"quand|a quelle date|jusqu'?(a|au) quand|depuis quand|quel jour|wann|bis wann|ab wann|an welchem tag|"
        r"quel (soir|matin)|an welchem (abend|wochentag)|que (dia|noche)|quale (giorno|sera)|welke (dag|avond)|"
        r"cuando|hasta cuando|en que fecha|quando|entro quando|wanneer|tot wanneer|op welke datum|"
        r"ate quando|em que data|que dia|kiedy|do kiedy|od kiedy|jakiego dnia|kdy|do kdy|od kdy|"
        r"когда|до какого (числа|дня|срока)|какого числа|в какои день|с какого (числа|дня))\b")),
    # "which seal kit", "welche Teile": a particular one, named or coded.
    (NAME, re.compile(r"\b(who|whom|whose|which|qui|quien|wer|chi|welche[rsnm]?|welke|quale|cual|quem|kto|kogo|"
                      r"ktor[aey]|kdo|kter[aey]|кто|кого|како(и|е|я)|какие|которы(и|е|я))\b")),
)

_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre "
    "januar februar marz juni juli oktober dezember "
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre "
    "gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre "
    "januari februari maart mei augustus "
    # Portuguese; Polish, Czech and Russian in a date's genitive (folded)
    "janeiro fevereiro marco maio junho julho setembro outubro novembro dezembro "
    "stycznia lutego marca kwietnia maja czerwca lipca sierpnia wrzesnia pazdziernika listopada grudnia "
    "ledna unora brezna dubna kvetna cervna cervence srpna zari rijna listopadu prosince "
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
)
_WEEKDAYS = (
    "monday tuesday wednesday thursday friday saturday sunday "
    "lundi mardi mercredi jeudi vendredi samedi dimanche "
    "montag dienstag mittwoch donnerstag freitag samstag sonntag "
    "lunes martes miercoles jueves viernes sabado domingo "
    "lunedi martedi mercoledi giovedi venerdi sabato domenica "
    "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag"
)
#: A date, or a day of the week, which answers a "when" as a date does ("le mercredi soir").
_MONTH_NAMES = "|".join(sorted(set(_MONTHS.split()), key=len, reverse=True))
_DATE = re.compile(
    r"\b(" + _MONTH_NAMES + r")\b\.?\s*\d{1,4}"
    r"|\b\d{1,2}(st|nd|rd|th|er)?\.?\s+(de\s+)?(" + _MONTH_NAMES + r")\b"
    r"|\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b"
    r"|\b(" + "|".join(_WEEKDAYS.split()) + r")\b",
)
_FIGURE = re.compile(r"\d")
#: How often something happens (folded): "common", "each month", "twice a year", "zweimal jährlich", "cada semana";
#: a figure alone is no frequency ("14 March 2024").
_FREQUENT = re.compile(
    r"\b(common|uncommon|rare\w*|frequent\w*|often|always|never|usually|occasional\w*|hourly|daily|weekly|"
    r"fortnightly|monthly|quarterly|yearly|annual\w*|every|each|once|twice|times|regularly|courant\w*|"
    r"quotidien\w*|hebdomadaire\w*|mensuel\w*|trimestriel\w*|annuel\w*|chaque|tous les|toutes les|fois|"
    r"haufig\w*|gelegentlich|selten\w*|taglich\w*|wochentlich\w*|monatlich\w*|vierteljahrlich\w*|jahrlich\w*|"
    r"jede[nrsm]?|alle (\d+|zwei|drei|vier|sechs) \w+|(ein|zwei|drei|vier|mehr|jedes)mal\w*|immer|"
    r"frecuente\w*|raro|rara|diari\w*|semanal\w*|mensual\w*|trimestral\w*|anual\w*|"
    r"cada|veces|siempre|nunca|ogni|volte|giornalier\w*|settimanal\w*|mensil\w*|vaak|zelden|dagelijks|"
    r"wekelijks|maandelijks|jaarlijks|elke|iedere|keer|"
    r"(a|an|per|par|pro|al|por|a la) (day|week|month|year|jour|semaine|mois|an|tag|woche|monat|jahr|"
    r"dia|semana|mes|ano|giorno|settimana|mese|anno|dag|maand|jaar))\b")
#: Questions that ask for a count or an amount (not "how long" or "how often": "two days later", "common").
_COUNT = re.compile(
    r"\b(how (many|much)|what (amount|sum|number|percentage|share)|which (amount|percentage|share)|by how much|"
    r"combien|quel(le)? (montant|somme|nombre)|a partir de quel montant|wie (viel|viele|hoch)|"
    r"welche[rsn]? (betrag|summe)|cuant[oa]s?|que cantidad|quant[oiae]s?|hoeveel|welk bedrag|kolik|"
    r"сколько)\b|^\W*(ile|ilu)\b")
#: Questions that ask who: they start with the question word (French "qui" is also a relative pronoun).
_WHO = re.compile(r"^\W*(who|whom|whose|qui|wer|wem|wen|quien(es)?|chi|quem|kto|kogo|kdo|кто|кого)\b")
#: Questions that ask for a length of time ("within how many days", "binnen welke termijn", "dans quel délai", "wie
#: lange"; "how long" only before a verb or "after"/"before": "how long is the pipe" asks for a length), folded.
_DURATION = re.compile(
    r"\b(for how long|how long (after|before|ago|must|does|do|did|will|would|should|can|could|may|has|have|had)|"
    r"(within|after|for|in) how many (days|weeks|months|years|hours|minutes)|"
    r"dans quel delai|en combien de temps|depuis combien de temps|pendant combien de temps|"
    r"combien de (jours|semaines|mois|annees|heures)|wie lange|innerhalb welcher frist|binnen welke termijn|"
    r"hoe lang|en que plazo|(durante )?cuanto tiempo|cuant[oa]s (dias|semanas|meses|anos|horas)|"
    r"per quanto tempo|entro quanto tempo|quanti (giorni|mesi|anni)|por quanto tempo|em quanto tempo|"
    r"(em|dentro de) quantos (dias|meses)|quantos (dias|meses|anos)|jak d[lł]ugo|w ciagu ilu|przez ile|"
    r"jak dlouho|po jakou dobu|как долго|в течение какого|за сколько|сколько (днеи|времени|месяцев|лет))\b")
#: An end point or a span answers a length of time too ("until the end of the event", "bis zum
#: Veranstaltungsbeginn", "from May to June"), as does a life or no limit ("for the insured's whole life", "à vie").
_UNTIL = re.compile(
    r"\b(until|till|up to|through|bis|jusqu|hasta|fino|tot|as long as|tant que|solange|mientras|"
    r"life|lifetime|vie|vita|vida|lebenslang|lebzeiten|indefinite\w*|permanent\w*|unlimited|illimit\w*|"
    r"ilimitad\w*|unbefristet|unbegrenzt)\b|\bfrom\b.*\bto\b|\bdu\b.*\bau\b|\bvon\b.*\bbis\b|\bdal?\b.*\bal\b")
#: Questions that ask what was decided or found: "What did GAO decide on the protest?", "What was the outcome of the
#: appeal?", "Qu'a décidé le conseil ?", "Was wurde beschlossen?", "¿Qué resolvió la cámara?" (folded).
_DECIDE = re.compile(
    r"\b(what (did|does|do|has|have) \w[\w\s'’-]*\b(decide|rule|conclude|find|hold|resolve|determine)|"
    r"what (was|is|were|are) the (decision|outcome|result|ruling|verdict|finding|disposition)s?|"
    r"how did \w[\w\s'’-]*\b(rule|decide)|"
    r"qu'?(a|ont) (decide|conclu|resolu|juge)|quel(le)? (a ete|est|fut) (la decision|l'issue|le resultat)|"
    r"was (hat|haben|wurde) \w[\w\s-]*\b(beschlossen|entschieden|entschied)|wie (hat|wurde) \w[\w\s-]*\bentschieden|"
    r"que (decidio|resolvio|dictamino)|cual (fue|es) (la decision|el resultado|el fallo)|cosa ha deciso|"
    r"wat (heeft|hebben|besloot|besloten))\b")
#: ... on something put to a decision: a protest, an appeal, an application, a request, a claim … Asked what a
#: board decided with no such thing named, "it decided to hire a new director" is an answer.
_PUT_TO_DECISION = re.compile(
    r"\b(protest|appeal|application|request|claim|motion|petition|complaint|objection|proposal|permit|bid|"
    r"demande|recours|requete|plainte|reclamation|proposition|permis|antrag|einspruch|widerspruch|beschwerde|"
    r"klage|gesuch|solicitud|recurso|demanda|reclamacion|propuesta|permiso|ricorso|domanda|richiesta|reclamo|"
    r"aanvraag|bezwaar|verzoek|beroep)")
#: Verbs that state what was decided without an outcome check's word ("voted to hire", "agreed to", "ordered the
#: repair", "a accepté", "hat zugestimmt", "acordó"), folded.
_DECIDED = re.compile(
    r"\b(agreed|voted|chose|chosen|selected|ordered|authori[sz]ed|resolved|instructed|required|declined|allowed|"
    r"permitted|upheld|remanded|reversed|affirmed|vacated|withdrew|withdrawn|concluded|found|held|ruled|"
    r"convenu|vote|votee?s?|autorise|ordonne|confirme|annule|retenu|"
    r"zugestimmt|abgestimmt|angeordnet|bestatigt|aufgehoben|entschieden|"
    r"acordo|acordado|voto|votado|autorizo|ordeno|confirmo|revoco|anulo|"
    r"deciso|approvato|respinto|besloten|goedgekeurd|afgewezen|ingestemd)\b")
#: Number words from one to twelve, the teens of most of the languages of the frames, the tens and the round ones:
#: "ten days", "deux ans", "vierzehn Tage", "sixty days" (a deadline as statutes write it), "noventa dias".
_NUMBER_WORD_TEXT = """one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety treize quatorze quinze seize
    dreizehn vierzehn funfzehn sechzehn siebzehn achtzehn neunzehn trece catorce quince dieciseis tredici quattordici
    quindici dertien veertien vijftien
    soixante septante nonante vingts dreißig dreissig vierzig funfzig sechzig siebzig achtzig neunzig treinta cuarenta
    cincuenta sesenta setenta ochenta noventa trenta quaranta cinquanta sessanta settanta ottanta novanta dertig
    veertig vijftig zestig zeventig tachtig negentig dois duas sete oito nove dez doze treze catorze dezesseis
    dezasseis vinte trinta quarenta sessenta oitenta cem
    hundred thousand million billion half dozen un une deux trois quatre cinq six sept huit neuf dix onze douze vingt
    trente cent mille milliard ein eine einen zwei drei vier funf sechs sieben acht neun zehn elf zwolf zwanzig
    hundert tausend milliarde uno dos tres cuatro cinco seis siete ocho nueve diez once doce veinte cien mil millon
    due tre quattro cinque sei sette otto nove dieci undici dodici venti cento mille milione een twee drie vier vijf
    zes zeven negen tien elf twaalf twintig honderd duizend miljoen"""
_NUMBER_WORDS = frozenset(_NUMBER_WORD_TEXT.split())
#: A length of time: a figure or a number word ("a week", "zwei Wochen"), then a unit of time (six languages); a
#: length too, for the odd "how long does the pipe run?".
_SPAN = re.compile(
    r"(\d\)?|\b(" + "|".join(sorted(_NUMBER_WORDS | {"a", "an"}, key=len, reverse=True)) + r"))\s*-?\s*"
    r"(days?|weeks?|months?|years?|hours?|minutes?|jours?|semaines?|mois|ans?|annees?|heures?|"
    r"tage?n?|wochen?|monate?n?|jahre?n?|stunden?|dias?|semanas?|mes|meses|anos?|horas?|giorni|giorno|"
    r"settimane?|mesi|mese|anni|anno|ore|ora|dagen|dag|weken|maanden|maand|jaren|jaar|uur|uren|"
    r"mm|cm|m|km|metres?|meters?|metros?|metri|metre|ft|feet|foot|inch(es)?|miles?)\b")
_WORD = re.compile(r"\w+")
#: What follows from an act or a failure to act, as rules and orders write it (folded): "Failure of Appellant(s) to
#: comply … will result in the DISMISSAL", "Une fausse déclaration intentionnelle entraînerait la nullité du
#: contrat", "unless", "andernfalls", "bij gebreke".
_CONSEQUENT = re.compile(
    r"\b(failure\b[^.]{0,40}?\bto|fails? to|failing to|unless|otherwise|results? in|resulting in|will result|"
    r"lead(s)? to|shall be (deemed|void|null|forfeited|dismissed)|will be (dismissed|suspended|terminated|"
    r"cancell?ed|void|forfeited|refused|rejected|denied|revoked)|null and void|forfeit\w*|penalt\w*|"
    r"sanction\w*|a defaut|faute de|sous peine|entrain\w*|nullite|decheance|andernfalls|ansonsten|"
    r"widrigenfalls|bei nicht\w*|fuhrt zu|unwirksam|nichtig|de lo contrario|en caso contrario|so pena|"
    r"conlleva\w*|nulidad|altrimenti|in mancanza|decadenza|nullita|bij gebreke|nietig)\b")
#: A capitalised word that does not start the sentence (a name, a firm), or a code ("SK-77", "AD 2018-23-51").
_NAME = re.compile(r"(?<=[\w,;:)] )[A-ZÀ-Ý][\w'’.-]+|\b[A-Z]{1,5}[- ]?\d[\w-]*")


def wanted_kind(question: str) -> str:
    """CONSEQUENCE, DATE, DURATION, FIGURE, FREQUENCY or NAME for a question that asks for one, else ""."""
    folded = fold(question)
    if _DURATION.search(folded):
        return DURATION
    for kind, frame in _FRAMES:
        if frame.search(folded):
            return kind
    return ""


def holds_kind(sentence: str, kind: str) -> bool:
    """Whether ``sentence`` holds something of ``kind`` (always False for no kind)."""
    if kind == DATE:
        return bool(_DATE.search(fold(sentence)))
    if kind == FIGURE:
        return bool(_FIGURE.search(sentence))
    if kind == FREQUENCY:
        return bool(_FREQUENT.search(fold(sentence)))
    if kind == DURATION:
        said = fold(sentence)
        return bool(_SPAN.search(said) or _UNTIL.search(said))
    if kind == NAME:
        return bool(_NAME.search(sentence))
    if kind == CONSEQUENCE:
        return bool(_CONSEQUENT.search(fold(sentence)))
    return False


def gives_wanted(answer: str, question: str, new_words: list[str]) -> bool:
    """Whether a model's ``answer`` gives what ``question`` asks for, where that can be told: a figure (digits or a
    number word) for a count or an amount, a length of time (a figure or number word and a unit of time, or an end
    point: "until …") for a "within how many days" or a "how long must", a name (a capitalised word or a code
    among its ``new_words``, those the question does not hold) for a "who", an outcome (approved, denied,
    dismissed …: ``trust.outcomes``, or a verb that states a decision: voted, agreed, ordered …) the question does
    not name for a "what did it decide on the protest" (on something put to a decision); True for any other
    question."""
    folded, said = fold(question), fold(answer)
    if _DURATION.search(folded):
        return holds_kind(answer, DURATION)
    if _COUNT.search(folded):
        return bool(_FIGURE.search(answer)) or any(w in _NUMBER_WORDS for w in _WORD.findall(said))
    if _WHO.search(folded):
        return any(is_name(w) for w in new_words)
    if _DECIDE.search(folded) and _PUT_TO_DECISION.search(folded):
        asked = {fold(mention.text) for mention in outcome_mentions(question)} | set(_DECIDED.findall(folded))
        return (any(fold(mention.text) not in asked for mention in outcome_mentions(answer))
                or any(verb not in asked for verb in _DECIDED.findall(said)))
    return True
