"""Password policy (等保 2.0): at least 10 characters from at least three classes."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.models import User


def _errors(password: str) -> list[str]:
    try:
        validate_password(password, user=User(username="zhangsan"))
    except ValidationError as exc:
        return [e.code for e in exc.error_list]
    return []


def test_nine_characters_with_every_class_are_rejected():
    assert "password_too_short" in _errors("Gs#7kq2Lm")


@pytest.mark.parametrize("password", ["gsqmkzrtwa7", "gsqmkzrtwaB", "GSQMKZ#RTW", "gsq-mkz_rtw"])
def test_ten_characters_with_two_classes_are_rejected(password):
    assert "password_too_simple" in _errors(password)


@pytest.mark.parametrize("password", ["Gsqmkzrtw7", "gsq-mkzrt7", "GSQ-MKZRT7", "Gsq-mkzrtw"])
def test_ten_characters_with_three_classes_are_accepted(password):
    assert _errors(password) == []


def test_a_common_password_is_rejected_even_if_long_enough():
    assert "password_too_common" in _errors("Password123")


def test_the_rejection_is_explained_in_chinese():
    with pytest.raises(ValidationError) as exc:
        validate_password("gsqmkzrtwa7", user=User(username="zhangsan"))
    assert any("类字符" in m for m in exc.value.messages)
