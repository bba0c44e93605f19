"""The certificate's PDF: A4, Chinese text extractable, CJK fonts embedded, a QR code."""

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from certificates.pdf import certificate_pdf, verify_url
from certificates.services import certificate_issue

A4 = (595.28, 841.89)  # points


@pytest.fixture
def certificate(world):
    return certificate_issue(
        volunteer=world["volunteer"],
        user=world["staff"],
        organization=world["org"],
        period_from=datetime.date(2013, 1, 1),
        period_to=datetime.date(2015, 12, 31),
        issued_on=datetime.date(2016, 1, 10),
    )


def embedded_fonts(reader: PdfReader) -> list[tuple[str, bool]]:
    """Return ``(font name, embedded?)`` for each font of the first page."""
    result = []
    for ref in reader.pages[0]["/Resources"]["/Font"].values():
        font = ref.get_object()
        descriptors = [font.get("/FontDescriptor")]
        for child in font.get("/DescendantFonts", []):
            descriptors.append(child.get_object().get("/FontDescriptor"))
        embedded = any(
            d is not None
            and any(k in d.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            for d in descriptors
        )
        result.append((str(font["/BaseFont"]), embedded))
    return result


def test_the_pdf_is_one_a4_page_with_chinese_text_that_can_be_extracted(certificate):
    reader = PdfReader(io.BytesIO(certificate_pdf(certificate)))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - A4[0]) < 1 and abs(float(box.height) - A4[1]) < 1
    # The title is letter-spaced: compare without whitespace.
    text = re.sub(r"\s", "", reader.pages[0].extract_text())
    for expected in (
        "志愿服务证明",
        "王小明",
        "团结新村爱心服务队",
        certificate.number,
        "12.5",
        "盖章",
        "负责人",
        "经办人",
        certificate.check_code,
    ):
        assert expected in text, expected
    assert certificate.volunteer.id_number not in text
    assert certificate.content["id_number_masked"] in text


def test_every_font_is_embedded_and_a_cjk_font_is_among_them(certificate):
    fonts = embedded_fonts(PdfReader(io.BytesIO(certificate_pdf(certificate))))
    assert fonts and all(embedded for _, embedded in fonts)
    # Without a CJK font Chinese would print as boxes (and extract as nothing).
    assert any("CJK" in name or "Han" in name or "Hei" in name for name, _ in fonts)


def test_the_qr_code_carries_the_verification_address(certificate, settings):
    settings.PUBLIC_BASE_URL = "https://mz.gansu.example"
    url = verify_url(certificate)
    assert (
        url
        == f"https://mz.gansu.example/verify/{certificate.number}/?code={certificate.check_code}"
    )
    from certificates.pdf import certificate_html

    html = certificate_html(certificate)
    assert "data:image/svg+xml;base64," in html and url in html


def test_a_revoked_certificate_says_so_on_paper(certificate, world):
    from certificates.services import certificate_revoke

    revoked = certificate_revoke(certificate=certificate, user=world["staff"], reason="错误")
    text = PdfReader(io.BytesIO(certificate_pdf(revoked))).pages[0].extract_text()
    assert "已撤销" in text


def test_many_activities_still_fit_on_one_page(world):
    for day in range(1, 25):
        world["record"](datetime.date(2014, 3, day), "8", activity=f"长期服务活动{day}")
    certificate = certificate_issue(
        volunteer=world["volunteer"], user=world["staff"], organization=world["org"],
        period_from=datetime.date(2013, 1, 1), period_to=datetime.date(2015, 12, 31),
        issued_on=datetime.date(2016, 1, 10),
    )
    reader = PdfReader(io.BytesIO(certificate_pdf(certificate)))
    assert len(reader.pages) == 1
    assert "盖章" in reader.pages[0].extract_text()
