"""Which language a text is written in (py3langid, offline and deterministic) and what to call it."""

from __future__ import annotations

import re
from collections.abc import Collection

# The targets offered for translation are declared with the setting that offers them.
from assistant.settings import TRANSLATION_LANGUAGES

# English names of the other ISO 639-1 languages py3langid can recognise.
_OTHER_LANGUAGE_NAMES = {
    "af": "Afrikaans", "am": "Amharic", "an": "Aragonese", "as": "Assamese", "az": "Azerbaijani",
    "ba": "Bashkir", "be": "Belarusian", "bg": "Bulgarian", "bn": "Bengali", "br": "Breton",
    "bs": "Bosnian", "ca": "Catalan", "cs": "Czech", "cy": "Welsh", "da": "Danish", "dz": "Dzongkha",
    "el": "Greek", "eo": "Esperanto", "et": "Estonian", "eu": "Basque", "fa": "Persian",
    "fi": "Finnish", "fo": "Faroese", "fy": "Frisian", "ga": "Irish", "gd": "Scottish Gaelic",
    "gl": "Galician", "gn": "Guarani", "gu": "Gujarati", "ha": "Hausa", "he": "Hebrew", "hi": "Hindi",
    "hr": "Croatian", "ht": "Haitian Creole", "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian",
    "ig": "Igbo", "is": "Icelandic", "jv": "Javanese", "ka": "Georgian", "ki": "Kikuyu",
    "kk": "Kazakh", "km": "Khmer", "kn": "Kannada", "ko": "Korean", "ku": "Kurdish", "ky": "Kyrgyz",
    "la": "Latin", "lb": "Luxembourgish", "lg": "Ganda", "ln": "Lingala", "lo": "Lao",
    "lt": "Lithuanian", "lv": "Latvian", "mg": "Malagasy", "mk": "Macedonian", "ml": "Malayalam",
    "mn": "Mongolian", "mr": "Marathi", "ms": "Malay", "mt": "Maltese", "my": "Burmese",
    "ne": "Nepali", "nn": "Norwegian Nynorsk", "no": "Norwegian", "oc": "Occitan", "om": "Oromo",
    "or": "Odia", "pa": "Punjabi", "ps": "Pashto", "qu": "Quechua", "ro": "Romanian",
    "rw": "Kinyarwanda", "sa": "Sanskrit", "se": "Northern Sami", "si": "Sinhala", "sk": "Slovak",
    "sl": "Slovenian", "sn": "Shona", "so": "Somali", "sq": "Albanian", "sr": "Serbian",
    "st": "Southern Sotho", "sv": "Swedish", "ta": "Tamil", "te": "Telugu", "tg": "Tajik",
    "th": "Thai", "tk": "Turkmen", "tl": "Tagalog", "tt": "Tatar", "ug": "Uyghur", "ur": "Urdu",
    "uz": "Uzbek", "vi": "Vietnamese", "vo": "Volapük", "wa": "Walloon", "xh": "Xhosa",
    "yo": "Yoruba", "zu": "Zulu",
}  # fmt: skip
LANGUAGE_NAMES: dict[str, str] = {**TRANSLATION_LANGUAGES, **_OTHER_LANGUAGE_NAMES}

# py3langid also knows some languages that have no ISO 639-1 code; these map onto the macrolanguage.
_TO_ISO_639_1 = {
    "ary": "ar", "arz": "ar", "yue": "zh", "wuu": "zh", "uzs": "uz", "sdh": "ku", "gug": "gn", "kik": "ki",
}  # fmt: skip
#: What the identifier calls a text in no language (figures, symbols).
NO_LANGUAGE = "zxx"
_NOT_LETTERS = re.compile(r"[^\w\s]|[\d_]")
#: Below this many letters a guess is closer to noise than to an answer.
MIN_LETTERS = 20
# Enough text for a stable answer; classifying a whole book only costs time.
_SAMPLE_CHARACTERS = 20_000


def detect_language(text: str, among: Collection[str] = ()) -> str | None:
    """The ISO 639-1 code of the text's language, or None when the text is too short to tell. With ``among``,
    the likeliest of those languages (a short question is told apart from the few languages it can be in far
    more surely than from all of them)."""
    sample = text[:_SAMPLE_CHARACTERS]
    if sum(character.isalpha() for character in sample) < MIN_LETTERS:
        return None
    from assistant.models.language_identifier import LANGUAGE_IDENTIFIER  # its model loads on first use

    if among:
        return next((code for code in map(_iso_639_1, LANGUAGE_IDENTIFIER.ranked(sample)) if code in among), None)
    code = _iso_639_1(LANGUAGE_IDENTIFIER.classify(sample))
    if code == NO_LANGUAGE:
        # Mostly figures and table rules (a spreadsheet's first rows: "| 一、本外币各项存款 | 亿元 | 6779.07 | …"):
        # its words alone tell the language.
        code = _iso_639_1(LANGUAGE_IDENTIFIER.classify(_NOT_LETTERS.sub(" ", sample)))
    return code if len(code) == 2 else None  # "zxx" (no language) and codes with no 639-1 form


def _iso_639_1(code: str) -> str:
    return _TO_ISO_639_1.get(code, code)


def language_name(code: str) -> str:
    """The English name of a language code ("fr" -> "French"); an unknown code comes back upper-cased."""
    return LANGUAGE_NAMES.get(code.lower(), code.upper())
