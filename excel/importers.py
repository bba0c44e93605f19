"""Import a filled template: check the whole file, then apply it in one transaction, or nothing.

The check reads every row, resolves codes and natural keys with a few bulk queries (never a
query per row), runs each model's own validation (``full_clean``: field validators such as
the GB 11643 check, and the model's ``clean``) and collects every problem with its row and
column. Only a file without a single problem is written, inserting new records and updating
changed ones with their history rows; unchanged records are left alone (no version bump, no
history), so importing the same file twice changes nothing.
"""

import time
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DataError, IntegrityError
from openpyxl.utils.cell import range_boundaries

from accounts.models import AuditAction
from accounts.services import audit_record
from communities.models import Community
from core.policy import ADD, policy_for
from core.scoping import code_is_under, user_scope_code
from core.services import StaleVersionError, chunked, records_bulk_save
from core.text import normalize
from core.validators import mask_id_number, mask_phone, normalize_id_number
from core.xlsx import cells
from core.xlsx.reading import (
    ImportFileError,
    normalize_header,
    open_sheet,
    read_upload,
    sha256_of,
)
from facilities.models import FacilityKind
from streets.models import Street
from volunteers.models import VolunteerOrganization

from .resources import Column, Resource
from .years import plan_years, read_year

CHANGE_REASON = "Excel导入"
# Rows between two progress reports (a report is a cheap call; the job writes at most one a second).
PROGRESS_EVERY = 500
WHOLE_ROW = "整行"
# Merged ranges named in the message that refuses a file with merged data cells.
MERGED_SHOWN = 5
# Kinds of cell whose text is tidied (full-width digits, odd spaces) before it is read.
NORMALIZED_KINDS = ("code", "int", "decimal", "date", "id_number", "phone", "bool")
# Foreign keys are resolved from bulk-loaded dictionaries; full_clean must not query them again.
FK_FIELDS = ("community", "street", "organization", "reviewed_by")
# Fields no file fills (keys, versions, timestamps, workflow): nothing to validate there.
NOT_FROM_FILE = (
    "id",
    "version",
    "created_at",
    "updated_at",
    "status",
    "return_reason",
    "submitted_at",
    "reviewed_at",
)


