"""Tidy what staff type or paste before it is validated: full-width characters, odd spaces.

Codes, ID numbers, phones, numbers and dates come from Word documents, WeChat messages and
Excel files typed with a Chinese input method: full-width digits (``６２０１０２``), the
ideographic space, non-breaking spaces and invisible characters (zero-width spaces, the byte
order mark) pasted along. :func:`normalize` turns them into what a validator expects, so a
valid full-width ID number is not told its check digit is wrong. It is used by the Excel
importer's cell conversion (``core.xlsx.cells``) and by the portal's form base
(``core.forms``); free text (names, addresses) is left as typed.
"""

import re
import unicodedata

#: Characters that show nothing and are dropped: zero-width space, non-joiner and joiner,
#: the word joiner and the byte order mark (zero-width no-break space).
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
#: Spaces that NFKC leaves alone or that some sources carry besides U+00A0 and U+3000.
ODD_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")


def normalize(value):
    """Return ``value`` with full-width letters and digits made ASCII (NFKC), every kind of
    space made a plain space, invisible characters removed and the ends stripped.

    Values that are not text are returned as they are.
    """
    if not isinstance(value, str):
        return value
    text = INVISIBLE.sub("", value)
    text = unicodedata.normalize("NFKC", text)
    text = ODD_SPACES.sub(" ", text)
    return text.strip()
