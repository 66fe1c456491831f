"""Substance first: what of a document a model should read as its content, and what it should not.

Printed forms carry more text about filling them in than about the case: instructions ("Indicate all
payments...", "Reports that do not include all required information will be returned"), runs of checkbox
labels ("Yes No Unknown"), fields left empty ("Charges filed: N/A"), check marks drawn with a symbol font, and
legal boilerplate (data protection, copyright, "Official - Subject to Final Review", a medicine leaflet's
standard opening: "Keep this leaflet"). A small model handed all of it summarises the form instead of the case.
This module sorts that material out, line by line before the text is re-flowed and sentence by sentence after;
nothing is thrown away: what is set aside is returned with its reason and page, for citation and for the echo
check, but it is not sent to the model as content.

English, French, German and Spanish wording is recognised.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant.documents import Page
from assistant.text.condense import Passage, condense
from assistant.text.sentences import split_sentences

INSTRUCTION = "form instruction"
OPTIONS = "checkbox labels"
EMPTY_FIELD = "empty field"
UNTICKED = "option not ticked"
BOILERPLATE = "legal boilerplate"


@dataclass(frozen=True)
class SetAside:
    """A line or sentence kept out of what the model reads, with its page and why."""

    page: int | None
    text: str
    reason: str


# -- check marks ---------------------------------------------------------------------------------------
# Symbol fonts (Wingdings) extract as stray Latin-1 characters: "˛" is a ticked box, "®" alone an empty one.
_TICKED = "☒☑✔✓✗✘■▣˛þ"
_EMPTY = "☐□❏❑◻▢®¨"
_MARKS = frozenset(_TICKED + _EMPTY)
_MARK_LINE = re.compile(rf"^\s*([{_TICKED}{_EMPTY}])\s*$")
# On a line with text, only the unambiguous box characters count ("þ" starts Icelandic words).
_MARK_THEN_TEXT = re.compile(r"^\s*([☒☑✔✓■☐□❏❑◻▢])\s+(\S.*)$")

# -- option labels and empty fields ----------------------------------------------------------------
_OPTION_TEXT = """
    yes no n/a na unknown unk other none male female m f y n true false x
    oui non inconnu autre aucun sans homme femme h
    ja nein unbekannt sonstige sonstiges keine mann frau w
    sí si desconocido otro otra ninguno hombre mujer
