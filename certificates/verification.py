"""The public verification of a certificate: by number and check code, without logging in.

It shows the number, the masked name (王*), the hours, the period, the issuer and whether
the certificate is valid or revoked — nothing more. A wrong check code gets the very same
answer as an unknown number, and each client address gets a limited number of lookups per
window, so that numbers cannot be enumerated.
"""

import hmac

from django.conf import settings
from django.core.cache import cache

from accounts.services import client_ip

from .models import Certificate

RATE_DEFAULT = (10, 600)  # lookups per window of seconds, per client address


def rate_limit() -> tuple[int, int]:
    return tuple(getattr(settings, "CERTIFICATE_VERIFY_RATE", RATE_DEFAULT))


def rate_exceeded(request) -> bool:
    """Count one lookup of this client and say whether it is over the limit."""
    limit, window = rate_limit()
    key = f"certificate-verify:{client_ip(request) or 'unknown'}"
    if cache.add(key, 1, timeout=window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return False
    return count > limit


def certificate_lookup(number: str, code: str) -> Certificate | None:
    """Return the certificate with this number and check code; None for any mismatch."""
    number = (number or "").strip()[:32]
    code = (code or "").strip().upper()[:16]
    certificate = (
        Certificate.objects.filter(number=number).select_related("organization").first()
        if number
        else None
    )
    stored = certificate.check_code if certificate is not None else "X" * 6
    # Compared in constant time, and compared even when the number is unknown.
    matches = hmac.compare_digest(stored.encode(), code.encode())
    return certificate if certificate is not None and matches else None


def public_facts(certificate: Certificate) -> dict:
    """Return the only facts the public page shows."""
    return {
        "number": certificate.number,
        "name": certificate.masked_name,
        "hours": certificate.hours,
        "period_from": certificate.period_from,
        "period_to": certificate.period_to,
        "issuer": certificate.issuer_name,
        "valid": certificate.is_valid,
        "status": certificate.get_status_display(),
    }
