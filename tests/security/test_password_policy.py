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


@pytest.mark.parametrize(
    "password", ["P@ssw0rd12", "Qwerty123!", "Admin@12345", "Gansu-demo-2015", "Gansu-demo-2015!x"]
)
def test_guessable_passwords_are_rejected(password):
    assert "password_guessable" in _errors(password)


def test_the_add_user_form_refuses_a_guessable_password(db, client):
    from tests.factories import make_user

    admin = make_user("root_form", role="admin", scope_code="62", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "newuser",
            "password1": "P@ssw0rd12",
            "password2": "P@ssw0rd12",
            "usable_password": "true",
            "role": "staff",
            "scope_code": "620102016001",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="newuser").exists()
    assert "容易被猜到" in response.content.decode()
