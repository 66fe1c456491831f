"""The figure checker: every number (with its unit), date and code-like token of a generated text is looked up
in the source, so a person never acts on a figure the model invented or altered.

Harmless differences are normalised: decimal comma or point, thousands separators, unit spacing and unit
spelling ("40 t", "40t", "40 tonnes"), date formats ("2026-03-01", "1 March 2026", "01.03.2026").
The source is read liberally (numbers inside codes and dates, English number words count) and the generated
text strictly, so a correct figure is rarely flagged while an altered digit always is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

# -- units -----------------------------------------------------------------------------------------
_UNIT_ALIASES: dict[str, str] = {
    # words (lower case) -> canonical symbol
    "percent": "%", "per cent": "%", "prozent": "%", "pour cent": "%", "por ciento": "%", "pct": "%",
    "degrees celsius": "°C", "degrees c": "°C", "grad celsius": "°C", "degrés celsius": "°C",
    "grados celsius": "°C", "° c": "°C", "ºc": "°C", "℃": "°C",
    "degrees": "°", "degree": "°", "grad": "°", "degrés": "°", "grados": "°",
    "tonnes": "t", "tonne": "t", "tons": "t", "ton": "t", "tonnen": "t", "toneladas": "t", "tonelada": "t",
    "kilograms": "kg", "kilogram": "kg", "kilogrammes": "kg", "kilogramm": "kg", "kilogramos": "kg", "kilos": "kg",
    "grams": "g", "gramm": "g", "grammes": "g", "gramos": "g",
    "milligrams": "mg", "milligramm": "mg", "milligrammes": "mg", "miligramos": "mg",
    "kilometres": "km", "kilometers": "km", "kilometer": "km", "kilomètres": "km", "kilómetros": "km",
    "metres": "m", "meters": "m", "metre": "m", "meter": "m", "mètres": "m", "mètre": "m", "metros": "m",
    "millimetres": "mm", "millimeters": "mm", "millimeter": "mm", "millimètres": "mm", "milímetros": "mm",
    "centimetres": "cm", "centimeters": "cm", "zentimeter": "cm", "centimètres": "cm", "centímetros": "cm",
    "litres": "l", "liters": "l", "liter": "l", "litre": "l", "litros": "l", "l": "l",
    "millilitres": "ml", "milliliters": "ml", "milliliter": "ml", "millilitres.": "ml", "mililitros": "ml",
    "hours": "h", "hour": "h", "hrs": "h", "hr": "h", "stunden": "h", "stunde": "h", "std": "h", "heures": "h",
    "heure": "h", "horas": "h", "hora": "h",
    "minutes": "min", "minute": "min", "minuten": "min", "minutos": "min", "mins": "min",
    "seconds": "s", "second": "s", "sekunden": "s", "secondes": "s", "segundos": "s", "sec": "s",
    "days": "d", "day": "d", "tage": "d", "tagen": "d", "jours": "d", "días": "d", "dias": "d",
    "volts": "V", "volt": "V", "watts": "W", "watt": "W", "amperes": "A", "ampere": "A", "amps": "A",
    "euros": "€", "euro": "€", "eur": "€", "dollars": "$", "usd": "$", "pounds": "£", "gbp": "£",
    "kmh": "km/h", "km / h": "km/h", "kph": "km/h", "m2": "m²", "m3": "m³", "sq m": "m²",
    "r/min": "rpm", "u/min": "rpm", "tr/min": "rpm", "omw/min": "rpm",  # a motor's speed on a rating plate
    # a clinic's readings: a temperature of 95.2 is not a blood pressure of 95.2 mmHg
    "millimeters of mercury": "mmHg", "millimetres of mercury": "mmHg", "beats per minute": "bpm",
}
_UNIT_SYMBOLS = (
    "%", "‰", "°C", "°F", "°", "µm", "μm", "nm", "mm", "cm", "km/h", "km", "m/s", "m²", "m³", "m",
    "mg", "µg", "kg", "g", "t", "kN", "N", "MPa", "kPa", "Pa", "bar", "psi", "kV", "mV", "V", "mA", "A",
    "kWh", "Wh", "MW", "kW", "W", "GHz", "MHz", "kHz", "Hz", "ml", "mL", "L", "h", "min", "ms", "s", "dB",
    "rpm", "TB", "GB", "MB", "kB", "€", "$", "£", "lb", "lbs", "ft", "mph", "EUR", "USD", "GBP", "CHF",
    "mmHg", "mm Hg", "bpm", "mmol/L", "mg/dL", "mEq/L", "kcal",
)
# Symbols are case-sensitive (mW is not MW); spelled-out units are not ("Tonnen", "tonnes").
_UNIT_PATTERN = (
    "(?:"
    + "|".join(re.escape(unit) for unit in sorted(_UNIT_SYMBOLS, key=len, reverse=True))
    + "|(?i:"
    + "|".join(re.escape(unit) for unit in sorted(_UNIT_ALIASES, key=len, reverse=True))
    + "))"
)
#: A unit written out as a word, which a hyphen may join to its number: "a 5-day leave", "a 30-day notice".
_WORD_UNIT_PATTERN = "(?i:" + "|".join(re.escape(unit) for unit in sorted(_UNIT_ALIASES, key=len, reverse=True)
                                       if unit[:1].isalpha()) + ")"

# -- tokens ----------------------------------------------------------------------------------------
_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january janvier januar jänner enero jan janv",
        "february février fevrier februar febrero feb févr fevr",
        "march mars märz maerz marzo mar mär",
        "april avril abril apr avr",
        "may mai mayo",
        "june juin juni junio jun",
        "july juillet juli julio jul juil",
        "august août aout agosto aug",
        "september septembre septiembre setiembre sep sept",
        "october octobre oktober octubre oct okt",
        "november novembre noviembre nov",
        "december décembre decembre dezember diciembre dec déc dez dic",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number
_MONTH = "(?:" + "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True)) + r")\.?"

_DATE_PATTERNS = (
    # '2021-07-06', and '2021/07/06' or '2021.07.06' as Japanese, Chinese and Korean documents write it.
    ("ymd", re.compile(r"(?<![\d./])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?![\d])")),
    ("dmy_or_mdy", re.compile(r"(?<![\d.])(\d{1,2})[./](\d{1,2})[./](\d{4}|\d{2})(?![\d])")),
    # '12 July 2001', '12. Juli 2001', '12 de julio de 2001', and as judgments and deeds write it, 'the 12th day of
    # July, 2001' or 'the 3rd of June 2019'.
    ("d_month_y", re.compile(rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th|er)?\.?\s+(?:day\s+of\s+|of\s+|de\s+)?({_MONTH}),?"
                             rf"\s+(?:de\s+)?(\d{{4}})", re.IGNORECASE)),
    ("month_d_y", re.compile(rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})", re.IGNORECASE)),
    ("month_y", re.compile(rf"\b({_MONTH})\s+(?:de\s+)?(\d{{4}})(?!\d)", re.IGNORECASE)),
    ("d_month", re.compile(rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th|er)?\.?\s+(?:de\s+)?({_MONTH})(?![\w])", re.IGNORECASE)),
    # 'April 24': only with a capitalised month, so 'may 12' (the verb) is not read as a date.
    ("month_d", re.compile(rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?![\w.,:/-]?\d)(?![\w])", re.IGNORECASE)),
    # '2021年3月31日', '2019년 7월', and a Japanese era's year, '平成30年9月21日' (2018) or '令和元年' (its first);
    # a few words may stand between year and month, as in a title: '2019年泰州市7月份' (July 2019 in Taizhou).
    ("cjk_ymd", re.compile(r"(?:(平成|令和|昭和)\s*(\d{1,2}|元)|(?<!\d)(\d{4}))\s*[年년]\s*(?:[^\d\s、。，,.]{1,6}?)?"
                           r"(\d{1,2})\s*[月월]"
                           r"(?:\s*(\d{1,2})\s*[日일])?")),
    ("cjk_md", re.compile(r"(?<![\d年년])(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")),
)
#: The year before the first of each Japanese era named in dates.
_ERAS = {"昭和": 1925, "平成": 1988, "令和": 2018}
_TIME = re.compile(r"(?<![\d:])([01]?\d|2[0-3])[:h]([0-5]\d)(?![\d:])")
#: A time of day as Chinese, Japanese and Korean write it: "午後５時", "下午3时30分", "오후 2시 반"; afternoon marked or
#: not, it backs both readings ("5:00" and "17:00") and the hour alone.
_CJK_TIME = re.compile(r"(午前|午後|上午|下午|오전|오후)?\s*(?<!\d)(\d{1,2})\s*(?:時|时|시)"
                       r"(?:\s*(\d{1,2})\s*(?:分|분)|\s*(半|반))?")
_CODE = re.compile(
    r"(?<![\w-])(?=[\w./-]*\d)(?=[\w./-]*[A-Za-z])[A-Za-z0-9]+(?:[-/.][A-Za-z0-9]+)*(?![\w-])"
    r"|(?<![\w-])\d+(?:-\d+){2,}(?![\w-])"
)
_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[,.\u00a0\u202f\u2009' ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?!\d)"
    r"(?:(?:st|nd|rd|th|er|ème|e|º|ª)(?![\w]))?"
    rf"(?:(?:[ \u00a0\u202f]?(?P<unit>{_UNIT_PATTERN})|-(?P<joined>{_WORD_UNIT_PATTERN}))(?![\w²³]))?",
)
_PREFIX_CURRENCY = re.compile(r"([$€£])\s?$")
_ORDINAL_OR_UNIT_CODE = re.compile(
    rf"^\d+(?:[.,]\d+)?(?:\s?(?:st|nd|rd|th|er|e|ème|{_UNIT_PATTERN})|-{_WORD_UNIT_PATTERN})$", re.IGNORECASE)
_ENUMERATOR = re.compile(r"^[ \t]*(?:[-*•][ \t]*)?(\d{1,2})[.)][ \t]", re.MULTILINE)
_PAGE_REFERENCE = re.compile(r"(?:\b(?:p|pp|page|pages|seite|seiten|s)\.?|\bpágina|\bpáginas)\s*$", re.IGNORECASE)

_WORD_NUMBERS = {
    w: n for n, w in enumerate(
        [
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
            "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
        ]
    )
} | {
    w: 10 * (i + 2)
    for i, w in enumerate(["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"])
}
_WORD_NUMBER = re.compile(
    r"\b(" + "|".join(_WORD_NUMBERS) + r")(?:[- ](" + "|".join(list(_WORD_NUMBERS)[1:10]) + r"))?"
    r"(?:\s+(hundred|thousand))?\b",
    re.IGNORECASE,
)

#: Number words from two to twelve of French, German, Spanish, Italian, Dutch and Portuguese, read in a source
#: only: a summary or answer in English gives "3 years" for "drie jaar", "4 days" for "quatre jours". Left out
#: where the word is also a common word of its own ("onze": Dutch "our", "due", "sei", "once", "neuf": "new",
#: "otto", "sept" and "dez", abbreviations of months).
_FOREIGN_NUMBERS = {
    word: value
    for value, words in enumerate((
        "deux zwei dos dois duas twee", "trois drei tres três tre drie", "quatre vier cuatro quattro quatro",
        "cinq fünf cinco cinque vijf", "sechs seis zes", "sieben siete sette sete zeven", "huit acht ocho oito",
        "neun nueve nove negen", "dix zehn diez dieci tien", "elf undici", "douze zwölf doce dodici twaalf doze",
    ), start=2)
    for word in words.split()
}
_FOREIGN_NUMBER = re.compile(r"(?<![\w-])(" + "|".join(_FOREIGN_NUMBERS) + r")(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class Figure:
    """A figure as written in a text; ``keys`` are its normalised readings (an ambiguous one has several)."""

    kind: str  # "number", "date", "code"
    text: str
    start: int
    end: int
    keys: frozenset[str]
    unit: str | None = None


@dataclass(frozen=True)
class Unsupported:
    figure: Figure
    reason: str
    paragraph: int | None = None  # translation: 1-based paragraph whose figures disagree
    in_output: bool = True  # False: a figure of the source that the output lacks (no position in the output)

    def as_dict(self) -> dict[str, object]:
        result: dict[str, object] = {"text": self.figure.text, "kind": self.figure.kind, "reason": self.reason}
        if self.in_output:
            result["start"], result["end"] = self.figure.start, self.figure.end
        if self.paragraph is not None:
            result["paragraph"] = self.paragraph
        return result


@dataclass
class Support:
    """What a source text backs: number values (with the units seen next to them), dates and codes."""

    numbers: dict[str, set[str | None]] = field(default_factory=dict)
    dates: set[str] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)
    blob: str = ""
    currencies: set[str] = field(default_factory=set)  # named anywhere: a column's "Amount ($)", "Prijs in EUR"

    def backs(self, figure: Figure) -> bool:
        if figure.kind == "date":
            return bool(figure.keys & self.dates)
        if figure.kind == "code":
            key = next(iter(figure.keys))
            return key in self.codes or (len(key) >= 5 and key in self.blob)
        for value in figure.keys:
            units = self.numbers.get(value)
            # A figure with a unit needs that unit in the source: '45 kN' is not backed by '45 bolts'. A currency
            # may be named once for a whole table ("AMOUNT ($)"): a bare number backs it in the source's currency.
            if units is not None and (figure.unit is None or figure.unit in units
                                      or None in units and figure.unit in self.currencies):
                return True
        return False


# -- normalisation ---------------------------------------------------------------------------------
def canonical_unit(unit: str | None) -> str | None:
    if not unit:
        return None
    unit = " ".join(unit.split())
    if unit in _UNIT_SYMBOLS:
        return {"μm": "µm", "mL": "ml", "L": "l", "lbs": "lb", "EUR": "€", "USD": "$", "GBP": "£",
                "mm Hg": "mmHg"}.get(unit, unit)
    return _UNIT_ALIASES.get(unit.lower(), unit)


def _decimal_key(text: str) -> str | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return format(value.normalize(), "f") if value else "0"


def number_values(token: str) -> frozenset[str]:
    """Readings of a written number: '1.500' is 1500 or 1.5, '1,5' is 1.5, '12 345,6' is 12345.6."""
    token = re.sub(r"[\u00a0\u202f\u2009' ]", "", token)
    values: set[str | None] = set()
    if "," in token and "." in token:
        decimal = "," if token.rfind(",") > token.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        values.add(_decimal_key(token.replace(thousands, "").replace(decimal, ".")))
    elif "," in token or "." in token:
        separator = "," if "," in token else "."
        parts = token.split(separator)
        grouped = all(len(p) == 3 for p in parts[1:]) and 1 <= len(parts[0]) <= 3 and parts[0] != "0"
        if len(parts) > 2:
            values.add(_decimal_key("".join(parts)) if grouped else None)
        else:
            values.add(_decimal_key(parts[0] + "." + parts[1]))
            if grouped:
                values.add(_decimal_key("".join(parts)))
    else:
        values.add(_decimal_key(token))
    return frozenset(v for v in values if v is not None)


def _date_key(year: int, month: int, day: int | None) -> str | None:
    if year < 100:
        year += 2000 if year < 70 else 1900
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day is not None else "")


def _month(name: str) -> int:
    return _MONTHS[name.rstrip(".").lower()]


def _dates(text: str) -> Iterator[tuple[int, int, frozenset[str]]]:
    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            g = m.groups()
            keys: set[str | None] = set()
            if kind == "ymd":
                keys.add(_date_key(int(g[0]), int(g[2]), int(g[3])))
            elif kind == "dmy_or_mdy":
                keys |= {_date_key(int(g[2]), int(g[1]), int(g[0])), _date_key(int(g[2]), int(g[0]), int(g[1]))}
            elif kind == "d_month_y":
                keys.add(_date_key(int(g[2]), _month(g[1]), int(g[0])))
            elif kind == "month_d_y":
                keys.add(_date_key(int(g[2]), _month(g[0]), int(g[1])))
            elif kind == "month_y":
                keys.add(_date_key(int(g[1]), _month(g[0]), None))
            elif kind == "cjk_ymd":
                year = _ERAS[g[0]] + (1 if g[1] == "元" else int(g[1])) if g[0] else int(g[2])
                keys.add(_date_key(year, int(g[3]), int(g[4]) if g[4] else None))
            elif kind == "cjk_md":
                day, month = int(g[1]), int(g[0])
                keys.add(f"--{month:02d}-{day:02d}" if 1 <= day <= 31 and 1 <= month <= 12 else None)
            elif kind == "month_d":
                if not g[0][0].isupper():
                    continue
                day, month = int(g[1]), _month(g[0])
                keys.add(f"--{month:02d}-{day:02d}" if 1 <= day <= 31 else None)
            else:  # day and month, no year
                day, month = int(g[0]), _month(g[1])
                keys.add(f"--{month:02d}-{day:02d}" if 1 <= day <= 31 else None)
            found = frozenset(k for k in keys if k)
            if found:
                yield m.start(), m.end(), found


def _code_key(token: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", token.upper())


# -- extraction ------------------------------------------------------------------------------------
def extract_figures(text: str, *, number_words: bool = False) -> list[Figure]:
    """The figures of ``text`` in order: dates, codes, numbers with their units, and with ``number_words`` the
    English number words from two up ('two doses', 'forty-five')."""
    taken: list[tuple[int, int]] = []
    figures: list[Figure] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(kind: str, start: int, end: int, keys: frozenset[str], unit: str | None = None) -> None:
        taken.append((start, end))
        figures.append(Figure(kind, text[start:end], start, end, keys, unit))

    for start, end, keys in _dates(text):
        if free(start, end):
            add("date", start, end, keys)
    for m in _TIME.finditer(text):
        if free(m.start(), m.end()):
            add("number", m.start(), m.end(), frozenset({f"time:{int(m.group(1))}:{m.group(2)}"}))
    for m in _CJK_TIME.finditer(text):
        hour, minute = int(m.group(2)), int(m.group(3) or (30 if m.group(4) else 0))
        if free(m.start(), m.end()) and hour <= 24 and minute < 60:
            hours = {hour, hour + 12} if m.group(1) in {"午後", "下午", "오후"} and hour < 12 else {hour}
            add("number", m.start(), m.end(),
                frozenset({f"time:{h}:{minute:02d}" for h in hours} | number_values(m.group(2))))
    for m in _CODE.finditer(text):
        if free(m.start(), m.end()) and not _ORDINAL_OR_UNIT_CODE.match(m.group(0)):
            add("code", m.start(), m.end(), frozenset({_code_key(m.group(0))}))
    enumerators = {m.start(1) for m in _ENUMERATOR.finditer(text)}
    for m in _NUMBER.finditer(text):
        start, end = m.start(), m.end()
        if not free(start, end) or start in enumerators or _PAGE_REFERENCE.search(text[max(0, start - 12) : start]):
            continue
        unit = canonical_unit(m.group("unit") or m.group("joined"))
        prefix = _PREFIX_CURRENCY.search(text[max(0, start - 2) : start])
        if prefix and unit is None:
            unit, start = prefix.group(1), start - len(prefix.group(0))
        number = m.group(1)
        if start >= 1 and text[start - 1] in "-\u2212" and (start < 2 or not text[start - 2].isalnum()):
            start -= 1
            number = "-" + number
        add("number", start, end, number_values(number), unit)
    if number_words:
        figures += _number_words(text, figures)
    figures.sort(key=lambda f: f.start)
    return figures


_CURRENCY = re.compile(r"[€$£]|\b(?:EUR|USD|GBP|euros?|dollars?)\b", re.IGNORECASE)


#: A word glued to the number before it, as PDF text often has it ('$3,148,800.00exgst', '12 May 2019and'), with
#: the three words before it (a date's day and month).
_GLUED_WORD = re.compile(r"(?:\S+[ \t]+){0,3}\S*\d(?=[^\W\d_]{3,})")


def support_of(text: str) -> Support:
    """Everything ``text`` backs, read liberally: the parts of codes and dates, words such as 'forty-five', a
    number a word is glued to, read as if a space stood between them, and a figure between the underscores of a
    blank to fill in ("No. 21-1832, __F.4th__, 2023": a citation whose volume is not yet known)."""
    text = text.replace("_", " ")
    support = _support_of(text)
    support.currencies = currencies_named(text)
    glued = [m.group(0) for m in _GLUED_WORD.finditer(text)]
    if glued:
        apart = _support_of("\n\n".join(f"{run} ." for run in glued))
        for value, units in apart.numbers.items():
            support.numbers.setdefault(value, set()).update(units)
        support.dates |= apart.dates
    return support


def currencies_named(text: str) -> set[str]:
    """The currencies ``text`` names anywhere ("AMOUNT ($)", "Prijs in EUR"), as units: those in which its bare
    amounts are."""
    return {canonical_unit(m.group(0)) or m.group(0) for m in _CURRENCY.finditer(text)}


#: The first day of a range that shares the month and year of the date after it: "de 19 a 23.10.2020", "19 to 23
#: October 2020", "du 19 au 23 octobre", "vom 19. bis 23.10.2020", "19-23 Oct".
_RANGE_START = re.compile(r"(?<![\d.,/])(\d{1,2})(?:st|nd|rd|th|er|º)?\.?\s*"
                          r"(?:-|–|—|to|till|until|through|thru|and|a|à|au|al|bis|und|et|y|e|t/m|tot|en)\s*$",
                          re.IGNORECASE)
#: ... and both days of one written month first: "October 19-23, 2020", "October 19 to 23".
_MONTH_RANGE = re.compile(rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*(?:-|–|—|to|till|until|through|thru|and)"
                          r"\s*(\d{1,2})(?!\d)(?:st|nd|rd|th)?,?(?:\s+(\d{4})(?!\d))?", re.IGNORECASE)


def _range_dates(text: str, figures: Sequence[Figure]) -> set[str]:
    """The days of a range that ``figures`` leave unread: the first of "19 a 23.10.2020" (its month and year those
    of the date after it), and both of "October 19-23, 2020", each with and without its year."""
    found: set[str] = set()
    for figure in figures:
        if figure.kind != "date":
            continue
        before = _RANGE_START.search(text, max(0, figure.start - 16), figure.start)
        if before is None:
            continue
        day = int(before.group(1))
        for key in figure.keys:
            if len(key) == 10 and 1 <= day < int(key[8:]):
                found |= {f"{key[:8]}{day:02d}", f"--{key[5:8]}{day:02d}"}
    for m in _MONTH_RANGE.finditer(text):
        name, first, last, year = m.groups()
        if not name[0].isupper() or not 1 <= int(first) < int(last) <= 31:
            continue  # "may 12 to 14" (the verb), or no range
        month = _month(name)
        for day in (int(first), int(last)):
            found.add(f"--{month:02d}-{day:02d}")
            if year:
                found.add(f"{int(year):04d}-{month:02d}-{day:02d}")
    return found


def _support_of(text: str) -> Support:
    support = Support(blob=_code_key(text))
    figures = extract_figures(text)
    for figure in figures:
        if figure.kind == "date":
            support.dates |= figure.keys
            for key in figure.keys:
                if len(key) == 10:
                    support.dates |= {key[:7], "--" + key[5:]}
        elif figure.kind == "code":
            support.codes |= figure.keys
        else:
            for value in figure.keys:
                support.numbers.setdefault(value, set()).add(figure.unit)
    support.dates |= _range_dates(text, figures)
    # Every digit run outside a number with a unit counts as a bare number: '4471' of 'PN-4471', '2026' of a
    # date, '1' and '500' of '1 500'. Runs inside '40 t' stay out, so '40 kg' is not backed by them.
    with_unit = [(f.start, f.end) for f in figures if f.kind == "number" and f.unit]
    for m in re.finditer(r"\d+(?:[.,]\d+)?", text):
        if any(s <= m.start() < e for s, e in with_unit):
            continue
        # A unit a word or two after the number backs it too: '2,000 operating hours' backs '2,000 hours'; so does
        # one at the start of the next line, where a PDF's line broke between them ('averages 0.27\nhours').
        units = {None, _unit_within_words(text, m.end()), _unit_after(text, m.end())}
        for value in number_values(m.group(0)):
            support.numbers.setdefault(value, set()).update(units)
    for m in _WORD_NUMBER.finditer(text):
        amount = _word_number_value(m)
        support.numbers.setdefault(str(amount), set()).add(_unit_after(text, m.end()))
    for m in _FOREIGN_NUMBER.finditer(text):
        value = str(_FOREIGN_NUMBERS[m.group(1).lower()])
        support.numbers.setdefault(value, set()).add(_unit_after(text, m.end()))
    for m in _CJK_MULTIPLE.finditer(text):
        multiplied = Decimal(re.sub(r"[,\s]", "", m.group(1))) * _CJK_MULTIPLES[m.group(2)]
        # also as English counts it, in thousands, millions or billions: "696,008 million"
        for scale in (1, 10**3, 10**6, 10**9):
            for key in number_values(format(multiplied / scale, "f")) if multiplied >= scale else ():
                support.numbers.setdefault(key, set()).add(None)
    for m in _CJK_UNIT.finditer(text):
        for key in number_values(m.group(1)):
            support.numbers.setdefault(key, set()).add(_CJK_UNITS[m.group(2)])
    return support


#: The multiples Chinese, Japanese and Korean count in: "9万部" is 90,000 copies, "6960.08 亿元" 696,008 million
#: yuan, "40만원" 400,000 won.
_CJK_MULTIPLES = {"千": 1000, "천": 1000, "万": 10**4, "萬": 10**4, "만": 10**4, "亿": 10**8, "億": 10**8, "억": 10**8}
_CJK_MULTIPLE = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(千|천|万|萬|만|亿|億|억)")
#: Units of time as they write them: "２０分程度" is about 20 minutes, "3時間" 3 hours, "５日間" 5 days.
_CJK_UNITS = {"分": "min", "분": "min", "時間": "h", "小时": "h", "小時": "h", "시간": "h", "秒": "s", "초": "s",
              "日間": "d", "天": "d", "일간": "d"}
_CJK_UNIT = re.compile(r"(?<![\d.,])(\d+(?:\.\d+)?)\s*(" + "|".join(sorted(_CJK_UNITS, key=len, reverse=True)) + ")")


#: The unit after a number, also past the number spelled out in brackets as deeds and contracts write it ("90
#: (noventa) dias", "fourteen (14) days": the bracket closes right after the figure).
_UNIT_AFTER = re.compile(rf"\)?\s*(?:\([^()\d]{{1,30}}\)\s*)?({_UNIT_PATTERN})(?![\w])")


_UNIT_WITHIN_WORDS = re.compile(rf"\s+(?:[^\W\d_]+[-\s]+){{1,2}}({_UNIT_PATTERN})(?![\w])")


def _unit_within_words(text: str, end: int) -> str | None:
    """The canonical unit one or two words after ``text[:end]`` ('2,000 operating hours' -> 'h'), if any."""
    unit = _UNIT_WITHIN_WORDS.match(text, end)
    return canonical_unit(unit.group(1)) if unit else None


def _unit_after(text: str, end: int) -> str | None:
    """The canonical unit written right after ``text[:end]`` ('forty-five tonnes' -> 't'), if any."""
    unit = _UNIT_AFTER.match(text, end)
    return canonical_unit(unit.group(1)) if unit else None


def _word_number_value(match: re.Match[str]) -> int:
    amount = _WORD_NUMBERS[match.group(1).lower()] + (_WORD_NUMBERS[match.group(2).lower()] if match.group(2) else 0)
    return amount * {"hundred": 100, "thousand": 1000}.get((match.group(3) or "").lower(), 1)


def spelled_numbers_as_digits(text: str, minimum: int = 0) -> str:
    """English number words of at least ``minimum`` written as digits: 'Forty-five bolts' -> '45 bolts'."""

    def digits(match: re.Match[str]) -> str:
        value = _word_number_value(match)
        return str(value) if value >= minimum else match.group(0)

    return _WORD_NUMBER.sub(digits, text)


_ENGLISH_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")


def localised_numbers(text: str, decimal: str, group: str) -> str:
    """English-written numbers in another language's notation: with ``decimal=","`` and ``group="\u202f"``,
    '1,842 hours' -> '1\u202f842 hours' and '2.5 mm' -> '2,5 mm'.

    A French reader takes '1,842' for one point eight, so a translation must not copy it. Grouped numbers
    always change; a decimal point changes only in a measurement (a number with a unit), so '10.10' in
    'OS X 10.10' or a section number '3.2' keeps its point.
    """
    pieces: list[str] = []
    last = 0
    for figure in extract_figures(text):
        number = _ENGLISH_NUMBER.search(figure.text) if figure.kind == "number" else None
        if number is None:
            continue
        integer, fraction = number.groups()
        grouped = "," in integer
        if not grouped and (fraction is None or figure.unit is None):
            continue
        written = integer.replace(",", group) + (decimal + fraction if fraction else "")
        pieces.append(text[last : figure.start + number.start()] + written)
        last = figure.start + number.end()
    return "".join(pieces) + text[last:]


# -- checks ----------------------------------------------------------------------------------------
def check_text(text: str, source: str | Support, *, number_words: bool = False) -> list[Unsupported]:
    """Figures of ``text`` that ``source`` does not back. With ``number_words``, English number words from two
    up count as figures too ('two doses' where the source says '4 tablets'): for summaries and answers in
    English, not for translations, whose source may spell its numbers in another language."""
    support = source if isinstance(source, Support) else support_of(source)
    figures = extract_figures(text, number_words=number_words)
    return [Unsupported(figure, "not found in the source") for figure in figures if not support.backs(figure)]


def value_absent(unsupported: Sequence[Unsupported], source: str | Support) -> list[Unsupported]:
    """Those of ``unsupported`` whose value ``source`` does not hold bare: a figure that is not there at all, or
    only with another unit ('€135' for '135 kg'); not one written with a unit the source leaves out ('$618.00'
    for a table's '618.00'). A figure read two ways is there when its larger reading is: '$10,000' is not held by
    an agenda's item '10.' (ten thousand, not ten with a decimal comma)."""
    support = source if isinstance(source, Support) else support_of(source)
    return [u for u in unsupported
            if u.figure.kind != "number" or None not in support.numbers.get(_largest(u.figure.keys), ())]


def _largest(keys: frozenset[str]) -> str:
    """The largest of a figure's readings ('10000' of '10,000': ten thousand, or ten with a decimal comma)."""
    return max(keys, key=lambda key: (Decimal(key), key))


def _number_words(text: str, figures: Sequence[Figure]) -> list[Figure]:
    """'two', 'forty-five', 'three hundred' outside the figures already found, with the unit after them."""
    found = []
    for m in _WORD_NUMBER.finditer(text):
        value = _word_number_value(m)
        if value < 2 or any(f.start < m.end() and m.start() < f.end for f in figures):
            continue
        unit = _unit_after(text, m.end())
        found.append(Figure("number", m.group(0), m.start(), m.end(), frozenset({str(value)}), unit))
    return found


_PAGE_MARKER = re.compile(r"^\*Page \d+\*$")


def translation_paragraphs(translation: str) -> list[tuple[int, str]]:
    """(offset, text) of each translated paragraph, page markers left out."""
    result = []
    offset = 0
    for block in translation.split("\n\n"):
        if not _PAGE_MARKER.match(block.strip()):
            result.append((offset, block))
        offset += len(block) + 2
    while result and not result[-1][1].strip():
        result.pop()
    return result


def check_translation(source_paragraphs: Sequence[str], translation: str) -> list[Unsupported]:
    """Per paragraph: figures the translation added or altered, and figures of the source it lost.

    When the paragraphs cannot be paired (the model merged or split some), the whole texts are compared.
    """
    blocks = translation_paragraphs(translation)
    pairs: list[tuple[int | None, str, int, str]]
    if len(blocks) != len(source_paragraphs):
        pairs = [(None, "\n\n".join(source_paragraphs), 0, translation)]
    else:
        pairs = [
            (i + 1, src, off, tgt) for i, (src, (off, tgt)) in enumerate(zip(source_paragraphs, blocks, strict=True))
        ]
    flagged: list[Unsupported] = []
    for paragraph, source, offset, target in pairs:
        for item in check_text(target, source):
            f = item.figure
            moved = Figure(f.kind, f.text, f.start + offset, f.end + offset, f.keys, f.unit)
            flagged.append(Unsupported(moved, "not in the source paragraph", paragraph))
        for item in check_text(source, target):
            flagged.append(Unsupported(item.figure, "missing or altered in the translation", paragraph, False))
    return flagged


def warning_line(unsupported: Sequence[Unsupported]) -> str:
    """'warning: 2 figures not found in the source: 45 kN, PN-4417-B' (empty when nothing is flagged)."""
    if not unsupported:
        return ""
    added = [u.figure.text for u in unsupported if u.in_output]
    lost = [u.figure.text for u in unsupported if not u.in_output]
    parts = []
    if added:
        noun = "figure" if len(added) == 1 else "figures"
        parts.append(f"warning: {len(added)} {noun} not found in the source: {', '.join(added)}")
    if lost:
        noun = "figure" if len(lost) == 1 else "figures"
        parts.append(f"warning: {len(lost)} {noun} of the source missing or altered in the output: {', '.join(lost)}")
    return "\n".join(parts)
