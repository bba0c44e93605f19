"""Import of requests logged on paper: the template's rows, all or nothing.

Each row is registered through ``casework.services.case_register`` (the policy, the number, the
due date, history and audit), inside one transaction: one bad row and nothing is kept; every
problem is reported by row and column in Chinese.
"""

import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from openpyxl import load_workbook

from core.xlsx.cells import CellError, is_blank, to_code, to_date, to_text
from core.xlsx.reading import ImportFileError, read_upload

from .exports import TEMPLATE_COLUMNS
from .models import Case, CaseCategory, Channel
from .services import case_register

MAX_ROWS = 5000
FIELD_COLUMNS = {
    "community": 0,
    "community_id": 0,
    "category": 1,
    "channel": 2,
    "description": 3,
    "resident_name": 4,
    "resident_phone": 5,
    "address": 6,
    "accepted_on": 7,
}


@dataclass
class ImportResult:
    created: int = 0
    errors: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _error(result, row, column, message):
    result.errors.append(
        {"row": row, "column": TEMPLATE_COLUMNS[column][0].rstrip("*"), "message": message}
    )


class _Rollback(Exception):
    pass


def import_cases(upload, *, user) -> ImportResult:
    """Register every row of the uploaded template as ``user``; nothing at all if one row fails."""
    data = read_upload(upload)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        ws = wb.worksheets[0]
        rows = list(ws.iter_rows(min_row=2, max_col=len(TEMPLATE_COLUMNS), values_only=True))
    except Exception:  # noqa: BLE001 - any unreadable workbook gets the same answer
        raise ImportFileError("无法读取该文件，请使用平台提供的模板（.xlsx）。") from None
    rows = [(n, r) for n, r in enumerate(rows, start=2) if any(not is_blank(v) for v in r)]
    if len(rows) > MAX_ROWS:
        raise ImportFileError(f"一次最多导入 {MAX_ROWS} 行。")
    categories = {c.name: c for c in CaseCategory.objects.all()}
    channels = {str(label): value for value, label in Channel.choices}
    result = ImportResult()
    try:
        with transaction.atomic():
            for number, row in rows:
                values = list(row) + [None] * (len(TEMPLATE_COLUMNS) - len(row))
                case = Case()
                try:
                    case.community_id = to_code(values[0])
                except CellError as exc:
                    _error(result, number, 0, str(exc))
                    continue
                category = categories.get(to_text(values[1]))
                if category is None:
                    _error(result, number, 1, "类别应为：" + "、".join(categories))
                    continue
                case.category = category
                channel = channels.get(to_text(values[2]))
                if channel is None:
                    _error(result, number, 2, "受理渠道应为：" + "、".join(channels))
                    continue
                case.channel = channel
                case.description = to_text(values[3])
                case.resident_name = to_text(values[4])
                case.resident_phone = to_text(values[5])
                case.address = to_text(values[6])
                try:
                    case.accepted_on = to_date(values[7])
                except CellError as exc:
                    _error(result, number, 7, str(exc))
                    continue
                try:
                    with transaction.atomic():
                        case_register(case=case, user=user)
                except PermissionDenied as exc:
                    _error(result, number, 0, str(exc))
                except ValidationError as exc:
                    for name, messages in exc.message_dict.items():
                        _error(result, number, FIELD_COLUMNS.get(name, 3), "；".join(messages))
                else:
                    result.created += 1
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.created = 0
    return result
