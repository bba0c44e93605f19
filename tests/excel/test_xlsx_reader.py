"""The sheet reader: values as Excel holds them, formulas and error cells told apart, DOCTYPEs refused."""

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from core.xlsx.xlsx_reader import XlsxFormatError, XlsxReader


def workbook_bytes(fill, *, date1904=False) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    if date1904:
        wb.epoch = datetime.datetime(1904, 1, 1)
    fill(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read(data, sheet="数据"):
    reader = XlsxReader(data)
    try:
        return {
            number: [(c.value, c.data_type) for c in cells] for number, cells in reader.rows(sheet)
        }
    finally:
        reader.close()


def test_values_keep_their_types():
    def fill(ws):
        ws["A1"] = "社区"
        ws["B1"] = 42
        ws["C1"] = 3.5
        ws["D1"] = True
        ws["E1"] = datetime.date(2015, 12, 31)
        ws["F1"] = "=SUM(B1:C1)"
        ws["H3"] = "远处"

    rows = read(workbook_bytes(fill))
    assert rows[1] == [
        ("社区", "s"),
        (42, "n"),
        (3.5, "n"),
        (True, "b"),
        (datetime.datetime(2015, 12, 31), "d"),
        ("=SUM(B1:C1)", "f"),
    ]
    assert rows[3][7] == ("远处", "s") and rows[3][0] == (None, "n")


def test_rich_text_is_read_as_plain_text():
    def fill(ws):
        ws["A1"] = CellRichText(["张", TextBlock(InlineFont(b=True), "三")])

    assert read(workbook_bytes(fill))[1] == [("张三", "s")]


def test_dates_of_a_1904_workbook():
    def fill(ws):
        ws["A1"] = datetime.date(2015, 3, 1)

    assert read(workbook_bytes(fill, date1904=True))[1] == [(datetime.datetime(2015, 3, 1), "d")]


def test_a_part_declaring_a_doctype_is_refused():
    data = workbook_bytes(lambda ws: ws.append(["a"]))
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = (
                    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                    + body.split(b"?>", 1)[-1]
                )
            dst.writestr(item, body)
    reader = XlsxReader(out.getvalue())
    with pytest.raises(XlsxFormatError):
        list(reader.rows("数据"))
