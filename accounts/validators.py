"""Password rules of the security policy (等保 2.0: length and character classes)."""

import re
import string

from django.core.exceptions import ValidationError


class CharacterClassValidator:
    """Require characters from several classes: lower, upper, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or not c.isascii() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                "密码至少包含小写字母、大写字母、数字、符号中的 %(n)d 类字符。",
                code="password_too_simple",
                params={"n": self.min_classes},
            )

    def get_help_text(self):
        return f"密码至少包含小写字母、大写字母、数字、符号中的 {self.min_classes} 类字符。"


# Words that make up most guessed passwords once their digits, symbols and look-alike
# characters (P@ssw0rd, Adm1n) are taken away.
COMMON_WORDS = frozenset(
    """password passwd passw0rd pass qwerty qwertyuiop qwer asdf asdfgh asdfghjkl zxcv zxcvbn
    zxcvbnm qazwsx admin administrator root super superuser manager welcome letmein iloveyou
    abc abcd abcde abcdef test tester user login guest master secret china woaini gansu lanzhou
    demo default changeme system sysadmin shequ minzheng""".split()
)
LOOK_ALIKES = str.maketrans(
    {"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s", "5": "s", "7": "t"}
)


class GuessablePasswordValidator:
    """Refuse passwords built from a common word, a keyboard row or a published password.

    ``P@ssw0rd12``, ``Qwerty123!`` and ``Admin@12345`` meet the length and character-class
    rules; their letters, once look-alike characters are read back as letters and digits and
    symbols dropped, are a word every guessing list starts with. Passwords published with the
    portal (``PUBLISHED_PASSWORDS``, the demo accounts') are refused too.
    """

    message = (
        "密码过于常见、容易被猜到（常见单词、键盘序列或公开的演示密码加数字和符号），请换一个。"
    )

    def _published(self) -> set[str]:
        from django.conf import settings

        return {p.lower() for p in getattr(settings, "PUBLISHED_PASSWORDS", ())}

    def validate(self, password, user=None):
        lowered = password.lower()
        read_back = lowered.translate(LOOK_ALIKES)
        letters = "".join(c for c in read_back if c.isalpha())
        # The word between a leading and a trailing run of digits and symbols (P@ssw0rd12).
        core_word = "".join(
            c
            for c in re.sub(r"^[^a-z]+|[^a-z]+$", "", lowered).translate(LOOK_ALIKES)
            if c.isalpha()
        )
        plain_letters = "".join(c for c in lowered if c.isalpha())
        published = self._published()
        if (
            letters in COMMON_WORDS
            or core_word in COMMON_WORDS
            or _in_common_list(core_word)
            or plain_letters in COMMON_WORDS
            or lowered in published
            or any(p and p in lowered for p in published)
            or _in_common_list(read_back)
            or _in_common_list(letters)
        ):
            raise ValidationError(self.message, code="password_guessable")

    def get_help_text(self):
        return "不能使用常见单词、键盘序列或公开的演示密码加数字和符号组成的密码。"


def _in_common_list(candidate: str) -> bool:
    if len(candidate) < 6:
        return False
    from django.contrib.auth.password_validation import CommonPasswordValidator

    return candidate in _common_passwords(CommonPasswordValidator)


_COMMON: set[str] | None = None


def _common_passwords(validator_class) -> set[str]:
    global _COMMON
    if _COMMON is None:
        _COMMON = set(validator_class().passwords)
    return _COMMON
