"""Model-rule helpers: a refused save leaves the table as it was; valid ID numbers."""

import pytest
from django.core.exceptions import ValidationError

from core.services import record_save
from core.validators import id_check_char


def valid_id_number(region: str = "620102", birth: str = "19800101", serial: int = 1) -> str:
    first17 = f"{region}{birth}{serial:03d}"
    return first17 + id_check_char(first17)


def assert_refused(instance, field: str, message: str) -> None:
    """Saving ``instance`` through the shared validate-then-save path fails on ``field``.

    ``field`` is the error key (``__all__`` for whole-row rules); the table is unchanged.
    """
    model = type(instance)
    before = model._default_manager.count()
    with pytest.raises(ValidationError) as caught:
        record_save(instance=instance, user=None)
    errors = caught.value.message_dict
    assert field in errors, errors
    assert any(text.startswith(message) for text in errors[field]), errors
    assert model._default_manager.count() == before


def assert_accepted(instance) -> None:
    """The instance validates and is saved."""
    record_save(instance=instance, user=None)
    assert type(instance)._default_manager.filter(pk=instance.pk).exists()