@dataclass
class RowError:
    """One problem, located by the row number Excel shows and the column header."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return f"第{self.row}行 {self.column}：{self.message}"
        return f"第{self.row}行：{self.message}"

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message, "text": str(self)}


@dataclass
class ImportResult:
    """What an import found and did."""

    resource: str
    file_name: str = ""
    sha256: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    applied: bool = False
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def summary(self) -> str:
        if self.errors:
            return f"文件共 {self.rows} 行数据，发现 {len(self.errors)} 处问题，未导入任何数据。请修改后重新导入。"
        if not self.applied:
            return f"检查通过：共 {self.rows} 行，将新增 {self.created} 条、更新 {self.updated} 条，{self.unchanged} 条无变化。"
        return f"导入成功：共 {self.rows} 行，新增 {self.created} 条，更新 {self.updated} 条，{self.unchanged} 条无变化。"

    def as_dict(self, error_limit: int = 1000) -> dict:
        return {
            "resource": self.resource,
            "ok": self.ok,
            "applied": self.applied,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "error_count": len(self.errors),
            "errors": [e.as_dict() for e in self.errors[:error_limit]],
            "message": self.summary,
            "sha256": self.sha256,
        }


IMPORT_REFUSED = "您的角色不能导入数据：只有社区工作人员和省级管理员可以导入。"


def require_importer(user, resource: Resource) -> None:
    """Refuse users whose role writes no records of this kind (officials approve, not enter)."""
    policy_for(resource.model).require(user, ADD, message=IMPORT_REFUSED)


def import_workbook(
    *,
    resource: Resource,
    upload,
    user,
    request=None,
    dry_run: bool = False,
    file_name: str = "",
    row_limit: int | None = None,
    limit_hint: str = "",
    progress=None,
    max_seconds: float | None = None,
    byte_limit: int | None = None,
) -> ImportResult:
    """Check an uploaded workbook whole and, if it is clean, apply it in one transaction.

    Raises :class:`ImportFileError` for a file that cannot be read as a workbook and
    ``PermissionDenied`` for a user who may not import; both change nothing. Every call
    leaves one audit row. ``progress(done, total)``, if given, hears how far the check has
    come (``total`` is 0 while the rows are still being counted); ``max_seconds`` replaces
    the reading time limit of a web request (a background job may read for longer).
    """
    require_importer(user, resource)
    # A user who probed too many ID numbers registered elsewhere imports nothing today.
    from volunteers.duplicates import require_not_stopped

    require_not_stopped(user)
    result = ImportResult(
        resource=resource.slug, file_name=file_name or getattr(upload, "name", "") or ""
    )
    try:
        data = read_upload(upload, byte_limit, limit_hint)
        result.sha256 = sha256_of(data)
        importer = _Importer(resource=resource, user=user, result=result, progress=progress)
        importer.run(
            data,
            dry_run=dry_run,
            row_limit=row_limit,
            limit_hint=limit_hint,
            max_seconds=max_seconds,
        )
    except ImportFileError as exc:
        _audit(request=request, user=user, result=result, failure=exc.message)
        raise
    _audit(request=request, user=user, result=result)
    return result


def _audit(*, request, user, result: ImportResult, failure: str = "") -> None:
    detail = {
        "resource": result.resource,
        "file": result.file_name[:200],
        "sha256": result.sha256,
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "errors": len(result.errors),
        "applied": result.applied,
    }
    if failure:
        detail["failure"] = failure
    audit_record(
        action=AuditAction.IMPORT,
        request=request,
        user=user,
        scope_code=user_scope_code(user) or "",
        detail=detail,
    )


# How an export masks each personal number, and what a masked number that finds no stored
# one (a new record, or a number that no longer matches) is told.
MASKS = {
    "id_number": (
        mask_id_number,
        "这是脱敏的身份证号码（导出时隐藏了中间几位），与系统中该记录的号码不符或该记录尚未登记，"
        "不能导入；请填写完整号码。",
    ),
    "phone": (
        mask_phone,
        "这是脱敏的电话号码（导出时隐藏了中间几位），与系统中该记录的号码不符或该记录尚未登记，"
        "不能导入；请填写完整号码。",
    ),
}


class _Importer:
    def __init__(self, *, resource: Resource, user, result: ImportResult, progress=None):
        self.resource = resource
        self.progress = progress or (lambda done, total: None)
        self.user = user
        self.scope = user_scope_code(user) or ""
        self.result = result
        self.errors = result.errors
        self.model = resource.model
        self.policy = policy_for(resource.model)
        self.years = plan_years()

    def error(self, row: int, column: Column | str | None, message: str) -> None:
        header = column.header if isinstance(column, Column) else (column or "")
        self.errors.append(RowError(row, header, message))

    # -- reading -------------------------------------------------------------------------

    def run(
        self,
        data: bytes,
        *,
        dry_run: bool,
        row_limit: int | None = None,
        limit_hint: str = "",
        max_seconds: float | None = None,
    ) -> None:
        required = tuple(c.header for c in self.resource.import_columns if c.required)
        workbook, sheet = open_sheet(
            data,
            preferred_titles=(self.resource.title,),
            required_headers=required,
            row_limit=row_limit,
            limit_hint=limit_hint,
        )
        if max_seconds is not None:
            workbook.deadline = time.monotonic() + max_seconds
        try:
            positions = self.locate_columns(sheet.header, sheet.header_row)
            parsed = []
            for number, row in sheet.rows:
                parsed.append((number, self.parse_row(number, row, positions)))
                if len(parsed) % PROGRESS_EVERY == 0:
                    self.progress(len(parsed), 0)
            merged = workbook.merged.get(sheet.sheet_title, [])
        finally:
            workbook.close()
        self.result.rows = len(parsed)
        self.refuse_merged(merged, sheet.header_row, len(sheet.header))
        if not parsed:
            raise ImportFileError(
                f"文件中没有数据行：请从第{sheet.header_row + 1}行起填写，"
                f"第{sheet.header_row}行保留模板的列名。"
            )
        # A row with unreadable cells is still checked: the cells that were read go through
        # the model's validation too, so every problem of the row is reported at once.
        rows = [(number, values, failed) for number, (values, failed) in parsed]
        plan = self.check(rows)
        order = {c.header: i for i, c in enumerate(self.resource.columns)}
        self.errors.sort(key=lambda e: (e.row, order.get(e.column, len(order))))
        if self.errors:
            self.result.created = self.result.updated = self.result.unchanged = 0
            return
        if dry_run:
            return
        try:
            self.apply(plan)
        except StaleVersionError:
            raise ImportFileError(
                "导入过程中有记录被他人修改，未导入任何数据。请重新导入。"
            ) from None
        except (IntegrityError, DataError):
            # Someone saved a clashing record (the same ID number, say) between the check and
            # the write; the transaction was rolled back whole.
            raise ImportFileError(
                "导入时有他人同时保存了相同的记录，未导入任何数据。请重新导入，系统会重新检查。"
            ) from None
        self.result.applied = True

    def locate_columns(self, header: list[str], header_row: int = 1) -> dict[str, int]:
        positions: dict[str, int] = {}
        for index, title in enumerate(header):
            for column in self.resource.import_columns:
                if title == normalize_header(column.header) and column.attr not in positions:
                    positions[column.attr] = index
        missing = [
            c.header for c in self.resource.import_columns if c.required and c.attr not in positions
        ]
        if missing:
            raise ImportFileError(
                f"第{header_row}行缺少必填列：{'、'.join(missing)}。请使用本平台下载的“{self.resource.title}”模板，不要修改列名。"
            )
        return positions

    def refuse_merged(self, merged: list[str], header_row: int, width: int) -> None:
        """Refuse a file whose data rows hold merged cells (only the first cell has a value).

        Merged title rows above the header are fine.
        """
        found = []
        for ref in merged:
            try:
                min_col, min_row, _, max_row = range_boundaries(ref)
            except (TypeError, ValueError):
                continue
            if max_row is None or max_row <= header_row or (min_col or 1) > max(width, 1):
                continue
            found.append((min_row, ref))
        if not found:
            return
        found.sort(key=lambda item: (item[0], item[1]))
        shown = "；".join(f"第{row}行{ref}" for row, ref in found[:MERGED_SHOWN])
        more = f"等{len(found)}处" if len(found) > MERGED_SHOWN else ""
        raise ImportFileError(f"{shown}{more}为合并单元格，请取消合并后再导入。")

    def parse_row(
        self, number: int, row: tuple, positions: dict[str, int]
    ) -> tuple[dict, set[str]]:
        """Read a row's cells; return the values read and the attributes that could not be."""
        values: dict[str, Any] = {}
        failed: set[str] = set()
        for column in self.resource.import_columns:
            index = positions.get(column.attr)
            if index is None:
                continue  # an optional column left out of the file: keep what is stored
            cell = row[index] if index < len(row) else None
            value = getattr(cell, "value", None)
            data_type = getattr(cell, "data_type", None)
            if data_type == "f":
                self.error(number, column, "不支持公式，请直接填写数值或文字。")
                failed.add(column.attr)
                continue
            if data_type == "e":
                self.error(number, column, f"单元格是错误值（{value}），请填写正确的内容。")
                failed.add(column.attr)
                continue
            if column.kind in NORMALIZED_KINDS:
                value = normalize(value)
            if cells.is_blank(value):
                if column.required:
                    self.error(number, column, "必填，不能为空。")
                    failed.add(column.attr)
                else:
                    default = column.default
                    values[column.attr] = list(default) if isinstance(default, tuple) else default
                continue
            try:
                values[column.attr] = self.read_value(column, value)
            except cells.CellError as exc:
                self.error(number, column, str(exc))
                failed.add(column.attr)
        return values, failed

    def read_value(self, column: Column, value):
        kind = column.kind
        if kind == "code":
            return cells.to_code(value)
        if kind == "text":
            return cells.to_text(value)
        if kind == "int":
            return cells.to_int(value)
        if kind == "year":
            return read_year(value, self.years, first=column.first_year)
        if kind == "decimal":
            return cells.to_decimal(value, column.places)
        if kind == "date":
            return cells.to_date(value, column.header)
        if kind == "bool":
            return cells.to_bool(value)
        if kind == "choice":
            return cells.to_choice(value, column.choices)
        if kind == "choices":
            return cells.to_choice_list(value, column.choices)
        if kind == "id_number":
            if isinstance(value, int | float) and not isinstance(value, bool):
                raise cells.CellError(
                    "请以文本格式填写身份证号码（把单元格格式设为“文本”），数字格式会丢失末几位。"
                )
            # A masked number ("620102********1234", as exported) is kept as it is: it may
            # find the stored record it stands for (``assign`` keeps the stored number, and a
            # column with ``masked_lookup`` finds its volunteer by it).
            return normalize_id_number(normalize(cells.to_text(value)))
        if kind == "phone":
            return normalize(cells.to_text(value)).replace(" ", "")
        raise AssertionError(kind)

    # -- checking ------------------------------------------------------------------------

    def check(self, rows: list[tuple[int, dict, set[str]]]) -> dict:
        """Check every row whole; return what to create and update if no row has a problem.

        A row goes on being checked after its first problem: unreadable cells are left out of
        the model's validation (``failed``) and everything else is still validated, so each
        problem of each row is reported. Only rows without any problem enter the plan.
        """
        resource = self.resource
        resource.resolve(rows, user=self.user, error=self.error)
        community_codes = sorted({v["community_id"] for _, v, _ in rows if v.get("community_id")})
        street_codes = sorted({v["street_id"] for _, v, _ in rows if v.get("street_id")})
        communities = self.load(Community.objects.visible_to(self.user), community_codes)
        streets = self.load(Street.objects.all(), street_codes)
        owner_codes = [c for c in community_codes if c in communities] + [
            c for c in street_codes if c in streets and code_is_under(c, self.scope)
        ]
        key_inputs = resource.key_inputs
        keys = [resource.key_of(v) for _, v, failed in rows if not failed & key_inputs]
        existing = resource.existing(keys, owner_codes)
        organizations = (
            self.load_organizations(list(communities))
            if self.has_column("organization_name")
            else {}
        )

        seen: dict[tuple, int] = {}
        claimed: dict[Any, int] = {}  # record id → the row that updates it
        created, updated = [], []
        fields_changed: set[str] = set()
        unchanged = 0
        total = len(rows)
        for done, (number, values, failed) in enumerate(rows):
            if done % PROGRESS_EVERY == 0:
                self.progress(done, total)
            ok = not failed
            refused = self.check_owner(number, values, communities, streets)
            if refused:
                ok = False
                failed = failed | refused
                values = {k: v for k, v in values.items() if k not in refused}
            obj = None
            if not failed & key_inputs:
                # The natural key was read: look for duplicates and the record to update.
                key = resource.key_of(values)
                if key in seen:
                    self.error(
                        number,
                        resource.key_column,
                        f"与第{seen[key]}行重复（{resource.key_label}只能有一行）。",
                    )
                    ok = False
                else:
                    seen[key] = number
                    obj = existing.get(key)
                    if obj is not None and not self.may_update(number, obj, key):
                        ok, obj = False, None
                    elif obj is not None and claimed.setdefault(obj.pk, number) != number:
                        # Two keys of one record (a facility by its 系统编号 and by its name).
                        self.error(
                            number,
                            resource.key_column,
                            f"与第{claimed[obj.pk]}行是同一条记录（{resource.key_label}只能有一行）。",
                        )
                        ok, obj = False, None
                    elif obj is None:
                        refusal = resource.missing_refusal(key)
                        if refusal:
                            self.error(number, resource.column_for_field(refusal[0]), refusal[1])
                            ok = False
            is_new = obj is None
            if is_new:
                obj = resource.new_record(self.user)
            changed = self.assign(number, obj, values, communities, streets, organizations, failed)
            ok = ok and not failed
            if ok and not is_new and not changed:
                unchanged += 1
                continue
            if ok and not is_new and not resource.may_change(obj, self.user, self.policy):
                self.error(number, WHOLE_ROW, resource.change_refusal(obj, self.policy))
                ok = False
            if not self.validate(number, obj, failed):
                ok = False
            if not ok:
                continue
            if is_new:
                created.append(obj)
            else:
                updated.append(obj)
                fields_changed.update(changed)
        self.progress(total, total)
        self.result.created, self.result.updated, self.result.unchanged = (
            len(created),
            len(updated),
            unchanged,
        )
        return {"created": created, "updated": updated, "fields": fields_changed}

    def has_column(self, attr: str) -> bool:
        return any(c.attr == attr for c in self.resource.import_columns)

    def load(self, queryset, codes: list[str]) -> dict[str, Any]:
        found = {}
        for chunk in chunked(codes):
            for obj in queryset.filter(code__in=chunk):
                found[obj.code] = obj
        return found

    def load_organizations(self, community_codes: list[str]) -> dict[tuple, VolunteerOrganization]:
        found = {}
        for chunk in chunked(sorted(community_codes)):
            for org in VolunteerOrganization.objects.filter(community_id__in=chunk):
                found[(org.community_id, org.name)] = org
        return found

    def check_owner(self, number: int, values: dict, communities: dict, streets: dict) -> set[str]:
        """Refuse codes that do not exist or lie outside the user's scope (one answer for both).

        Return the attributes refused (empty when the row may be written where it says).
        """
        refused: set[str] = set()
        problem = self.resource.owner_refusal(values, self.user, self.policy)
        if problem is not None:
            attr, message = problem
            self.error(number, self.resource.column_for_field(attr), message)
            refused.add(attr)
        community = values.get("community_id")
        if community and community not in communities:
            column = self.resource.column_for_field("community")
            self.error(number, column, f"社区代码“{community}”不存在或不在您的管辖范围内。")
            refused.add("community_id")
        street = values.get("street_id")
        if street and "street_id" not in refused:
            column = self.resource.column_for_field("street")
            is_centre = values.get("kind") == FacilityKind.CENTRE
            if street not in streets or (is_centre and not self.policy.can(self.user, ADD, street)):
                self.error(number, column, f"街道代码“{street}”不存在或不在您的管辖范围内。")
                refused.add("street_id")
        if (
            community
            and community in communities
            and not self.policy.can(self.user, ADD, community)
        ):
            self.error(
                number,
                self.resource.column_for_field("community"),
                f"您无权修改社区“{community}”的数据。",
            )
            refused.add("community_id")
        return refused

    def may_update(self, number: int, obj, key: tuple) -> bool:
        refusal = self.resource.update_refusal(obj, key, self.scope, user=self.user)
        if refusal:
            self.error(number, self.resource.key_column, refusal)
            return False
        return True

    def assign(
        self, number, obj, values: dict, communities, streets, organizations, failed: set[str]
    ) -> list[str]:
        """Copy the row's values onto ``obj``; return the changed field names.

        A value that cannot be used (an unknown organisation, a masked phone number) is
        reported and its attribute added to ``failed``, so validation leaves it out.
        """
        changed = []
        for attr, value in values.items():
            if attr == "community_id":
                name, new = "community_id", value
                current = getattr(obj, name)
                obj.community = communities[value] if value else None
            elif attr == "street_id":
                name, new = "street_id", value
                current = getattr(obj, name)
                obj.street = streets[value] if value else None
            elif attr == "organization_name":
                name = "organization_id"
                current = obj.organization_id
                org = None
                if value:
                    if "community_id" in failed:
                        continue  # no community to look the organisation up in
                    org = organizations.get((values.get("community_id"), value))
                    if org is None:
                        column = next(c for c in self.resource.columns if c.attr == attr)
                        self.error(
                            number,
                            column,
                            f"本社区没有名为“{value}”的志愿者组织，请先导入或登记该组织。",
                        )
                        failed.add(attr)
                        continue
                new = org.pk if org else None
                obj.organization = org
            elif attr == "id":
                continue  # the record's own number only finds it (resources.FacilityResource)
            elif attr in self.resource.parent_fields:  # found by ``Resource.resolve``
                name, new = f"{attr}_id", value.pk if value is not None else None
                current = getattr(obj, name)
                setattr(obj, attr, value)
            elif attr in MASKS and "*" in value:
                if obj.pk and MASKS[attr][0](getattr(obj, attr)) == value:
                    continue  # the masked number of an export: keep the stored one
                column = next(c for c in self.resource.columns if c.attr == attr)
                self.error(number, column, MASKS[attr][1])
                failed.add(attr)
                continue
            else:
                name, new = attr, value
                current = getattr(obj, attr)
                setattr(obj, attr, value)
            if obj.pk is None or current != new:
                changed.append(name)
        return changed

    def validate(self, number: int, obj, failed: set[str] = frozenset()) -> bool:
        """Run the model's validation on the fields the row filled, leaving out those in ``failed``.

        A failed cell has already been reported; the model's ``clean`` may still complain
        about it (a blank required cell, a rule between two fields), so such messages are
        dropped rather than repeated.
        """
        skipped = set()
        for attr in failed:
            skipped |= {attr, attr.removesuffix("_id"), attr.removesuffix("_name")}
            skipped |= set(self.resource.failure_covers.get(attr, ()))
        try:
            obj.full_clean(
                exclude=set(FK_FIELDS + NOT_FROM_FILE + self.resource.parent_fields) | skipped,
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            reported = False
            for name, messages in exc.message_dict.items():
                if name in skipped:
                    continue
                column = None if name == NON_FIELD_ERRORS else self.resource.column_for_field(name)
                for message in messages:
                    self.error(number, column or WHOLE_ROW, message)
                    reported = True
            return not reported
        return True

    # -- writing -------------------------------------------------------------------------

    def apply(self, plan: dict) -> None:
        records_bulk_save(
            model=self.model,
            created=plan["created"],
            updated=plan["updated"],
            fields=plan["fields"],
            user=self.user,
            reason=CHANGE_REASON,
        )
