"""Open an uploaded workbook safely: size, type, zip-bomb and macro checks before it is read.

Everything that can go wrong with a file (a renamed CSV, an old .xls, a truncated zip, an
archive that unpacks to gigabytes, XML entity bombs that defusedxml refuses) ends in one
:class:`ImportFileError` with a Chinese message; no exception from zipfile or openpyxl leaks.
"""

import hashlib
import io
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings

from core.text import normalize

from .xlsx_reader import XlsxLimitError, XlsxReader

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc and other OLE2 compound files
# A real workbook's XML compresses 5–30 times; a zip bomb a thousand times or more.
MAX_COMPRESSION_RATIO = 200
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
REQUIRED_MEMBERS = ("[Content_Types].xml", "xl/workbook.xml")
# Parts smaller than this are not held to the compression ratio (tiny parts compress oddly).
RATIO_CHECK_FROM = 64 * 1024

NOT_XLSX = "文件不是有效的 Excel 工作簿（.xlsx）。请使用本平台下载的模板填写后上传，不要上传 CSV、WPS 或改了扩展名的文件。"
OLD_XLS = "这是旧版 Excel 97-2003（.xls）文件。请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再上传。"
CORRUPT = "文件已损坏或不是有效的 Excel 工作簿（.xlsx），无法读取。请重新保存后再上传。"
BOMB = "文件解压后的内容异常庞大（疑似压缩炸弹），已拒绝读取。"
MACRO = "不接受含宏的工作簿（.xlsm）。请另存为不含宏的 Excel 工作簿（.xlsx）后再上传。"
EMPTY = "文件是空的。"


class ImportFileError(Exception):
    """The upload as a whole cannot be read; nothing was changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def max_bytes() -> int:
    """Bytes one file may have: a background job and ``import_excel``."""
    return int(getattr(settings, "IMPORT_MAX_BYTES", 40 * 1024 * 1024))


def web_max_bytes() -> int:
    """Bytes a file checked inside a web request may have (larger ones go to a job)."""
    return min(max_bytes(), int(getattr(settings, "IMPORT_WEB_MAX_BYTES", 10 * 1024 * 1024)))


def max_rows() -> int:
    return int(getattr(settings, "IMPORT_MAX_ROWS", 200000))


def max_stray_cells() -> int:
    """Cells outside the template's columns one file may hold (stray notes, not a flood)."""
    return int(getattr(settings, "IMPORT_MAX_STRAY_CELLS", 1000))


def max_seconds() -> float:
    """Seconds one file may take to read."""
    return float(getattr(settings, "IMPORT_MAX_SECONDS", 60))


def web_max_rows() -> int:
    """Rows a web upload may hold; larger files go through ``manage.py import_excel``."""
    return min(max_rows(), int(getattr(settings, "IMPORT_WEB_MAX_ROWS", 50000)))


def read_upload(upload, limit: int | None = None, hint: str = "") -> bytes:
    """Return the bytes of an uploaded file (a Django UploadedFile, a path or a file object).

    ``limit`` is the size allowed (``max_bytes()`` unless given); ``hint`` ends the refusal
    of a larger file (where to take it instead).
    """
    limit = max_bytes() if limit is None else limit
    if isinstance(upload, bytes):
        data = upload
    elif isinstance(upload, str) or hasattr(upload, "__fspath__"):
        with open(upload, "rb") as fh:
            data = fh.read(limit + 1)
    else:
        size = getattr(upload, "size", None)
        if size is not None and size > limit:
            raise ImportFileError(too_big_message(size, limit, hint))
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(limit + 1)
    if len(data) > limit:
        raise ImportFileError(too_big_message(len(data), limit, hint))
    return data


