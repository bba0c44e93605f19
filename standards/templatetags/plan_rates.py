"""Rates on the standards and teams pages: a Decimal share shown as a percentage."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def pct(value) -> str:
    """0.8333 → "83.33%"; nothing to divide by → "—"."""
    if value is None or value == "":
        return "—"
    return f"{(Decimal(value) * 100).quantize(Decimal('0.01'))}%"