"""
_OPTION_WORDS = frozenset(_OPTION_TEXT.split())
#: What leaves a field empty ("N/A", "sans objet", a blank); "None" is an answer (no fire, no injuries, no charges).
_NOT_APPLICABLE = (
    r"n/?a|not applicable|sans objet|s\.o\.|k\.\s?a\.|no aplica|"
    r"\(?blank\)?|\[\s*\]"
)
_EMPTY_VALUE = re.compile(rf"^(?:{_NOT_APPLICABLE}|[-–—_.…\s]*)$", re.IGNORECASE)
_NOT_APPLICABLE_LINE = re.compile(rf"^(?:{_NOT_APPLICABLE})\.?$", re.IGNORECASE)
_LINE_NUMBER = re.compile(r"^\d{1,3}[.)]?\s+")
_ENUMERATED = re.compile(r"^(?:\(?\d{1,2}\)|\d{1,2}\.|\d{1,2}\s*-|\(?[a-z]\)|[•*–-])\s*")
#: Dotted or underlined blanks of a printed form ("D./Dña……………… con número de D.N.I.").
_BLANK_RUN = re.compile(r"[._…]{4,}|_{2,}")
#: A field label is short: "Name", "Date of birth", "Charges filed", "n° dossier".
_LABEL_WORDS = 4

# -- instructions ----------------------------------------------------------------------------------
_ENUMERATOR = r"(?:\(?\d{1,2}[).]|\(?[a-z][).]|[-•*–]\s*|\d{1,2}\s*-)?\s*"
# Verbs that tell the person filling in the form what to do, at the start of a sentence. English and Spanish
# verbs double as nouns and adjectives ("Date of birth", "Check valves were replaced", "Complete blood count"),
# so they count only before what an instruction names next; the French infinitive ("Indiquer toutes les
# rémunérations"), the French and German polite imperatives and "Bitte" are instructions on their own.
_ENGLISH_VERBS = (
    r"complete|fill\s+(?:in|out)|enter|write|print|tick|check|mark|circle|select|attach|enclose|indicate|list|"
    r"describe|specify|sign|submit|answer|provide|explain|state|use|return"
)
# What an English instruction names within its first few words: the form's parts, or a choice to make.
_FORM_OBJECT = (
    r"(?:\S+\s+){0,3}?(?:box|boxes|form|forms|section|sections|item|items|field|fields|block|column|space|"
    r"questionnaire|applicable|appropriate|below|above|overleaf|reverse|ink|capitals|letters)\b|whether\b|"
    r"if\s+(?:yes|no|applicable|any)\b|one\b|all\s+that\s+apply\b|yes\s+or\s+no\b"
)
_SPANISH_VERBS = r"marque|indique|complete|rellene|adjunte|firme|escriba|se[ñn]ale|especifique|devuelva"
_SPANISH_INFINITIVES = r"indicar|marcar|rellenar|cumplimentar|adjuntar|firmar|se[ñn]alar|especificar"
_SPANISH_OBJECTS = r"el|la|los|las|este|esta|estos|con|una|un|todos|todas|si|aquí|cada|su|sus"
_FRENCH_AND_GERMAN = (
    r"indiquer|indiquez|cocher|cochez|compl[ée]ter|compl[ée]tez|remplir|remplissez|joindre|joignez|pr[ée]ciser|"
    r"pr[ée]cisez|inscrire|inscrivez|signer|signez|renvoyer|renvoyez|retourner|retournez|"
    r"bitte|zutreffendes|kreuzen\s+sie|tragen\s+sie|f[üu]llen\s+sie|geben\s+sie|unterschreiben\s+sie|"
    r"f[üu]gen\s+sie|reichen\s+sie"
)
_IMPERATIVE = re.compile(
    rf"^{_ENUMERATOR}(?:please\s+|veuillez\s+|por\s+favor,?\s+)?(?:"
    rf"(?:{_ENGLISH_VERBS})\s+(?:{_FORM_OBJECT})|(?:{_SPANISH_VERBS})\s+(?:{_SPANISH_OBJECTS})\b|"
    rf"(?:{_FRENCH_AND_GERMAN}|{_SPANISH_INFINITIVES})\b|do\s+not\s+(?:write|staple|fill|mark)\s+(?:in|on|this|here|below)\b)",
    re.IGNORECASE,
)
# Sentences about the form itself: how it is filled in, sent back or refused.
_ABOUT_THE_FORM = re.compile(
    r"\b(?:this|the)\s+(?:form|questionnaire)\s+(?:must|should|is\s+to|may\s+be)\b|"
    r"\b(?:forms?|reports?|applications?)\b[^.]{0,80}\bwill\s+be\s+returned\b|"
    r"\bif\s+(?:more|additional)\s+space\s+is\s+needed\b|\bfor\s+official\s+use\s+only\b|"
    r"\b(?:check|tick|mark)\s+(?:all|one|the\s+appropriate|the\s+box|each)\b|\bsee\s+(?:the\s+)?instructions\b|"
    r"\bce\s+(?:formulaire|certificat|document)\s+(?:doit|ne\s+sert|est\s+à)\b|\bà\s+remplir\s+par\b|"
    r"\bréservé\s+à\s+l['’]administration\b|\bcase\s+(?:à\s+)?cocher\b|"
    r"\bdieses\s+formular\b|\bnur\s+für\s+den\s+dienstgebrauch\b|\bzutreffendes\s+ankreuzen\b|"
    r"\beste\s+formulario\b|\bpara\s+uso\s+oficial\b|\bmarque\s+con\s+una\b",
    re.IGNORECASE,
)

# -- legal boilerplate -----------------------------------------------------------------------------
_BOILERPLATE = re.compile(
    r"\bdonnées\s+à\s+caractère\s+personnel\b|\binformatique\s+et\s+libertés\b|\bdroit\s+d['’]accès\b|"
    r"\bpersonal\s+(?:data|information)\s+(?:is|are|will|collected|we)\b|\bprivacy\s+(?:act|notice|policy|statement)\b|"
    r"\bpaperwork\s+reduction\s+act\b|\bOMB\s+(?:No|control)\b|\bdatenschutz|\bpersonenbezogene(?:n)?\s+daten\b|"
    r"\bdatos\s+(?:de\s+carácter\s+)?personales\b|\bprotecci[óo]n\s+de\s+datos\b|"
    r"\ball\s+rights\s+reserved\b|\btous\s+droits\s+réservés\b|\balle\s+rechte\s+vorbehalten\b|"
    r"\btodos\s+los\s+derechos\s+reservados\b|©|\bsubject\s+to\s+final\s+review\b|"
    r"\b(?:this|the)\s+(?:e-?mail|message|communication)\s+(?:is|and\s+any)\s+(?:confidential|intended)\b|"
    # a mail's footers: the virus scanner's line, the recipient's notice, unsubscribing
    r"\bno\s+virus\s+found\s+in\s+this\b|\bchecked\s+by\s+avg\b|\bvirus-free\b|"
    r"\b(?:e-?mail|message)\s+has\s+been\s+(?:checked|scanned)\s+for\s+viruses\b|"
    r"\bif\s+you\s+(?:are\s+not\s+the\s+intended\s+recipient|have\s+received\s+this\s+(?:e-?mail|message)\s+in\s+error)\b|"
    r"\bsi\s+vous\s+n['’]êtes\s+pas\s+(?:le\s+)?destinataire\b|\bnicht\s+der\s+(?:richtige\s+)?(?:adressat|empfänger)\b|"
    r"\bunsubscribe\b|\bse\s+d[ée]sabonner\b|\bse\s+d[ée]sinscrire\b|"
    # a mailing's furniture: the web view, the opt-out, the sender's trademark line
    r"\bview\s+(?:this|the)\s+(?:e-?mail|message|newsletter)\s+(?:as\s+a\s+web\s?page|in\s+(?:your|a)\s+(?:web\s+)?"
    r"browser|online)\b|\b(?:don['’]t|do\s+not)\s+want\s+to\s+receive\s+(?:these\s+|such\s+|our\s+|further\s+)?"
    r"e-?mails?\b|\bclick\s+here\s+to\s+(?:opt[\s-]out|unsubscribe)\b|\bis\s+a\s+registered\s+trademark\s+of\b|"
    r"\bsi\s+vous\s+ne\s+souhaitez\s+plus\s+recevoir\b|\bnicht\s+mehr\s+erhalten\s+m[öo]chten\b|"
    r"\bnewsletter\s+abbestellen\b|\bsi\s+(?:ya\s+)?no\s+desea\s+recibir\b|\bdarse\s+de\s+baja\b|"
    # a firm's register footer ("Registergericht Hanau | HRB 13302", "registered in England No 976092") and a
    # report's stamp ("This information is preliminary and subject to change")
    r"\bHR[AB]\s*\d{3,}\b|\bregistered\s+in\s+(?:england|scotland)\b|"
    r"\bauthori[sz]ed\s+and\s+regulated\s+by\s+the\s+financial\b|\bpreliminary\s+and\s+subject\s+to\s+change\b|"
    # a court's publication notices: the reporter's syllabus note and errata request, "not precedent" stamps
    r"\bsyllabus\s+constitutes\s+no\s+part\s+of\b|\bsyllabus\s*\(headnote\)|\breporter\s+of\s+decisions\s+for\s+the\s+"
    r"convenience\b|\bsubject\s+to\s+formal\s+revision\s+before\s+publication\b|\bnotify\s+the\s+reporter\s+of\s+"
    r"decisions\b|\bto\s+be\s+cited\s+only\s+in\s+accordance\s+with\b|\bnot\s+precedent\s+except\s+as\s+provided\b|"
    r"\bshall\s+not\s+be\s+regarded\s+as\s+precedent\b|\bnot\s+(?:to\s+be\s+)?cited\s+as\s+precedent\b",
    re.IGNORECASE,
)

# The fixed wording every European medicine leaflet opens with (the QRD template: read it all, keep it, ask your
# doctor, do not pass it on, report side effects): the same in every leaflet, it says nothing of this medicine.
_LEAFLET = re.compile(
    r"\bread\s+all\s+of\s+this\s+leaflet\b|\bkeep\s+this\s+leaflet\b|\bmay\s+need\s+to\s+read\s+it\s+again\b|"
    r"\bif\s+you\s+have\s+any\s+further\s+questions,?\s+ask\s+your\b|\bdo\s+not\s+pass\s+it\s+on\s+to\s+others\b|"
    r"\bside\s+effects\s+not\s+listed\s+in\s+this\s+leaflet\b|"
    r"\blesen\s+sie\s+die\s+gesamte\s+packungsbeilage\b|\bheben\s+sie\s+die\s+packungsbeilage\s+auf\b|"
    r"\bvielleicht\s+möchten\s+sie\s+diese\s+später\b|\bwenn\s+sie\s+weitere\s+fragen\s+haben\b|"
    r"\bgeben\s+sie\s+es\s+nicht\s+an\s+dritte\s+weiter\b|\bnicht\s+in\s+dieser\s+packungsbeilage\s+angegeben\b|"
    r"\blire\s+attentivement\s+(?:l['’]intégralité\s+de\s+)?cette\s+notice\b|\bgardez\s+cette\s+notice\b|"
    r"\bavoir\s+besoin\s+de\s+la\s+relire\b|\bsi\s+vous\s+avez\s+d['’]autres\s+questions\b|"
    r"\bne\s+le\s+donnez\s+pas\s+à\s+d['’]autres\s+personnes\b|\bqui\s+ne\s+serait\s+pas\s+mentionné\s+dans\s+cette\s+notice\b|"
    r"\blea\s+todo\s+el\s+prospecto\b|\bconserve\s+este\s+prospecto\b|\bvolver\s+a\s+leerlo\b|"
    r"\bsi\s+tiene\s+alguna\s+duda,?\s+consulte\b|\bno\s+debe\s+dárselo\s+a\s+otras\s+personas\b|"
    r"\bque\s+no\s+aparecen\s+en\s+este\s+prospecto\b",
    re.IGNORECASE,
)


#: Marks on lines of their own are paired with the option lines after them only in runs this short; a longer
#: run is a table column of boxes whose rows extraction has put elsewhere.
_PAIRED_MARKS = 2


def sift_page(page: Page) -> tuple[Page, list[SetAside]]:
    """The page without check-mark glyphs, option-label runs, empty fields, unticked options and printed
    instructions (line by line, before re-flowing joins lines into paragraphs), and what was set aside."""
    kept: list[str] = []
    aside: list[SetAside] = []
    marks: list[str] = []  # marks on lines of their own, waiting for the option lines that follow them
    instruction: list[str] = []  # an enumerated instruction running over several lines

    def set_aside(text: str, reason: str) -> None:
        aside.append(SetAside(page.number, text, reason))

    for line in page.text.splitlines():
        stripped = line.strip()
        if instruction:
            if stripped and not _ENUMERATED.match(stripped) and not instruction[-1].endswith((".", "!", "?")):
                instruction.append(stripped)
                continue
            set_aside(" ".join(instruction), INSTRUCTION)
            instruction = []
        mark = _MARK_LINE.match(line)
        if mark:
            marks.append(mark.group(1))
            continue
        if marks and stripped:
            # Marks on their own lines belong to the option lines after them ("˛" then "the contract ... is
            # suited"): an unticked option is not what the document says.
            ticked = marks.pop(0) in _TICKED if len(marks) <= _PAIRED_MARKS else True
            marks = marks if len(marks) < _PAIRED_MARKS else []
            if not ticked:
                set_aside(stripped, UNTICKED)
                continue
        inline = _MARK_THEN_TEXT.match(line)
        if inline:
            if inline.group(1) in _TICKED:
                kept.append(inline.group(2))
            else:
                set_aside(inline.group(2).strip(), UNTICKED)
            continue
        if _ENUMERATED.match(stripped) and _IMPERATIVE.match(stripped):
            instruction = [stripped]
            continue
        if _NOT_APPLICABLE_LINE.match(stripped):
            # "N/A" under its label: the label (back to its number, at most three lines) goes with it.
            label = _label_above(kept)
            set_aside(" ".join([*label, stripped]), EMPTY_FIELD)
            continue
        reason = line_role(stripped) or (BOILERPLATE if _short_boilerplate(stripped) else None)
        if reason:
            set_aside(stripped, reason)
        else:
            kept.append(line)
    if instruction:
        set_aside(" ".join(instruction), INSTRUCTION)
    return replace(page, text=_BLANK_RUN.sub("…", "\n".join(kept))), aside


#: Lines a field's label may run over ("3. Particulars of any related body corporate ... under the contract:").
_LABEL_LINES = 5


def _label_above(kept: list[str]) -> list[str]:
    """Take off ``kept`` the label of the field whose value is empty: the line ending in a colon and, while it
    continues an earlier line (it starts in lower case), the lines above it up to the one that starts it."""
    if not kept or not kept[-1].rstrip().endswith(":"):
        return []
    back = 1
    while back < min(_LABEL_LINES, len(kept)) and kept[-back].strip()[:1].islower():
        back += 1
    label = [line.strip() for line in kept[-back:]]
    del kept[-back:]
    return label


def line_role(line: str) -> str | None:
    """Why a line is not content (a run of checkbox labels, a field left empty), else None."""
    if not line:
        return None
    words = [w.strip(".,;:()[]").lower() for w in line.split()]
    words = [w for w in words if w]
    if len(words) >= 2 and sum(w in _OPTION_WORDS or w in _MARKS for w in words) >= 0.8 * len(words):
        return OPTIONS
    if ":" in line:
        # "Charges filed: N/A", "sous-total: n° dossier:": short labels with an empty value, or two labels and
        # nothing after them. A label alone ("Between:", "APPEARANCES:") may introduce the lines below it.
        *labels, value = re.split(r"\s*:\s*", _LINE_NUMBER.sub("", line))
        short = all(0 < len(label.split()) <= _LABEL_WORDS and not label[-1:].isdigit() for label in labels)
        value = value.strip()
        if short and (len(labels) >= 2 and not value or value and _EMPTY_VALUE.match(value)):
            return EMPTY_FIELD
    return None


def _short_boilerplate(line: str) -> bool:
    """A line of legal boilerplate on its own ('Official - Subject to Final Review', '© 2021 ...')."""
    return len(line.split()) <= 12 and bool(_BOILERPLATE.search(line))


#: Longer than this, a sentence that mentions boilerplate is probably text run together with it.
_BOILERPLATE_WORDS = 60


def sentence_role(sentence: str) -> str | None:
    """Why a sentence is not content (a printed instruction, legal boilerplate), else None."""
    if len(sentence.split()) <= _BOILERPLATE_WORDS and (_BOILERPLATE.search(sentence) or _LEAFLET.search(sentence)):
        return BOILERPLATE
    if _IMPERATIVE.match(sentence) or _ABOUT_THE_FORM.search(sentence):
        return INSTRUCTION
    return None


def sift_pages(pages: Sequence[Page]) -> tuple[list[Page], list[SetAside]]:
    """Every page sifted line by line (``sift_page``)."""
    sifted: list[Page] = []
    aside: list[SetAside] = []
    for page in pages:
        kept, set_aside = sift_page(page)
        sifted.append(kept)
        aside.extend(set_aside)
    return sifted, aside


#: Below this many words of content, the sifting is undone: a page that is all labels is still the document.
_MIN_CONTENT_WORDS = 40


def content_passages(pages: Sequence[Page]) -> tuple[list[Passage], list[SetAside]]:
    """The condensed passages a model should read as content, and what was set aside (with reasons and pages):
    lines sifted before re-flowing, then instruction and boilerplate sentences after it."""
    sifted, aside = sift_pages(pages)
    passages: list[Passage] = []
    for passage in condense(sifted):
        kept = []
        for sentence in split_sentences(passage.text):
            reason = sentence_role(sentence)
            if reason:
                aside.append(SetAside(passage.page, sentence, reason))
            else:
                kept.append(sentence)
        if kept:
            passages.append(Passage(passage.page, " ".join(kept)))
    if aside and sum(len(p.text.split()) for p in passages) < _MIN_CONTENT_WORDS:
        return condense(pages), []
    return passages, aside
