"""A small streaming reader for one sheet of an .xlsx workbook (lxml, entities never expanded).

openpyxl's read-only mode builds Python objects for every XML event and, for workbooks
written in write-only mode (which carry no ``<dimension>``), scans the whole sheet once
before reading it. Imports only need each cell's value and whether it holds a formula, so
this reader walks the sheet's ``<row>`` elements with lxml's C parser, freeing each row as
it goes: memory stays flat and a 100,000-row file reads several times faster.

Security: the archive has already passed ``reading.check_archive`` (size, bomb, macro
checks); every XML part is parsed without DTD loading, entity expansion or network access,
and a part that declares a DOCTYPE is refused outright.
"""

import datetime
import io
import posixpath
import re
import time
import zipfile
from typing import NamedTuple

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
ROW, CELL, VALUE, FORMULA, INLINE, TEXT, RUN, PHONETIC, MERGE = (
    MAIN + name for name in ("row", "c", "v", "f", "is", "t", "r", "rPh", "mergeCell")
)
ROOT_START = re.compile(rb"<[A-Za-z_]")
PROLOG_LIMIT = 1024 * 1024
INTEGER = re.compile(r"-?\d{1,15}")


class XlsxFormatError(Exception):
    """The archive does not hold a readable workbook."""


class XlsxLimitError(Exception):
    """The sheet goes beyond what one file may hold (stray cells, reading time)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


#: Columns read from a header row before the template's width is known.
HEADER_COLUMNS = 256


class Cell(NamedTuple):
    value: object
    data_type: str  # "s" text, "n" number, "d" date, "b" boolean, "f" formula, "e" error


EMPTY = Cell(None, "n")


class _Prefixed(io.RawIOBase):
    """A stream that yields ``head`` and then the rest of ``stream``."""

    def __init__(self, head: bytes, stream):
        self.head = head
        self.stream = stream

    def readable(self):
        return True

    def read(self, size=-1):
        if self.head:
            if size is None or size < 0 or size >= len(self.head):
                chunk, self.head = self.head, b""
                return chunk
            chunk, self.head = self.head[:size], self.head[size:]
            return chunk
        return self.stream.read(size)


def _guarded(stream):
    """Refuse a part with a DOCTYPE (entity bombs, external entities); return a readable stream."""
    head = b""
    while True:
        chunk = stream.read(64 * 1024)
        head += chunk
        match = ROOT_START.search(head)
        if match is not None:
            break
        if not chunk or len(head) > PROLOG_LIMIT:
            raise XlsxFormatError("no root element")
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise XlsxFormatError("DOCTYPE in workbook part")
    return _Prefixed(head, stream)


def _iterparse(stream, tag):
    return etree.iterparse(
        _guarded(stream),
        events=("end",),
        tag=tag,
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _column_index(ref: str) -> int:
    """Zero-based column of a cell reference ("C12" → 2)."""
    index = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            index = index * 26 + (ord(ch) - 64)
        else:
            break
    return index - 1


def _text(element) -> str:
    """The text of a shared or inline string: plain ``<t>`` or rich-text runs, without phonetics."""
    parts = []
    for child in element:
        if child.tag == TEXT:
            parts.append(child.text or "")
        elif child.tag == RUN:
            for t in child:
                if t.tag == TEXT:
                    parts.append(t.text or "")
    return "".join(parts)


class XlsxReader:
    """Read the sheets of a workbook given as bytes."""

    def __init__(self, data: bytes):
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
            self._read_workbook()
            self._read_styles()
        except XlsxFormatError:
            raise
        except Exception as exc:  # noqa: BLE001 — any failure here means an unreadable workbook
            raise XlsxFormatError(str(exc)) from None
        self._shared: list[str] | None = None
        #: Cells right of this column are not read (set to the template's width after the
        #: header); ``max_stray`` of them per file are tolerated, ``deadline`` bounds the time.
        self.columns = HEADER_COLUMNS
        self.max_stray: int | None = None
        self.deadline: float | None = None
        self.stray = 0
        #: The merged ranges ("A5:A6") of each sheet read to its end (they follow the rows).
        self.merged: dict[str, list[str]] = {}

    def close(self) -> None:
        self.archive.close()

    @property
    def sheetnames(self) -> list[str]:
        return [name for name, _ in self.sheets]

    def _part(self, path: str) -> bytes:
        with self.archive.open(path) as stream:
            guarded = _guarded(stream)
            data = b"".join(iter(lambda: guarded.read(1024 * 1024), b""))
        parser = etree.XMLParser(
            resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False
        )
        return etree.fromstring(data, parser)

    def _read_workbook(self) -> None:
        rels_root = self._part("xl/_rels/workbook.xml.rels")
        targets, by_type = {}, {}
        for rel in rels_root.iter(PKG_REL + "Relationship"):
            target = rel.get("Target", "")
            path = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join("xl", target))
            )
            targets[rel.get("Id")] = path
            by_type[rel.get("Type", "").rsplit("/", 1)[-1]] = path
        self.shared_path = by_type.get("sharedStrings")
        self.styles_path = by_type.get("styles")
        root = self._part("xl/workbook.xml")
        pr = root.find(MAIN + "workbookPr")
        date1904 = pr is not None and pr.get("date1904") in ("1", "true")
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        self.sheets = []
        for sheet in root.iter(MAIN + "sheet"):
            path = targets.get(sheet.get(DOC_REL + "id"))
            if path:
                self.sheets.append((sheet.get("name", ""), path))

    def _read_styles(self) -> None:
        """Find the cell styles whose number format shows a date."""
        self.date_styles: set[int] = set()
        if not self.styles_path or self.styles_path not in self.archive.namelist():
            return
        root = self._part(self.styles_path)
        custom = {
            int(f.get("numFmtId")): f.get("formatCode", "") for f in root.iter(MAIN + "numFmt")
        }
        xfs = root.find(MAIN + "cellXfs")
        if xfs is None:
            return
        for index, xf in enumerate(xfs.iter(MAIN + "xf")):
            fmt_id = int(xf.get("numFmtId", "0"))
            code = custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id, "General"))
            if is_date_format(code):
                self.date_styles.add(index)

    def _shared_strings(self) -> list[str]:
        if self._shared is None:
            self._shared = []
            if self.shared_path and self.shared_path in self.archive.namelist():
                with self.archive.open(self.shared_path) as stream:
                    for _, si in _iterparse(stream, MAIN + "si"):
                        self._shared.append(_text(si))
                        si.clear()
        return self._shared

    def rows(self, name: str):
        """Yield (row number, [Cell, …]) for every row element of sheet ``name``.

        Once the last row is read, ``merged[name]`` lists the sheet's merged ranges.
        """
        path = dict(self.sheets)[name]
        shared = self._shared_strings()
        date_styles = self.date_styles
        epoch = self.epoch
        merged = self.merged[name] = []
        with self.archive.open(path) as stream:
            number = 0
            for _, row in _iterparse(stream, (ROW, MERGE)):
                if row.tag == MERGE:
                    if len(merged) < 10000:
                        merged.append(row.get("ref", ""))
                    row.clear()
                    while row.getprevious() is not None:
                        del row.getparent()[0]
                    continue
                r = row.get("r")
                number = int(r) if r else number + 1
                cells: list[Cell] = []
                width = self.columns
                for c in row:
                    if c.tag != CELL:
                        continue
                    ref = c.get("r")
                    column = _column_index(ref) if ref else len(cells)
                    if column >= 16384 or column < 0:
                        raise XlsxFormatError("column out of range")
                    if column >= width:
                        # Right of the template: never padded up to, never read.
                        self.stray += 1
                        continue
                    while len(cells) < column:
                        cells.append(EMPTY)
                    cells.append(self._cell(c, shared, date_styles, epoch))
                self._check_bounds(number)
                row.clear()
                while row.getprevious() is not None:
                    del row.getparent()[0]
                yield number, cells

    def _check_bounds(self, number: int) -> None:
        if self.max_stray is not None and self.stray > self.max_stray:
            raise XlsxLimitError(
                f"文件中有 {self.stray:,} 个以上的单元格位于模板各列之外（第{number}行附近），"
                "已拒绝读取。请使用本平台下载的模板，只在模板的列中填写。"
            )
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise XlsxLimitError(
                f"文件读取超时（读到第{number}行），已拒绝读取。请删除多余的行列或分成几个文件导入。"
            )

    @staticmethod
    def _cell(c, shared, date_styles, epoch) -> Cell:
        kind = c.get("t", "n")
        value = formula = inline = None
        for child in c:
            tag = child.tag
            if tag == VALUE:
                value = child.text
            elif tag == FORMULA:
                formula = child
            elif tag == INLINE:
                inline = child
        if formula is not None:
            return Cell("=" + (formula.text or ""), "f")
        if kind == "s":
            return Cell(shared[int(value)], "s") if value is not None else EMPTY
        if kind == "inlineStr":
            return Cell(_text(inline) if inline is not None else "", "s")
        if kind == "str":
            return Cell(value or "", "s")
        if kind == "b":
            return Cell(value == "1", "b")
        if kind == "e":
            return Cell(value, "e")
        if value is None:
            return EMPTY
        if kind == "d":
            try:
                return Cell(datetime.datetime.fromisoformat(value), "d")
            except ValueError:
                return Cell(value, "s")
        number = int(value) if INTEGER.fullmatch(value) else float(value)
        style = c.get("s")
        if style is not None and int(style) in date_styles:
            try:
                return Cell(from_excel(number, epoch), "d")
            except (ValueError, OverflowError):
                return Cell(number, "n")
        return Cell(number, "n")
