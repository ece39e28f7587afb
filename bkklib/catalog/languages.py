"""Names people read for the MARC language codes of the catalog (008/35-37, 041), in the active language."""
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# MARC language codes the network's collections use most; others show their code.
LANGUAGES = {
    "tha": (_("Thai"), "th"), "eng": (pgettext_lazy("a language", "English"), "en"), "chi": (_("Chinese"), "zh"),
    "jpn": (_("Japanese"), "ja"), "kor": (_("Korean"), "ko"), "fre": (_("French"), "fr"),
    "ger": (_("German"), "de"), "lao": (_("Lao"), "lo"), "bur": (_("Burmese"), "my"),
    "khm": (_("Khmer"), "km"), "vie": (_("Vietnamese"), "vi"), "may": (_("Malay"), "ms"),
    "ara": (_("Arabic"), "ar"), "spa": (_("Spanish"), "es"), "rus": (_("Russian"), "ru"),
    "pli": (_("Pali"), "pi"), "san": (_("Sanskrit"), "sa"), "mul": (_("Several languages"), ""),
}


def language_name(code: str) -> str:
    """Return the language's name in the active language, or the MARC code when unknown."""
    entry = LANGUAGES.get(code or "")
    return str(entry[0]) if entry else (code or "")


def bcp47(code: str) -> str:
    """Return the BCP 47 tag of a MARC language code ("tha" → "th"), or "" when unknown."""
    entry = LANGUAGES.get(code or "")
    return entry[1] if entry else ""
