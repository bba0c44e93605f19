"""Password rules of the security policy (等保 2.0: length and character classes)."""

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