def too_big_message(size: int, limit: int | None = None, hint: str = "") -> str:
    limit = max_bytes() if limit is None else limit
    return (
        f"文件大小超过上限：最大 {limit / 1024 / 1024:.0f} MB，本文件约 {size / 1024 / 1024:.1f} MB。"
        + (hint or "请分成几个文件导入。")
    )


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_archive(data: bytes) -> None:
    """Refuse anything that is not a plain, reasonably sized .xlsx zip archive."""
    if not data:
        raise ImportFileError(EMPTY)
    if data.startswith(OLE_MAGIC):
        raise ImportFileError(OLD_XLS)
    if not data.startswith(XLSX_MAGIC):
        raise ImportFileError(NOT_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ImportFileError(CORRUPT) from None
    names = {m.filename for m in members}
    if not all(name in names for name in REQUIRED_MEMBERS):
        raise ImportFileError(NOT_XLSX)
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ImportFileError(MACRO)
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_CHECK_FROM and ratio > MAX_COMPRESSION_RATIO:
            raise ImportFileError(BOMB)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ImportFileError(BOMB)


#: How far down a sheet the header row is looked for (title rows may stand above it).
HEADER_SEARCH_ROWS = 10


@dataclass
class SheetRows:
    """The header and the data rows (as cells) of the sheet to import."""

    sheet_title: str
    header: list[str]
    rows: Iterator[tuple[int, tuple]]  # (Excel row number, cells)
    header_row: int = 1  # the Excel row number of the header


def _is_aside(title: str) -> bool:
    """Sheets of instructions or option lists, never data."""
    return "说明" in title or "选项" in title


def open_sheet(
    data: bytes,
    *,
    preferred_titles: tuple[str, ...] = (),
    required_headers: tuple[str, ...] = (),
    row_limit: int | None = None,
    limit_hint: str = "",
) -> tuple[XlsxReader, SheetRows]:
    """Open the workbook and return its reader with the rows of its data sheet.

    The data sheet is the first whose header row holds every one of ``required_headers``,
    looked for in the sheet titled as in the template first, then in the others; the header
    row is the first of the sheet's first ``HEADER_SEARCH_ROWS`` rows that holds them, so
    title rows above it are skipped. When no sheet has them, the sheet titled as in the
    template (else the first that is not instructions) is read with row 1 as its header, and
    the importer says which columns are missing. Cells keep their type, so formulas can be
    told from values.
    """
    check_archive(data)
    try:
        workbook = XlsxReader(data)
        titles = workbook.sheetnames
        if not titles:
            raise ImportFileError(NOT_XLSX)
        workbook.deadline = time.monotonic() + max_seconds()
        workbook.max_stray = max_stray_cells()
        preferred = [t for t in preferred_titles if t in titles]
        fallback = next(iter(preferred), None) or next(
            (t for t in titles if not _is_aside(t)), titles[0]
        )
        candidates = preferred + [t for t in titles if t not in preferred and not _is_aside(t)]
        found = None
        if required_headers:
            for title in candidates:
                found = _find_header(workbook, title, required_headers)
                if found is not None:
                    break
        if found is None:
            iterator = workbook.rows(fallback)
            number, header_cells = next(iterator, (1, []))
            found = (fallback, iterator, number or 1, header_cells)
        title, iterator, header_row, header_cells = found
    except ImportFileError:
        raise
    except XlsxLimitError as exc:
        raise ImportFileError(exc.message) from None
    except Exception:  # noqa: BLE001 — any failure inside a malformed archive is the same answer
        raise ImportFileError(CORRUPT) from None
    header = [normalize_header(cell.value) for cell in header_cells]
    while header and not header[-1]:
        header.pop()
    # Only the template's columns are read from here on.
    workbook.columns = max(len(header), 1)
    rows = _numbered(iterator, row_limit or max_rows(), limit_hint)
    return workbook, SheetRows(sheet_title=title, header=header, rows=rows, header_row=header_row)


def _find_header(workbook, title: str, required: tuple[str, ...]):
    """Return (title, rows left, header row number, header cells) if the sheet's header row
    is among its first rows, else None."""
    wanted = {normalize_header(h) for h in required}
    iterator = workbook.rows(title)
    for number, cells in iterator:
        if number > HEADER_SEARCH_ROWS:
            break
        if wanted <= {normalize_header(c.value) for c in cells}:
            return title, iterator, number, cells
    return None


def _numbered(iterator, limit: int, hint: str) -> Iterator[tuple[int, tuple]]:
    """Yield (row number, cells), skipping blank rows, refusing more rows than the limit.

    Every row of the sheet counts toward the limit, blank ones too: a file of endless empty
    rows costs as much to read as one of endless data.
    """
    count = 0
    while True:
        try:
            number, cells = next(iterator)
        except StopIteration:
            return
        except XlsxLimitError as exc:
            raise ImportFileError(exc.message) from None
        except Exception:  # noqa: BLE001
            raise ImportFileError(CORRUPT) from None
        count += 1
        if count > limit:
            raise ImportFileError(
                f"数据行数超过上限：每个文件最多 {limit:,} 行。请分成几个文件导入。{hint}"
            )
        if all(
            c.value is None or (isinstance(c.value, str) and not normalize(c.value)) for c in cells
        ):
            continue
        yield number, cells


def normalize_header(value) -> str:
    """Compare headers without spaces, line breaks, invisible characters or the required-field
    star, full-width letters and digits read as ASCII."""
    if value is None:
        return ""
    text = normalize(str(value))
    return text.replace("*", "").replace(" ", "").replace("\n", "").replace("\r", "").strip()
