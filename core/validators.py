"""Validators and masks: resident ID numbers (GB 11643-1999), phone numbers, storable text,
the sex digit of an ID number and plausible dates.

These are the entry rules every channel shares: the models call them from ``clean()`` and
``clean_fields()``, so a form, the API and an Excel import refuse the same values with the
same Chinese message.
"""

import datetime
import re

from django.core.exceptions import ValidationError

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
PHONE_PATTERN = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def id_check_char(first17: str) -> str:
    """Return the GB 11643 check character for the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def normalize_id_number(value: str) -> str:
    """Strip spaces and upper-case the check character."""
    return (value or "").strip().replace(" ", "").upper()


def validate_id_number(value: str) -> None:
    """Reject a resident ID number that is malformed or fails the GB 11643 check digit."""
    value = normalize_id_number(value)
    if not ID_PATTERN.match(value):
        raise ValidationError("身份证号码应为18位，前17位为数字，末位为数字或X。", code="id_format")
    try:
        birth = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError("身份证号码中的出生日期无效。", code="id_birth_date") from None
    if birth.year < 1900 or birth > datetime.date.today():
        raise ValidationError("身份证号码中的出生日期无效。", code="id_birth_date")
    if id_check_char(value[:17]) != value[17]:
        raise ValidationError("身份证号码校验位错误（GB 11643）。", code="id_check_digit")


MALE, FEMALE = "male", "female"
SEX_LABELS = {MALE: "男", FEMALE: "女"}


def id_number_sex(value: str | None) -> str | None:
    """Return ``"male"`` or ``"female"`` from the 17th digit (odd: 男, even: 女), or None."""
    value = normalize_id_number(value or "")
    if len(value) < 17 or not value[16].isdigit():
        return None
    return MALE if int(value[16]) % 2 else FEMALE


def gender_mismatch_error(gender: str | None, id_number: str | None) -> str | None:
    """Say why ``gender`` disagrees with the ID number's sex digit, or None when they agree.

    Nothing is said while either is missing or the number is malformed: the fields' own
    checks report that.
    """
    sex = id_number_sex(id_number)
    if not gender or sex is None or ID_PATTERN.match(normalize_id_number(id_number)) is None:
        return None
    if gender != sex:
        return (
            f"性别与身份证号码不符：身份证号码第17位为{'奇数' if sex == MALE else '偶数'}，"
            f"应为“{SEX_LABELS[sex]}”。"
        )
    return None


#: The earliest date a record of the portal can carry: the founding of the People's Republic.
#: A date before it (``0001-01-01``, ``1900-01-01``) is a typing or import error.
EARLIEST_DATE = datetime.date(1949, 10, 1)


def past_date_error(value: datetime.date | None, label: str, today: datetime.date) -> str | None:
    """Say why a date of something that has happened is implausible, or None.

    It may not lie after ``today`` (a plan leaves the date empty) nor before
    ``EARLIEST_DATE``.
    """
    if not value:
        return None
    if value > today:
        return f"{label}不能晚于今天（{today:%Y年%m月%d日}）。"
    if value < EARLIEST_DATE:
        return f"{label}不能早于{EARLIEST_DATE:%Y年%m月%d日}，请检查年份。"
    return None


PARENTHESES = re.compile(r"（[^）]*）")


def validate_phone(value: str) -> None:
    """Reject anything but an 11-digit mobile number or a landline with area code."""
    if value and not PHONE_PATTERN.match(value.strip()):
        raise ValidationError(
            "电话号码格式不正确，应为11位手机号或带区号的固定电话。", code="phone"
        )


def mask_id_number(value: str | None) -> str:
    """Hide the birth date and sequence: ``620102********1234``."""
    if not value:
        return ""
    return value[:6] + "*" * (len(value) - 10) + value[-4:] if len(value) > 10 else "*" * len(value)


def mask_phone(value: str | None) -> str:
    """Hide the middle of a phone number: ``138****5678``."""
    if not value:
        return ""
    value = value.strip()
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "****" + value[-4:]


def mask_name(value: str | None) -> str:
    """Keep a name's first character only: ``王*``, ``欧阳**``."""
    value = (value or "").strip()
    if not value:
        return ""
    return value[0] + "*" * max(len(value) - 1, 1)


# C0 control characters other than tab, newline and carriage return: no name or address has
# them, and they break the Excel files the same records are exported to.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_MESSAGE = "不能包含控制字符。"
UNREADABLE_MESSAGE = "包含无法识别的字符。"


def text_problem(value) -> str | None:
    """Say what makes a text unstorable (control characters, lone surrogates), or None."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return UNREADABLE_MESSAGE
        if CONTROL_CHARACTERS.search(value):
            return CONTROL_MESSAGE
    elif isinstance(value, list | tuple):
        for item in value:
            problem = text_problem(item)
            if problem:
                return problem
    elif isinstance(value, dict):
        return text_problem(list(value.keys()) + list(value.values()))
    return None


def storable_text_errors(instance, exclude=()) -> dict[str, list[str]]:
    """Return ``{field: [message]}`` for the text fields of a row that hold unstorable text."""
    errors: dict[str, list[str]] = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude or field.get_internal_type() not in (
            "CharField",
            "TextField",
            "SlugField",
            "JSONField",
        ):
            continue
        problem = text_problem(getattr(instance, field.attname, None))
        if problem:
            errors[field.name] = [problem]
    return errors
