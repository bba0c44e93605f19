"""Turn Excel cell values into Python values (import) and Python values into safe cells (export)."""

import datetime
import functools
import re
import types
from decimal import Decimal, InvalidOperation
from xml.sax.saxutils import escape as xml_escape

from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from core.text import normalize
from core.validators import EARLIEST_DATE, past_date_error

# Text that a spreadsheet would take for a formula or a DDE payload when typed (OWASP CSV/xlsx
# injection): such text is written as a string cell with the quote prefix so Excel shows it.
FORMULA_PREFIXES = ("=", "+", "-", "@")

TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "党员"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "", "非党员"}
LIST_SEPARATORS = re.compile(r"[、,，;；/\s]+")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
# The parts of a date written as text, to say why it is not one ("2015年2月没有30日").
DATE_PARTS = re.compile(r"(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))")
# A time of day after a date that says midnight: "2015-03-01 00:00:00", "2015-03-01T00:00".
MIDNIGHT = re.compile(r"(?:[ T]+0{1,2}:00(?::00(?:\.0+)?)?)$")
TIME_OF_DAY = re.compile(r"[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
# Numbers from this size on are dates typed as digits (20150301), below it Excel serials.
DIGIT_DATES_FROM = 10_000_000
DATE_FORMAT_MESSAGE = "日期格式不正确，应为“2015-03-01”这样的日期。"


class CellError(ValueError):
    """A cell whose content cannot be read; the message is shown to the user."""


def is_blank(value) -> bool:
    """Say whether a cell is empty (spaces and invisible characters alone count as empty)."""
    return value is None or (isinstance(value, str) and not normalize(value))


def to_text(value) -> str:
    """Read a text cell; numbers typed into a text column come back without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def to_code(value) -> str:
    """Read an official code: digits only, even when Excel stored it as a number."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            raise CellError("代码应为数字组成的统计用区划代码。")
        text = str(int(value))
    else:
        text = normalize(to_text(value)).replace(" ", "")
    if not (text.isascii() and text.isdigit()):
        raise CellError("代码应为数字组成的统计用区划代码。")
    return text


def to_int(value) -> int:
    """Read a non-negative whole number."""
    if isinstance(value, bool):
        raise CellError("应填写整数。")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError("应填写整数。")
        number = int(value)
    else:
        text = normalize(to_text(value)).replace(",", "").replace(" ", "")
        if not re.fullmatch(r"[+-]?\d+", text):
            raise CellError("应填写整数。")
        number = int(text)
    if number < 0:
        raise CellError("不能为负数。")
    return number


def to_decimal(value, places: int = 2) -> Decimal:
    """Read a number, rounded to ``places`` decimals as the model stores it."""
    if isinstance(value, bool):
        raise CellError("应填写数字。")
    try:
        if isinstance(value, int | float):
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        else:
            number = Decimal(normalize(to_text(value)).replace(",", "").replace(" ", ""))
    except InvalidOperation:
        raise CellError("应填写数字。") from None
    if not number.is_finite():
        raise CellError("应填写数字。")
    return number.quantize(Decimal(1).scaleb(-places))


def latest_date(today: datetime.date | None = None) -> datetime.date:
    """The last date a cell may hold: the end of next year (plans look a year ahead)."""
    today = today or datetime.date.today()
    return datetime.date(today.year + 1, 12, 31)


def check_date_range(value: datetime.date, label: str = "日期") -> datetime.date:
    """Refuse a date before the founding of the People's Republic or after next year."""
    latest = latest_date()
    if value < EARLIEST_DATE:
        raise CellError(past_date_error(value, label, latest))
    if value > latest:
        raise CellError(f"{label}不能晚于{latest:%Y年%m月%d日}，请检查年份。")
    return value


def date_problem(text: str) -> str:
    """Say why a text that looks like a date is none ("2015年2月没有30日")."""
    match = DATE_PARTS.fullmatch(text)
    if match is None:
        return DATE_FORMAT_MESSAGE
    year = int(match.group(1))
    month = int(match.group(2) or match.group(4))
    day = int(match.group(3) or match.group(5))
    if not 1 <= month <= 12:
        return f"日期不正确：月份应为1至12，不能是{month}月。"
    if day < 1:
        return "日期不正确：日不能为0。"
    try:
        datetime.date(year, month, day)
    except ValueError:
        return f"日期不正确：{year}年{month}月没有{day}日。"
    return DATE_FORMAT_MESSAGE


def to_date(value, label: str = "日期") -> datetime.date:
    """Read a date: a date cell, an Excel serial number in a General cell (42064), or a date
    written as text (2015-03-01, 2015/3/1, 2015年3月1日, 20150301, '2015-03-01 00:00:00').

    Dates before 1949-10-01 or after the end of next year are refused, and a text that is
    not a date says why ("2015年2月没有30日"). ``label`` names the date in messages.
    """
    if isinstance(value, datetime.datetime):
        return check_date_range(value.date(), label)
    if isinstance(value, datetime.date):
        return check_date_range(value, label)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if abs(value) < DIGIT_DATES_FROM:
            return check_date_range(_serial_date(value), label)
        value = to_text(value)
    text = normalize(to_text(value))
    text = MIDNIGHT.sub("", text)
    if TIME_OF_DAY.search(text):
        raise CellError("日期不应带有时刻，请只填写日期，如“2015-03-01”。")
    if re.fullmatch(r"\d{5}(?:\.0+)?", text):
        # A serial number stored as text (a General cell pasted into a text column).
        return check_date_range(_serial_date(float(text)), label)
    for fmt in DATE_FORMATS:
        try:
            parsed = datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return check_date_range(parsed, label)
    raise CellError(date_problem(text))


def _serial_date(number) -> datetime.date:
    """Turn an Excel serial day number (1900 date system) into a date."""
    if isinstance(number, float) and not number.is_integer():
        raise CellError("日期不应带有时刻，请只填写日期，如“2015-03-01”。")
    try:
        converted = from_excel(int(number))
    except (ValueError, OverflowError):
        raise CellError(DATE_FORMAT_MESSAGE) from None
    if isinstance(converted, datetime.datetime):
        converted = converted.date()
    return converted


def to_bool(value) -> bool:
    """Read 是/否."""
    if isinstance(value, bool):
        return value
    text = normalize(to_text(value)).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError("应填写“是”或“否”。")


@functools.cache
def _choice_map(choices) -> tuple[dict[str, str], str]:
    """Label and code → code, and the list of labels for messages (built once per choice set)."""
    lookup = {}
    for code, label in choices.choices:
        lookup[label] = code
        lookup[code] = code
    return lookup, "、".join(choices.labels)


def to_choice(value, choices) -> str:
    """Read one coded value written as its Chinese label (or its code)."""
    text = to_text(value)
    lookup, labels = _choice_map(choices)
    code = lookup.get(text) or lookup.get(text.lower())
    if code is None:
        raise CellError(f"“{text}”不是有效选项，可选：{labels}。")
    return code


def to_choice_list(value, choices) -> list[str]:
    """Read several coded values separated by 、 or commas."""
    result = []
    for part in LIST_SEPARATORS.split(to_text(value)):
        if part:
            code = to_choice(part, choices)
            if code not in result:
                result.append(code)
    return result


@functools.cache
def _labels(choices) -> dict[str, str]:
    return dict(choices.choices)


def label_of(code, choices) -> str:
    """Write a code as its label (unknown codes as they are)."""
    return _labels(choices).get(code, code)


def labels_of(codes, choices) -> str:
    """Write a list of codes as their labels joined by 、."""
    labels = _labels(choices)
    return "、".join(labels.get(code, code) for code in codes or [])


def text_cell(ws, value: str) -> WriteOnlyCell:
    """Return a cell holding ``value`` as text, never as a formula."""
    cell = WriteOnlyCell(ws)
    # Setting .value would turn "=..." into a formula: store the string as a string.
    cell._value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True
    return cell


def needs_text_cell(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def _values_to_row(ws, values, row_idx):
    """Yield the cells of one row: ready-made cells as given, plain values through one scratch cell.

    openpyxl's own version first tries to assign every ready-made cell as a value, which
    fails, formats the cell's repr for the error and allocates a new cell after each styled
    one: at 111,000 communities × 27 columns that is a quarter of the writing time. Text that
    Excel would take for a formula still goes out as text.
    """
    scratch = WriteOnlyCell(ws)
    for col_idx, value in enumerate(values, 1):
        if value is None:
            continue
        if isinstance(value, Cell):
            cell = value
        elif isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
            cell = text_cell(ws, value)
        else:
            cell = scratch
            cell.value = value
        cell.column = col_idx
        cell.row = row_idx
        yield cell


def fast_rows(ws):
    """Make a write-only sheet take rows that mix values and reused styled cells cheaply."""
    ws._values_to_row = types.MethodType(_values_to_row, ws)
    return ws


class RawRows:
    """Append data rows to a write-only sheet as XML text, for sheets of millions of cells.

    openpyxl writes the sheet's head (columns, frozen panes), the rows appended so far
    (titles, headers) and its tail (filter, print setup) when the sheet is closed; the data
    rows are then spliced in before ``</sheetData>`` of that file, which the workbook's
    ``save`` packs as usual. Cells are ``(value, style_id)`` pairs: numbers, text or None;
    style ids come from ``cell.style_id`` of styled cells of the same workbook.
    """

    def __init__(self, ws, *, first_row: int, columns: int):
        self.number = first_row
        self.letters = [get_column_letter(i) for i in range(1, columns + 1)]
        quoted = WriteOnlyCell(ws)
        quoted.quotePrefix = True
        self.quote_style = quoted.style_id
        ws.close()
        self.path = ws._writer.out
        with open(self.path, "rb") as fh:
            data = fh.read()
        head, end, tail = data.rpartition(b"</sheetData>")
        if not end:
            raise ValueError("the sheet must have at least one row before the raw rows")
        self.tail = end + tail
        self.fh = open(self.path, "wb")  # noqa: SIM115 — closed in close()
        self.fh.write(head)
        self.buffer: list[str] = []

    def append(self, cells) -> None:
        number = str(self.number)
        parts = [f'<row r="{number}">']
        for letter, (value, style) in zip(self.letters, cells, strict=False):
            parts.append(self._cell(letter + number, value, style))
        parts.append("</row>")
        self.buffer.append("".join(parts))
        self.number += 1
        if len(self.buffer) >= 500:
            self.flush()

    def _cell(self, ref: str, value, style) -> str:
        if isinstance(value, str):
            if not value:
                value = None
            elif style is None and value.startswith(FORMULA_PREFIXES):
                style = self.quote_style
        s = "" if style is None else f' s="{style}"'
        if value is None:
            return f'<c r="{ref}"{s}/>' if s else ""
        if isinstance(value, str):
            text = xml_escape(ILLEGAL_CHARACTERS_RE.sub("", value))
            space = ' xml:space="preserve"' if value != value.strip() else ""
            return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{text}</t></is></c>'
        if isinstance(value, bool):
            return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
        number = str(value) if isinstance(value, int) else f"{value:.16g}"
        return f'<c r="{ref}"{s} t="n"><v>{number}</v></c>'

    def flush(self) -> None:
        if self.buffer:
            self.fh.write("".join(self.buffer).encode("utf-8"))
            self.buffer.clear()

    def close(self) -> None:
        self.flush()
        self.fh.write(self.tail)
        self.fh.close()
