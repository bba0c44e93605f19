"""Rows written as XML text read back exactly: escaping, spaces, control characters, types, styles."""

import datetime
import io

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils.datetime import to_excel

from core.xlsx.cells import RawRows


def test_values_come_back_as_written():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("数据")
    ws.append(["标题"])
    dated = WriteOnlyCell(ws)
    dated.number_format = "yyyy-mm-dd"
    raw = RawRows(ws, first_row=2, columns=6)
    raw.append(
        [
            ("A&B <c> 社区", None),
            ("  两头有空格 ", None),
            ("坏\x01字符", None),
            (42, None),
            (3.25, None),
            (to_excel(datetime.date(2015, 2, 9)), dated.style_id),
        ]
    )
    raw.append([("=1+1", None), (None, None), ("", None), (True, None), (None, dated.style_id)])
    raw.close()
    buf = io.BytesIO()
    wb.save(buf)
    sheet = load_workbook(buf)["数据"]
    assert [c.value for c in sheet[2]] == [
        "A&B <c> 社区",
        "  两头有空格 ",
        "坏字符",
        42,
        3.25,
        datetime.datetime(2015, 2, 9),
    ]
    assert sheet["F2"].number_format == "yyyy-mm-dd"
    assert sheet["A3"].value == "=1+1" and sheet["A3"].data_type == "s" and sheet["A3"].quotePrefix
    assert sheet["D3"].value is True
    assert sheet["E3"].value is None and sheet["E3"].number_format == "yyyy-mm-dd"
