"""The certificate as an A4 PDF: Chinese fonts embedded, a place for the seal, a QR code.

WeasyPrint lays out ``certificates/certificate_pdf.html`` and embeds subsets of the CJK font
it finds (Debian's ``fonts-noto-cjk``: Noto Serif/Sans CJK SC). The QR code carries the
public verification address with the check code.
"""

import base64
import io
from pathlib import Path

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Certificate

#: The page's style, with the CJK font families tried in order.
STYLESHEET = Path(__file__).resolve().parent / "certificate_pdf.css"


def verify_path(certificate: Certificate) -> str:
    return (
        f"{reverse('certificate-verify', args=[certificate.number])}?code={certificate.check_code}"
    )


def verify_url(certificate: Certificate, request=None) -> str:
    """Return the absolute verification address printed on the certificate."""
    base = getattr(settings, "PUBLIC_BASE_URL", "")
    path = verify_path(certificate)
    if base:
        return base.rstrip("/") + path
    if request is not None:
        return request.build_absolute_uri(path)
    return path


def qr_data_uri(text: str) -> str:
    """Return a QR code of ``text`` as an SVG data URI."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=4, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def certificate_html(certificate: Certificate, request=None) -> str:
    url = verify_url(certificate, request)
    return render_to_string(
        "certificates/certificate_pdf.html",
        {
            "certificate": certificate,
            "c": certificate.content,
            "verify_url": url,
            "qr": qr_data_uri(url),
        },
    )


def certificate_pdf(certificate: Certificate, request=None) -> bytes:
    """Return the certificate as PDF bytes."""
    from weasyprint import CSS, HTML  # imported late: loading pango takes a moment

    html = HTML(string=certificate_html(certificate, request))
    return html.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])
