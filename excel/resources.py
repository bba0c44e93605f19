"""The kinds of record that travel by Excel: their columns, natural keys and lookups.

One :class:`Resource` per kind says which columns its template has (Chinese headers, coded
values as Chinese labels), how a row finds the record it updates (its natural key) and how
the records under a scope are read for export. The importer and the exporters read only this.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models

from communities.models import (
    Community,
    CommunityStat,
    SocialOrganization,
    SocialOrganizationCategory,
    StatStatus,
)
from core.dates import MIN_YEAR
from core.scoping import code_is_under
from core.services import chunked
from core.validators import mask_id_number
from facilities.models import (
    ConstructionMode,
    Facility,
    FacilityFunding,
    FacilityKind,
    ServiceItem,
    SpecializedType,
)
from funding.models import BudgetLine, CostType, FundSource
from standards.models import CheckResult, CheckStatus, ServiceStandard, StandardCheck
from streets.models import Street
from teams.models import Committee, CommitteeKind, EntrustedProject, ProjectRating, TrainingPlan
from volunteers.models import (
    Gender,
    Rating,
    RecordStatus,
    ServiceCategory,
    ServiceRecord,
    Volunteer,
    VolunteerOrganization,
)
from workforce.models import Education, Qualification, Recruitment, Training, Worker, WorkerRole


@dataclass(frozen=True)
class Column:
    """One column of a template: its header, the model attribute it fills and how to read it.

    ``kind`` is one of ``code`` (official code, kept as text), ``text``, ``int``, ``decimal``,
    ``date``, ``choice`` (one label of ``choices``), ``choices`` (several labels joined by 、),
    ``bool`` (是/否), ``id_number``, ``phone``, ``year`` (a 年度 within the plan's years,
    ``excel.years``); ``info`` columns are written for reference
    and ignored on import.
    """

    header: str
    attr: str
    kind: str
    required: bool = False
    choices: Any = None
    width: float = 14
    note: str = ""
    source: str = ""  # ORM path for exports when it differs from attr
    default: Any = None  # the value of a blank optional cell
    places: int = 2  # decimals a ``decimal`` column keeps (as its model field)
    first_year: int | None = None  # a ``year`` column starting before the plan's years
    masked_lookup: bool = False  # an id_number naming a parent: a masked number may find it

    @property
    def importable(self) -> bool:
        return self.kind != "info"

    @property
    def export_path(self) -> str:
        return self.source or self.attr

    @property
    def title(self) -> str:
        """The header as written in the template (required columns carry a star)."""
        return f"{self.header}*" if self.required else self.header


COMMUNITY_CODE = Column(
    "社区代码",
    "community_id",
    "code",
    required=True,
    width=16,
    note="12位统计用区划代码，以文本格式填写。",
)
YEAR = Column("年度", "year", "year", required=True, width=8, note="四位年份，须在规划年度内。")
COMMUNITY_NAME = Column(
    "社区名称",
    "community_name",
    "info",
    width=20,
    source="community__name",
    note="仅供核对，导入时不读取。",
)


@dataclass
class Resource:
    """One kind of record that can be exported, downloaded as a template and imported."""

    slug: str
    title: str  # the sheet's title and the file name's subject
    model: type[models.Model]
    columns: tuple[Column, ...]
    key_attrs: tuple[str, ...]
    key_label: str  # how the natural key reads in messages
    order_by: tuple[str, ...] = ()
    extra_notes: tuple[str, ...] = field(default_factory=tuple)
    #: Foreign keys a row names by the parent's natural key (``resolve`` finds the parent).
    parent_fields: tuple[str, ...] = ()
    #: Model fields whose problems are shown in a column of another name (field → attr).
    column_aliases: dict[str, str] = field(default_factory=dict)
    #: Model fields whose problems go unsaid when an attribute failed (attr → fields): a
    #: refused street leaves the project with no owner, which the refusal already says.
    failure_covers: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def has_personal_data(self) -> bool:
        """Say whether the sheet carries ID numbers or phones (masked unless asked for)."""
        return any(c.kind in ("id_number", "phone") for c in self.columns)

    @property
    def import_columns(self) -> list[Column]:
        return [c for c in self.columns if c.importable]

    def column_for_field(self, name: str) -> Column | None:
        alias = self.column_aliases.get(name)
        if alias:
            return next(c for c in self.columns if c.attr == alias)
        for column in self.columns:
            if column.attr in (name, f"{name}_id") or column.attr.removesuffix("_id") == name:
                return column
        return None

    @property
    def key_inputs(self) -> frozenset[str]:
        """The row's attributes the natural key is made of (no key if one is unreadable)."""
        return frozenset(self.key_attrs)

    def key_of(self, values: dict) -> tuple:
        return tuple(values.get(attr) for attr in self.key_attrs)

    def key_of_instance(self, obj) -> tuple:
        return tuple(getattr(obj, attr) for attr in self.key_attrs)

    @property
    def key_column(self) -> Column:
        """The column a problem with the natural key is reported in (its last part)."""
        return self.column_for_field(self.key_attrs[-1])

    def update_refusal(self, obj, key: tuple, scope: str, user=None) -> str | None:
        """Say why the row may not update the record its key found (None: it may)."""
        return None

    def missing_refusal(self, key: tuple) -> tuple[str, str] | None:
        """Say which attribute is refused and why when the key finds no record and the row
        may not be a new one (None: it is new)."""
        return None

    def change_refusal(self, obj, policy) -> str:
        """Say why the policy keeps the user from changing ``obj`` by import."""
        return policy.message("change", obj)

    def may_change(self, obj, user, policy) -> bool:
        """Say whether the row may change ``obj`` (the policy's ``change``, by default)."""
        return policy.can(user, "change", obj)

    def existing(self, keys: list[tuple], owner_codes: list[str]) -> dict[tuple, Any]:
        """Load the records the rows may update, by natural key, in a few queries."""
        found: dict[tuple, Any] = {}
        for chunk in chunked(sorted(set(owner_codes))):
            for obj in self.model.objects.filter(community_id__in=chunk):
                found.setdefault(self.key_of_instance(obj), obj)
        return found

    def export_queryset(self, queryset):
        return queryset.order_by(*self.order_by) if self.order_by else queryset

    def new_record(self, user):
        """Return the unsaved record a row without a stored match fills."""
        return self.model()

    def resolve(self, rows: list, *, user, error) -> None:
        """Find the parents a row names by their natural key (``parent_fields``), in bulk.

        ``rows`` are ``(number, values, failed)``; a parent found replaces the cells that
        named it in ``values``, a parent not found is reported with ``error(number, column,
        message)`` and its field added to ``failed``. Kinds without such parents do nothing.
        """

    def owner_refusal(self, values: dict, user, policy) -> tuple[str, str] | None:
        """For kinds that hang under a region code of their own (budget lines): say which
        attribute is refused and why, when the user may not write under it (None: may)."""
        return None


class FacilityResource(Resource):
    """A facility is found by its 系统编号 (the record's id, written by exports) within its
    owner, else by its owner's code (the model's ``scope_code``) and its name.

    An owner may have two facilities of one name (a station replaced by a new one that kept
    the old name): the id tells them apart, so an export comes back unchanged.
    """

    @property
    def key_inputs(self) -> frozenset[str]:
        return frozenset({"id", "kind", "street_id", "community_id", "name"})

    def key_of(self, values: dict) -> tuple:
        owner = Facility(
            kind=values.get("kind"),
            street_id=values.get("street_id"),
            community_id=values.get("community_id"),
        )
        if values.get("id"):
            return ("id", values["id"], owner.scope_code)
        return (owner.scope_code, values.get("name"))

    def key_of_instance(self, obj) -> tuple:
        return (obj.scope_code, obj.name)

    def update_refusal(self, obj, key, scope, user=None):
        if key in self.ambiguous:
            return "该单位已有多个同名设施，无法确定更新哪一个；请填写导出文件中的系统编号，或在系统中修改。"
        return None

    def missing_refusal(self, key):
        if key and key[0] == "id":
            return (
                "id",
                f"系统编号“{key[1]}”的设施不存在、不在您的管辖范围内或不属于所填的所属单位；"
                "新增设施请把系统编号留空。",
            )
        return None

    def existing(self, keys, owner_codes):
        # Only facilities of owners in the user's scope are loaded, so an id found here is
        # one the user may update, and only under the owner the row names.
        found: dict[tuple, Any] = {}
        self.ambiguous: set[tuple] = set()
        for chunk in chunked(sorted(set(owner_codes))):
            for obj in Facility.objects.filter(code__in=chunk):
                key = self.key_of_instance(obj)
                if key in found:
                    self.ambiguous.add(key)
                found.setdefault(key, obj)
                found[("id", obj.pk, obj.scope_code)] = obj
        return found


class VolunteerResource(Resource):
    """A volunteer is found by the ID number; a masked number (as an export writes it, the
    middle hidden) finds the one volunteer of the row's community and name whose stored
    number masks to it, and the stored number is kept (``importers.MASKS``)."""

    def key_of(self, values: dict) -> tuple:
        number = values.get("id_number")
        if number and "*" in number:
            return ("masked", number, values.get("community_id"), values.get("name"))
        return (number,)

    def update_refusal(self, obj, key, scope, user=None):
        if not code_is_under(obj.community_id, scope):
            # Registered elsewhere in the province: refuse without saying where, count the hit
            # (over the daily limit the import stops, volunteers.duplicates).
            from volunteers.duplicates import DUPLICATE_ELSEWHERE, duplicate_id_hit

            duplicate_id_hit(user=user, channel="import")
            return DUPLICATE_ELSEWHERE
        return None

    def existing(self, keys, owner_codes):
        # The ID number is unique in the whole province, so the lookup is not scoped: a number
        # registered elsewhere must be refused, not duplicated.
        found: dict[tuple, Any] = {}
        ids = sorted({k[0] for k in keys if len(k) == 1 and k[0]})
        for chunk in chunked(ids):
            for obj in Volunteer.objects.filter(id_number__in=chunk):
                found[(obj.id_number,)] = obj
        # Masked numbers are looked for only in the rows' communities within the user's scope.
        masked = {k for k in keys if len(k) == 4}
        owners = set(owner_codes)
        communities = sorted({k[2] for k in masked if k[2] in owners})
        clashes: set[tuple] = set()
        for chunk in chunked(communities):
            for obj in Volunteer.objects.filter(community_id__in=chunk):
                key = ("masked", mask_id_number(obj.id_number), obj.community_id, obj.name)
                if key in masked:
                    if key in found:
                        clashes.add(key)
                    found[key] = obj
        for key in clashes:
            del found[key]  # two volunteers fit: the masked number cannot tell which
        return found


class StatResource(Resource):
    def change_refusal(self, obj, policy) -> str:
        label = obj.get_status_display()
        return f"{obj.year}年统计{label}，不能通过导入修改；如需修改请联系上级退回。"


COMMUNITY_STATS = StatResource(
    slug="community-stats",
    title="社区年度统计",
    model=CommunityStat,
    columns=(
        COMMUNITY_CODE,
        COMMUNITY_NAME,
        YEAR,
        Column(
            "户数",
            "households",
            "int",
            required=True,
            width=10,
            note="非负整数，不超过常住居民人数。",
        ),
        Column(
            "常住居民人数",
            "residents",
            "int",
            required=True,
            width=14,
            note="非负整数，不超过200000。",
        ),
        Column(
            "党员人数", "party_members", "int", required=True, width=10, note="不超过常住居民人数。"
        ),
        Column(
            "参与志愿活动的党员人数",
            "party_members_volunteering",
            "int",
            required=True,
            width=22,
            note="不超过党员人数。",
        ),
        Column(
            "参与志愿活动的居民人数",
            "residents_volunteering",
            "int",
            required=True,
            width=22,
            note="不超过常住居民人数。",
        ),
        Column(
            "审核状态",
            "status",
            "info",
            choices=StatStatus,
            width=10,
            note="仅供核对，导入时不读取；新导入的统计为草稿。",
        ),
    ),
    key_attrs=("community_id", "year"),
    key_label="同一社区同一年度",
    order_by=("community_id", "year"),
    extra_notes=(
        "同一社区同一年度只能有一行；已有的统计按社区代码和年度更新。",
        "已上报或已审核的统计，社区工作人员不能通过导入修改，需上级退回后再导入。",
    ),
)

FACILITIES = FacilityResource(
    slug="facilities",
    title="社区服务设施",
    model=Facility,
    columns=(
        Column("设施名称", "name", "text", required=True, width=20),
        Column("设施类型", "kind", "choice", required=True, choices=FacilityKind, width=18),
        Column(
            "专项设施类别",
            "specialized_type",
            "choice",
            choices=SpecializedType,
            width=18,
            default="",
            note="仅专项服务设施填写。",
        ),
        Column("所属街道代码", "street_id", "code", width=14, note="街道社区服务中心必填（9位）。"),
        Column(
            "所属社区代码",
            "community_id",
            "code",
            width=16,
            note="社区服务站和专项服务设施必填（12位）。",
        ),
        Column(
            "建筑面积（平方米）",
            "floor_area",
            "decimal",
            required=True,
            width=18,
            note="大于0且不超过100000，保留两位小数。",
        ),
        Column("投入使用日期", "opened_on", "date", width=14, note="规划或在建的设施留空。"),
        Column("停用日期", "closed_on", "date", width=12, note="不早于投入使用日期。"),
        Column(
            "建设方式",
            "construction_mode",
            "choice",
            required=True,
            choices=ConstructionMode,
            width=12,
        ),
        Column("地址", "address", "text", width=18, default=""),
        Column(
            "一站式服务项目",
            "services",
            "choices",
            choices=ServiceItem,
            width=26,
            default=(),
            note="可填多项，用“、”分隔。",
        ),
        Column(
            "系统编号",
            "id",
            "int",
            width=10,
            note="导出文件中的设施编号，修改已有设施时请保留；新增设施留空。",
        ),
    ),
    key_attrs=("code", "name"),
    key_label="同一所属单位的同名设施",
    order_by=("code", "kind", "name"),
    extra_notes=(
        "填有系统编号的行更新该编号的设施（须在您的管辖范围内、属于所填的所属单位），可改名；",
        "没有系统编号的行按所属街道（服务中心）或社区（服务站、专项设施）加设施名称更新已有设施，找不到则新增；"
        "同一单位有两个同名设施时必须填写系统编号。",
    ),
)

VOLUNTEER_ORGANIZATIONS = Resource(
    slug="volunteer-organizations",
    title="志愿者组织",
    model=VolunteerOrganization,
    columns=(
        COMMUNITY_CODE,
        COMMUNITY_NAME,
        Column("组织名称", "name", "text", required=True, width=28),
        Column("成立日期", "registered_on", "date", required=True, width=12),
        Column("解散日期", "dissolved_on", "date", width=12, note="不早于成立日期。"),
    ),
    key_attrs=("community_id", "name"),
    key_label="同一社区的同名组织",
    order_by=("community_id", "name"),
    extra_notes=("已有的组织按社区代码加组织名称更新。",),
)

VOLUNTEERS = VolunteerResource(
    slug="volunteers",
    title="注册志愿者",
    model=Volunteer,
    columns=(
        COMMUNITY_CODE,
        COMMUNITY_NAME,
        Column("姓名", "name", "text", required=True, width=10),
        Column("性别", "gender", "choice", required=True, choices=Gender, width=6),
        Column(
            "身份证号码",
            "id_number",
            "id_number",
            required=True,
            width=22,
            note="18位居民身份证号码，以文本格式填写；全省唯一。",
        ),
        Column(
            "联系电话",
            "phone",
            "phone",
            width=15,
            default="",
            note="11位手机号或带区号的固定电话。",
        ),
        Column(
            "是否党员", "is_party_member", "bool", width=9, default=False, note="填“是”或“否”。"
        ),
        Column("注册日期", "registered_on", "date", required=True, width=12),
        Column("退出日期", "left_on", "date", width=12, note="不早于注册日期。"),
        Column(
            "志愿者组织",
            "organization_name",
            "text",
            width=24,
            source="organization__name",
            default="",
            note="本社区已登记的志愿者组织名称，可留空。",
        ),
        Column(
            "服务类别",
            "service_categories",
            "choices",
            choices=ServiceCategory,
            width=30,
            default=(),
            note="可填多项，用“、”分隔。",
        ),
    ),
    key_attrs=("id_number",),
    key_label="同一身份证号码",
    order_by=("community_id", "id"),
    extra_notes=(
        "已有的志愿者按身份证号码更新。",
        "导出文件中脱敏的身份证号码和电话（如 620102********1234）可原样导入："
        "按社区代码、姓名和脱敏号码找到已登记的志愿者，保留系统中的完整号码；新增志愿者须填写完整号码。",
    ),
)

SOCIAL_ORGANIZATIONS = Resource(
    slug="social-organizations",
    title="社区社会组织",
    model=SocialOrganization,
    columns=(
        COMMUNITY_CODE,
        COMMUNITY_NAME,
        Column("组织名称", "name", "text", required=True, width=28),
        Column(
            "类别",
            "category",
            "choice",
            required=True,
            choices=SocialOrganizationCategory,
            width=14,
        ),
        Column("成立（登记）日期", "registered_on", "date", required=True, width=16),
        Column("注销日期", "dissolved_on", "date", width=12, note="不早于成立日期。"),
    ),
    key_attrs=("community_id", "name"),
    key_label="同一社区的同名组织",
    order_by=("community_id", "name"),
    extra_notes=("已有的组织按社区代码加组织名称更新。",),
)

WORKERS = Resource(
    slug="workers",
    title="社区工作者",
    model=Worker,
    columns=(
        COMMUNITY_CODE,
        COMMUNITY_NAME,
        Column("姓名", "name", "text", required=True, width=10),
        Column("性别", "gender", "choice", required=True, choices=Gender, width=6),
        Column("职务", "role", "choice", required=True, choices=WorkerRole, width=16),
        Column("学历", "education", "choice", required=True, choices=Education, width=12),
        Column(
            "社会工作者职业资格",
            "social_work_qualification",
            "choice",
            choices=Qualification,
            width=18,
            default=Qualification.NONE,
        ),
        Column(
            "产生方式",
            "recruitment",
            "choice",
            choices=Recruitment,
            width=10,
            default=Recruitment.HIRING,
        ),
        Column("任职日期", "hired_on", "date", required=True, width=12),
        Column("离职日期", "left_on", "date", width=12, note="不早于任职日期。"),
    ),
    key_attrs=("community_id", "name"),
    key_label="同一社区的同名工作者",
    order_by=("community_id", "role", "name"),
    extra_notes=("已有的工作者按社区代码加姓名更新。",),
)


class BudgetLineResource(StatResource):
    """A budget line hangs under its region's code (province, prefecture, county or street)."""

    def existing(self, keys, owner_codes):
        found: dict[tuple, Any] = {}
        regions = sorted({key[0] for key in keys if key and key[0]})
        for chunk in chunked(regions):
            for obj in self.model.objects.filter(region_code__in=chunk):
                found.setdefault(self.key_of_instance(obj), obj)
        return found

    def owner_refusal(self, values, user, policy):
        code = values.get("region_code")
        if code and not policy.can(user, "add", code):
            return (
                "region_code",
                f"您不能导入区划“{code}”的预算：只有本级民政干部和省级管理员可以录入本级预算。",
            )
        return None

    def change_refusal(self, obj, policy) -> str:
        return f"{obj.year}年该项预算{obj.get_status_display()}，不能通过导入修改；如需修改请联系上级退回。"


BUDGET_LINES = BudgetLineResource(
    slug="budget-lines",
    title="专项经费预算",
    model=BudgetLine,
    columns=(
        Column(
            "区划代码",
            "region_code",
            "code",
            required=True,
            width=14,
            note="省2位、市州4位、县区6位或街道（乡镇）9位代码，以文本格式填写；只能填本级。",
        ),
        YEAR,
        Column("支出类别", "cost_type", "choice", required=True, choices=CostType, width=16),
        Column("资金来源", "source", "choice", required=True, choices=FundSource, width=18),
        Column(
            "预算安排（万元）",
            "budgeted_wan_yuan",
            "decimal",
            required=True,
            width=16,
            note="非负，最多两位小数。",
        ),
        Column(
            "已拨付（万元）",
            "allocated_wan_yuan",
            "decimal",
            required=True,
            width=16,
            note="不超过预算安排。",
        ),
        Column(
            "已支出（万元）",
            "spent_wan_yuan",
            "decimal",
            required=True,
            width=16,
            note="不超过已拨付；设施资金已自动计入，不要重复填写。",
        ),
        Column(
            "审核状态",
            "status",
            "info",
            choices=StatStatus,
            width=10,
            note="仅供核对，导入时不读取；新导入的预算为草稿。",
        ),
    ),
    key_attrs=("region_code", "year", "cost_type", "source"),
    key_label="同一区划同一年度同一支出类别和资金来源",
    order_by=("region_code", "year", "cost_type", "source"),
    extra_notes=(
        "同一区划、同一年度、同一支出类别和资金来源只能有一行；已有的预算按这四项更新。",
        "已上报或已审核的预算不能通过导入修改，需上级退回后再导入。",
    ),
)


def _column(resource: Resource, attr: str) -> Column:
    return next(c for c in resource.columns if c.attr == attr)


def _pop_parent(values: dict, failed: set, inputs: tuple[str, ...], field_name: str) -> tuple:
    """Take the cells that name a parent out of ``values``: their values, or None if any failed."""
    parts = tuple(values.pop(attr, None) for attr in inputs)
    if any(attr in failed for attr in inputs) or not all(parts):
        failed.add(field_name)
        return None
    return parts


def _may_add(user, model, code: str) -> bool:
    from core.policy import ADD, policy_for

    return policy_for(model).can(user, ADD, code)


class ServiceRecordResource(Resource):
    """A service record names its volunteer by ID number; the import is the recording step.

    New records enter as ``recorded`` with the importing user as their recorder, so the
    four-eyes rule holds: someone else (or the organisation's manager) confirms them. Only
    records still open (待确认, 申请更正) may be changed by import (the policy's ``change``).
    """

    # One volunteer may serve one activity twice on one day (in two places): the export
    # writes each record's number (记录编号), which finds it again before the natural key.
    @property
    def key_inputs(self):
        return frozenset({*self.key_attrs, "record_id"})

    def key_of(self, values):
        if values.get("id"):
            return ("id", values["id"])
        volunteer = values.get("volunteer")
        return (getattr(volunteer, "pk", None), values.get("served_on"), values.get("activity"))

    def key_of_instance(self, obj):
        return (obj.volunteer_id, obj.served_on, obj.activity)

    def new_record(self, user):
        return ServiceRecord(recorder=user)

    def existing(self, keys, owner_codes):
        found: dict[tuple, Any] = {}
        self.ambiguous: set[tuple] = set()
        self.claimed: set[int] = set()
        volunteers = sorted({k[0] for k in keys if k[0] and k[0] != "id"})
        for chunk in chunked(volunteers):
            for obj in ServiceRecord.objects.filter(volunteer_id__in=chunk):
                key = self.key_of_instance(obj)
                if key in found:
                    self.ambiguous.add(key)
                found.setdefault(key, obj)
        numbers = sorted({k[1] for k in keys if k[0] == "id"})
        for chunk in chunked(numbers):
            for obj in ServiceRecord.objects.filter(pk__in=chunk):
                found[("id", obj.pk)] = obj
        return found

    def update_refusal(self, obj, key, scope, user=None):
        if key in self.ambiguous:
            return (
                "该志愿者同一日期有多条同名活动的服务记录，无法确定更新哪一条；"
                "请填写记录编号（见导出文件）。"
            )
        if obj.pk in self.claimed:
            return "与本文件中另一行是同一条服务记录（记录编号相同或活动相同）。"
        self.claimed.add(obj.pk)
        return None

    def resolve(self, rows, *, user, error):
        from core.policy import policy_for

        given = {v["volunteer_id_number"] for _, v, _ in rows if v.get("volunteer_id_number")}
        visible = policy_for(Volunteer).visible_to(user).select_related("community")
        volunteers: dict[str, Volunteer] = {}
        for chunk in chunked(sorted(n for n in given if "*" not in n)):
            for volunteer in visible.filter(id_number__in=chunk):
                volunteers[volunteer.id_number] = volunteer
        # A masked number of an export (620102********1234) finds the volunteer in scope
        # whose number masks to it, with the name beside it when two do.
        masked: dict[str, list[Volunteer]] = {}
        for chunk in chunked(sorted({n[-4:] for n in given if "*" in n})):
            for volunteer in visible.filter(id_tail__in=chunk):
                masked.setdefault(mask_id_number(volunteer.id_number), []).append(volunteer)
        records: dict[int, int] = {}  # 记录编号 → volunteer, among the records in scope
        given_ids = sorted({v["record_id"] for _, v, _ in rows if v.get("record_id")})
        for chunk in chunked(given_ids):
            records.update(
                policy_for(ServiceRecord)
                .visible_to(user)
                .filter(pk__in=chunk)
                .values_list("pk", "volunteer_id")
            )
        organizations: dict[tuple, VolunteerOrganization] = {}
        found = {v.community_id for v in volunteers.values()}
        found |= {v.community_id for group in masked.values() for v in group}
        for chunk in chunked(sorted(found)):
            for org in VolunteerOrganization.objects.filter(community_id__in=chunk):
                organizations[(org.community_id, org.name)] = org
        id_column = _column(self, "volunteer_id_number")
        name_column = _column(self, "volunteer_name")
        org_column = _column(self, "organization_name")
        for number, values, failed in rows:
            parts = _pop_parent(values, failed, ("volunteer_id_number",), "volunteer")
            name = values.pop("volunteer_name", None)
            org_name = values.pop("organization_name", None)
            record_id = values.pop("record_id", None)
            if parts is None:
                failed.add("organization")
                continue
            if "*" in parts[0]:
                group = masked.get(parts[0], [])
                if name and len(group) > 1:
                    group = [v for v in group if v.name == name]
                volunteer = group[0] if len(group) == 1 else None
                if volunteer is None:
                    error(
                        number,
                        id_column,
                        "这是脱敏的身份证号码，"
                        + (
                            "您的管辖范围内有多名志愿者与之相符，"
                            if group
                            else "您的管辖范围内没有与之相符的志愿者，"
                        )
                        + "请填写完整号码。",
                    )
                    failed.update({"volunteer", "organization"})
                    continue
            else:
                volunteer = volunteers.get(parts[0])
            if volunteer is None:
                error(number, id_column, "该身份证号码的志愿者不存在或不在您的管辖范围内。")
                failed.update({"volunteer", "organization"})
                continue
            if name and name != volunteer.name:
                error(
                    number,
                    name_column,
                    f"与该身份证号码登记的姓名“{volunteer.name}”不一致，请核对。",
                )
                failed.update({"volunteer", "organization"})
                continue
            if not _may_add(user, ServiceRecord, volunteer.community_id):
                error(
                    number,
                    id_column,
                    f"您无权为社区“{volunteer.community_id}”的志愿者记录服务。",
                )
                failed.update({"volunteer", "organization"})
                continue
            values["volunteer"] = volunteer
            if record_id:
                if records.get(record_id) != volunteer.pk:
                    error(
                        number,
                        _column(self, "record_id"),
                        f"记录编号“{record_id}”不存在、不在您的管辖范围内或不是该志愿者的记录；"
                        "新记录请留空。",
                    )
                    failed.add("record_id")
                else:
                    values["id"] = record_id  # the record to update (its key)
            if org_name is None and "organization_name" not in failed:
                continue  # column left out of the file: keep the stored organisation
            org = organizations.get((volunteer.community_id, org_name)) if org_name else None
            if org_name and org is None:
                error(
                    number,
                    org_column,
                    f"志愿者所在社区没有名为“{org_name}”的志愿者组织，请先导入或登记该组织。",
                )
                failed.add("organization")
                continue
            if "organization_name" not in failed:
                values["organization"] = org


SERVICE_RECORDS = ServiceRecordResource(
    slug="service-records",
    title="志愿服务记录",
    model=ServiceRecord,
    columns=(
        Column(
            "志愿者身份证号码",
            "volunteer_id_number",
            "id_number",
            required=True,
            width=21,
            source="volunteer__id_number",
            masked_lookup=True,
            note="本辖区已注册志愿者的18位身份证号码，以文本格式填写；"
            "导出文件中脱敏的号码可原样导入（按号码前6位、后4位和姓名找到志愿者）。",
        ),
        Column(
            "志愿者姓名",
            "volunteer_name",
            "text",
            width=10,
            source="volunteer__name",
            default="",
            note="可留空；填写时须与该身份证号码登记的姓名一致。",
        ),
        Column("活动名称", "activity", "text", required=True, width=22),
        Column(
            "服务日期", "served_on", "date", required=True, width=11, note="不早于志愿者注册日期。"
        ),
        Column("服务类别", "category", "choice", required=True, choices=ServiceCategory, width=14),
        Column(
            "服务时长（小时）",
            "hours",
            "decimal",
            required=True,
            width=10,
            places=1,
            note="0.5至24小时，以0.5小时为单位，不含往返路途时间。",
        ),
        Column("服务地点", "place", "text", width=16, default=""),
        Column(
            "服务对象人数", "people_served", "int", width=9, default=0, note="非负整数，可留空。"
        ),
        Column("服务对象", "beneficiaries", "text", width=12, default="", note="如：老人、儿童。"),
        Column("活动负责人", "leader", "text", width=10, default=""),
        Column(
            "记录组织",
            "organization_name",
            "text",
            width=16,
            source="organization__name",
            default="",
            note="志愿者所在社区的志愿者组织名称；留空表示由社区记录。",
        ),
        Column("服务评价", "rating", "choice", choices=Rating, width=9, default=""),
        Column(
            "状态",
            "status",
            "info",
            choices=RecordStatus,
            width=9,
            note="仅供核对，导入时不读取；新导入的记录为“待确认”。",
        ),
        Column(
            "记录编号",
            "record_id",
            "int",
            width=9,
            source="id",
            note="导出文件自带，用于找到原记录，请勿修改；新记录留空。",
        ),
    ),
    key_attrs=("volunteer", "served_on", "activity"),
    key_label="同一志愿者同一日期的同名活动",
    order_by=("volunteer__community_id", "volunteer__id_number", "served_on", "activity"),
    parent_fields=("volunteer", "organization"),
    extra_notes=(
        "已有的服务记录按记录编号（导出文件自带）更新；没有记录编号的行按志愿者身份证号码、服务日期和活动名称更新。",
        "导入即为“记录”：新记录的状态为“待确认”，须由记录人以外的本社区工作人员或记录组织负责人确认后才计入服务时长。",
        "已确认或不予确认的记录不能通过导入修改；如有错误，请由志愿者提出更正申请。",
    ),
)


class WorkersByName:
    """The workers of the communities a file names, found by (community code, name).

    A name two workers of one community share finds nobody: the row is refused as ambiguous.
    """

    def __init__(self, user, codes):
        self.visible: set[str] = set()
        self.workers: dict[tuple, Worker] = {}
        self.twice: set[tuple] = set()
        for chunk in chunked(sorted(set(codes))):
            self.visible.update(
                Community.objects.visible_to(user)
                .filter(code__in=chunk)
                .values_list("code", flat=True)
            )
        for chunk in chunked(sorted(self.visible)):
            for worker in Worker.objects.filter(community_id__in=chunk):
                key = (worker.community_id, worker.name)
                if key in self.workers:
                    self.twice.add(key)
                self.workers.setdefault(key, worker)

    def refusal(self, code: str, name: str, ambiguous_hint: str) -> str | None:
        """Say why no one worker is found (None: ``find`` returns them)."""
        if (code, name) in self.twice:
            return f"该社区有多名叫“{name}”的社区工作者，无法确定是哪一位；{ambiguous_hint}"
        if (code, name) not in self.workers:
            return f"该社区没有名为“{name}”的社区工作者，请先导入或登记该工作者。"
        return None

    def find(self, code: str, name: str) -> Worker:
        return self.workers[(code, name)]


class TrainingResource(Resource):
    """A training names its worker by community code and name (the worker's natural key)."""

    def key_of(self, values):
        worker = values.get("worker")
        return (getattr(worker, "pk", None), values.get("started_on"), values.get("title"))

    def key_of_instance(self, obj):
        return (obj.worker_id, obj.started_on, obj.title)

    def existing(self, keys, owner_codes):
        found: dict[tuple, Any] = {}
        ids = sorted({k[0] for k in keys if k[0]})
        for chunk in chunked(ids):
            for obj in Training.objects.filter(worker_id__in=chunk):
                found.setdefault(self.key_of_instance(obj), obj)
        return found

    def resolve(self, rows, *, user, error):
        workers = WorkersByName(
            user, [v["worker_community"] for _, v, _ in rows if v.get("worker_community")]
        )
        code_column = _column(self, "worker_community")
        name_column = _column(self, "worker_name")
        for number, values, failed in rows:
            parts = _pop_parent(values, failed, ("worker_community", "worker_name"), "worker")
            if parts is None:
                continue
            code, name = parts
            if code not in workers.visible:
                error(number, code_column, f"社区代码“{code}”不存在或不在您的管辖范围内。")
                failed.add("worker")
            elif not _may_add(user, Training, code):
                error(number, code_column, f"您无权修改社区“{code}”的数据。")
                failed.add("worker")
            elif refusal := workers.refusal(code, name, "请在系统中录入其培训。"):
                error(number, name_column, refusal)
                failed.add("worker")
            else:
                values["worker"] = workers.find(code, name)


TRAININGS = TrainingResource(
    slug="trainings",
    title="社区工作者培训",
    model=Training,
    columns=(
        Column(
            "社区代码",
            "worker_community",
            "code",
            required=True,
            width=15,
            source="worker__community_id",
            note="工作者所在社区的12位代码，以文本格式填写。",
        ),
        Column(
            "社区名称",
            "community_name",
            "info",
            width=18,
            source="worker__community__name",
            note="仅供核对，导入时不读取。",
        ),
        Column(
            "工作者姓名",
            "worker_name",
            "text",
            required=True,
            width=10,
            source="worker__name",
            note="本社区已登记的社区工作者姓名。",
        ),
        Column("培训名称", "title", "text", required=True, width=30),
        Column("开始日期", "started_on", "date", required=True, width=11),
        Column(
            "学时",
            "hours",
            "decimal",
            required=True,
            width=8,
            places=1,
            note="不少于0.5，最多一位小数。",
        ),
        Column("主办单位", "organizer", "text", width=24, default=""),
    ),
    key_attrs=("worker", "started_on", "title"),
    key_label="同一工作者同一开始日期的同名培训",
    order_by=("worker__community_id", "worker__name", "started_on", "title"),
    parent_fields=("worker",),
    extra_notes=("已有的培训记录按社区代码、工作者姓名、培训名称和开始日期更新。",),
)


class FacilityFundingResource(Resource):
    """A funding line names its facility by the owner's code and the facility's name."""

    add_refused = "您无权录入“{code}”的设施资金。"

    def key_of(self, values):
        facility = values.get("facility")
        return (getattr(facility, "pk", None), values.get("year"), values.get("source"))

    def key_of_instance(self, obj):
        return (obj.facility_id, obj.year, obj.source)

    def existing(self, keys, owner_codes):
        found: dict[tuple, Any] = {}
        self.ambiguous: set[tuple] = set()
        ids = sorted({k[0] for k in keys if k[0]})
        for chunk in chunked(ids):
            for obj in FacilityFunding.objects.filter(facility_id__in=chunk):
                key = self.key_of_instance(obj)
                if key in found:
                    self.ambiguous.add(key)
                found.setdefault(key, obj)
        return found

    def update_refusal(self, obj, key, scope, user=None):
        if key in getattr(self, "ambiguous", ()):
            return "该设施同一年度同一资金来源已有多条记录，无法确定更新哪一条；请在系统中修改。"
        return None

    def resolve(self, rows, *, user, error):
        from core.policy import policy_for

        codes = sorted({v["facility_owner"] for _, v, _ in rows if v.get("facility_owner")})
        facilities: dict[tuple, list[Facility]] = {}
        visible_codes: set[str] = set()
        queryset = policy_for(Facility).visible_to(user)
        for chunk in chunked(codes):
            for facility in queryset.filter(code__in=chunk).order_by("pk"):
                visible_codes.add(facility.code)
                facilities.setdefault((facility.code, facility.name), []).append(facility)
        code_column = _column(self, "facility_owner")
        name_column = _column(self, "facility_name")
        opened_column = _column(self, "facility_opened")
        for number, values, failed in rows:
            opened = values.pop("facility_opened", None)
            parts = _pop_parent(values, failed, ("facility_owner", "facility_name"), "facility")
            if parts is None:
                continue
            code, name = parts
            found = facilities.get((code, name), [])
            if opened and "facility_opened" not in failed:
                # Two facilities of one name (a replaced station and its successor) are told
                # apart by their opening dates; a single one must match the date given.
                found = [f for f in found if f.opened_on == opened]
            if code not in visible_codes:
                error(
                    number,
                    code_column,
                    f"代码“{code}”下没有设施，或该单位不在您的管辖范围内。",
                )
            elif not facilities.get((code, name)):
                error(number, name_column, f"该单位没有名为“{name}”的设施，请先导入或登记该设施。")
            elif not found:
                error(
                    number,
                    opened_column,
                    f"该单位名为“{name}”的设施没有在{opened:%Y-%m-%d}投入使用的，请核对。",
                )
            elif len(found) > 1:
                error(
                    number,
                    opened_column if not opened else name_column,
                    f"该单位有多个名为“{name}”的设施，请填写设施投入使用日期以区分；"
                    "仍无法区分的请在系统中录入其资金。",
                )
            elif not _may_add(user, self.model, code):
                error(number, code_column, self.add_refused.format(code=code))
            else:
                values["facility"] = found[0]
                continue
            failed.add("facility")


FACILITY_FUNDINGS = FacilityFundingResource(
    slug="facility-fundings",
    title="设施建设资金",
    model=FacilityFunding,
    columns=(
        Column(
            "所属单位代码",
            "facility_owner",
            "code",
            required=True,
            width=15,
            source="facility__code",
            note="街道社区服务中心填9位街道代码，社区服务站和专项服务设施填12位社区代码。",
        ),
        Column(
            "设施名称",
            "facility_name",
            "text",
            required=True,
            width=24,
            source="facility__name",
            note="本单位已登记的设施名称。",
        ),
        Column(
            "设施投入使用日期",
            "facility_opened",
            "date",
            width=12,
            source="facility__opened_on",
            note="可留空；本单位有同名设施时必填，用以区分。",
        ),
        Column(
            "设施类型",
            "facility_kind",
            "info",
            choices=FacilityKind,
            width=16,
            source="facility__kind",
            note="仅供核对，导入时不读取。",
        ),
        Column(
            "年度",
            "year",
            "year",
            required=True,
            width=8,
            first_year=MIN_YEAR,
            note="资金到位的年份；规划前建成的设施可填建设年份。",
        ),
        Column(
            "资金来源", "source", "choice", required=True, choices=FacilityFunding.Source, width=16
        ),
        Column(
            "金额（万元）",
            "amount_wan_yuan",
            "decimal",
            required=True,
            width=12,
            note="大于0，最多两位小数。",
        ),
    ),
    key_attrs=("facility", "year", "source"),
    key_label="同一设施同一年度同一资金来源",
    order_by=("facility__code", "facility__name", "year", "source"),
    parent_fields=("facility",),
    extra_notes=(
        "已有的资金记录按所属单位代码、设施名称（同名设施加投入使用日期）、年度和资金来源更新。",
        "设施资金自动计入“专项经费预算”的已支出，不要在预算中重复填写。",
    ),
)


class CommitteeResource(Resource):
    """A sub-committee names its chair (主任委员) by name among its community's workers."""

    def resolve(self, rows, *, user, error):
        workers = WorkersByName(
            user, [v["community_id"] for _, v, _ in rows if v.get("community_id")]
        )
        column = _column(self, "chair_name")
        for number, values, failed in rows:
            if "chair_name" not in values:
                if "chair_name" in failed:
                    failed.add("chair")
                continue  # the column left out of the file: keep the stored chair
            name = values.pop("chair_name")
            code = values.get("community_id")
            if not name:
                values["chair"] = None
            elif "community_id" in failed or code not in workers.visible:
                failed.add("chair")  # the community is reported (or refused) on its own
            elif refusal := workers.refusal(code, name, "请在系统中指定主任委员。"):
                error(number, column, refusal)
                failed.add("chair")
            else:
                values["chair"] = workers.find(code, name)


COMMITTEES = CommitteeResource(
    slug="committees",
    title="居委会下属委员会",
    model=Committee,
    columns=(
        COMMUNITY_CODE,
        COMMUNITY_NAME,
        Column("委员会", "kind", "choice", required=True, choices=CommitteeKind, width=18),
        Column(
            "主任委员",
            "chair_name",
            "text",
            width=12,
            source="chair__name",
            default="",
            note="本社区已登记的社区工作者姓名；暂未确定的留空。",
        ),
        Column("成立日期", "established_on", "date", required=True, width=12),
        Column("撤销日期", "dissolved_on", "date", width=12, note="不早于成立日期；在设的留空。"),
    ),
    key_attrs=("community_id", "established_on", "kind"),
    key_label="同一社区同一成立日期的同一委员会",
    order_by=("community_id", "kind", "established_on"),
    parent_fields=("chair",),
    column_aliases={"chair": "chair_name"},
    extra_notes=(
        "已有的委员会按社区代码、委员会和成立日期更新；成立日期不同的视为新设的委员会。",
        "主任委员须是本社区已登记的社区工作者。",
    ),
)


class TrainingPlanResource(Resource):
    """A training plan hangs under its region's code (province, prefecture, county or street);
    it is plan data, which only administrators write (``teams.policies``)."""

    def existing(self, keys, owner_codes):
        found: dict[tuple, Any] = {}
        regions = sorted({key[0] for key in keys if key and key[0]})
        for chunk in chunked(regions):
            for obj in self.model.objects.filter(region_code__in=chunk):
                found.setdefault(self.key_of_instance(obj), obj)
        return found

    def owner_refusal(self, values, user, policy):
        from core.scoping import user_scope_code

        code = values.get("region_code")
        if code and (
            not policy.can(user, "add", code) or not code_is_under(code, user_scope_code(user))
        ):
            return ("region_code", f"您不能导入区划“{code}”的培训计划：只有省级管理员可以录入。")
        return None


TRAINING_PLANS = TrainingPlanResource(
    slug="training-plans",
    title="社区工作者培训计划",
    model=TrainingPlan,
    columns=(
        Column(
            "区划代码",
            "region_code",
            "code",
            required=True,
            width=14,
            note="省2位、市州4位、县区6位或街道（乡镇）9位代码，以文本格式填写。",
        ),
        YEAR,
        Column("计划培训班次", "courses", "int", width=12, default=0, note="非负整数，可留空。"),
        Column(
            "人均培训学时",
            "hours_per_worker",
            "decimal",
            required=True,
            width=12,
            places=1,
            note="非负，最多一位小数。",
        ),
        Column(
            "培训覆盖比例",
            "share_to_train",
            "decimal",
            required=True,
            width=12,
            places=4,
            note="应参加培训的社区工作者占比，0到1之间，如 0.8 表示80%。",
        ),
    ),
    key_attrs=("region_code", "year"),
    key_label="同一区划同一年度",
    order_by=("region_code", "year"),
    extra_notes=(
        "同一区划同一年度只能有一行；已有的培训计划按区划代码和年度更新。",
        "培训计划是规划数据，只有省级管理员可以导入。",
    ),
)


BUDGET_PARTS = ("budget_region", "budget_cost_type", "budget_source")


class EntrustedProjectResource(Resource):
    """A project hangs under a community or a street; it names its volunteer organisation by
    name among the organisations of that area, and its budget line (if any) by the line's
    region, cost type and source in the year the project starts."""

    @property
    def key_inputs(self):
        return frozenset({"community_id", "street_id", "name", "starts_on"})

    def key_of(self, values):
        owner = values.get("community_id") or values.get("street_id")
        return (owner, values.get("name"), values.get("starts_on"))

    def key_of_instance(self, obj):
        return (obj.code, obj.name, obj.starts_on)

    def existing(self, keys, owner_codes):
        found: dict[tuple, Any] = {}
        self.ambiguous: set[tuple] = set()
        for chunk in chunked(sorted(set(owner_codes))):
            for obj in EntrustedProject.objects.filter(code__in=chunk):
                key = self.key_of_instance(obj)
                if key in found:
                    self.ambiguous.add(key)
                found.setdefault(key, obj)
        return found

    def update_refusal(self, obj, key, scope, user=None):
        if key in getattr(self, "ambiguous", ()):
            return "该单位同一开始日期已有多个同名项目，无法确定更新哪一个；请在系统中修改。"
        return None

    def owner_refusal(self, values, user, policy):
        street = values.get("street_id")
        if street and not policy.can(user, "add", street):
            return ("street_id", f"街道代码“{street}”不存在或不在您的管辖范围内。")
        return None

    def resolve(self, rows, *, user, error):
        from core.scoping import user_scope_code

        scope = user_scope_code(user) or ""

        def owner_of(values, failed):
            if {"community_id", "street_id"} & failed:
                return None
            community, street = values.get("community_id"), values.get("street_id")
            if bool(community) == bool(street):
                return None  # the model's clean says one of the two
            code = community or street
            return code if code_is_under(code, scope) else None

        owners = {owner_of(v, f) for _, v, f in rows} - {None}
        communities = sorted(c for c in owners if len(c) == 12)
        streets = sorted(c for c in owners if len(c) == 9)
        organizations: dict[tuple, list[VolunteerOrganization]] = {}
        for chunk in chunked(communities):
            for org in VolunteerOrganization.objects.filter(community_id__in=chunk):
                organizations.setdefault((org.community_id, org.name), []).append(org)
        for chunk in chunked(streets):
            queryset = VolunteerOrganization.objects.filter(community__street_id__in=chunk)
            for org in queryset.select_related("community"):
                key = (org.community.street_id, org.name)
                organizations.setdefault(key, []).append(org)
        wanted = {
            (v.get("budget_region"), v["starts_on"].year)
            for _, v, _ in rows
            if v.get("budget_region") and v.get("starts_on")
        }
        lines: dict[tuple, BudgetLine] = {}
        regions = sorted({r for r, _ in wanted})
        years = sorted({y for _, y in wanted})
        for chunk in chunked(regions):
            for line in BudgetLine.objects.filter(region_code__in=chunk, year__in=years):
                lines[(line.region_code, line.year, line.cost_type, line.source)] = line
        org_column = _column(self, "organization_name")
        region_column = _column(self, "budget_region")
        for number, values, failed in rows:
            owner = owner_of(values, failed)
            # The organisation, by name within the project's community or street.
            name = values.pop("organization_name", None)
            if name is None or owner is None:
                failed.add("organization")
            else:
                place = "本社区" if len(owner) == 12 else "本街道各社区"
                found = organizations.get((owner, name), [])
                if len(found) > 1:
                    error(
                        number,
                        org_column,
                        f"本街道有多个名为“{name}”的志愿服务组织，无法确定是哪一个；请在系统中录入该项目。",
                    )
                    failed.add("organization")
                elif not found:
                    error(
                        number,
                        org_column,
                        f"{place}没有名为“{name}”的志愿服务组织：项目只能委托{place}的志愿服务组织，"
                        "请核对名称或先登记该组织。",
                    )
                    failed.add("organization")
                else:
                    values["organization"] = found[0]
            # The budget line, if the three cells name one.
            if not any(part in values or part in failed for part in BUDGET_PARTS):
                continue  # the columns left out of the file: keep the stored link
            parts = tuple(values.pop(part, None) for part in BUDGET_PARTS)
            if any(part in failed for part in BUDGET_PARTS):
                failed.add("budget_line")
                continue
            if not any(parts):
                values["budget_line"] = None
                continue
            if not all(parts):
                missing = _column(self, BUDGET_PARTS[[bool(p) for p in parts].index(False)])
                error(
                    number,
                    missing,
                    "关联预算须同时填写预算区划代码、预算支出类别和预算资金来源；不关联预算请三项都留空。",
                )
                failed.add("budget_line")
                continue
            region, cost_type, source = parts
            starts = values.get("starts_on")
            if owner is None or not starts:
                failed.add("budget_line")  # the owner or the start date is reported on its own
                continue
            if not owner.startswith(region):
                error(
                    number,
                    region_column,
                    f"预算区划代码“{region}”不是项目所在社区（街道）或其上级区划的代码。",
                )
                failed.add("budget_line")
                continue
            line = lines.get((region, starts.year, cost_type, source))
            if line is None:
                error(
                    number,
                    region_column,
                    f"区划“{region}”没有{starts.year}年（项目开始年度）“{CostType(cost_type).label}”"
                    f"“{FundSource(source).label}”的专项经费预算，请核对或先录入该预算。",
                )
                failed.add("budget_line")
                continue
            values["budget_line"] = line


ENTRUSTED_PROJECTS = EntrustedProjectResource(
    slug="entrusted-projects",
    title="委托服务项目",
    model=EntrustedProject,
    columns=(
        Column(
            "委托社区代码",
            "community_id",
            "code",
            width=15,
            note="社区委托的项目填12位社区代码；街道委托的留空。",
        ),
        Column(
            "委托街道代码",
            "street_id",
            "code",
            width=13,
            note="街道委托的项目填9位街道代码；社区委托的留空。",
        ),
        Column("项目名称", "name", "text", required=True, width=24),
        Column(
            "承接志愿服务组织",
            "organization_name",
            "text",
            required=True,
            width=20,
            source="organization__name",
            note="本社区（街道项目：本街道各社区）已登记的志愿服务组织名称。",
        ),
        Column("服务类别", "service_line", "choice", required=True, choices=ServiceItem, width=16),
        Column("开始日期", "starts_on", "date", required=True, width=11),
        Column("结束日期", "ends_on", "date", width=11, note="不早于开始日期；长期项目留空。"),
        Column(
            "经费（万元）",
            "funding_wan_yuan",
            "decimal",
            width=11,
            default=Decimal("0"),
            note="非负，最多两位小数，可留空。",
        ),
        Column(
            "预算区划代码",
            "budget_region",
            "code",
            width=13,
            source="budget_line__region_code",
            note="经费来源的专项经费预算所属区划（本级或上级）；不关联预算留空。",
        ),
        Column(
            "预算支出类别",
            "budget_cost_type",
            "choice",
            choices=CostType,
            width=14,
            source="budget_line__cost_type",
            default="",
        ),
        Column(
            "预算资金来源",
            "budget_source",
            "choice",
            choices=FundSource,
            width=14,
            source="budget_line__source",
            default="",
        ),
        Column(
            "计划受益人数", "target_beneficiaries", "int", width=10, default=0, note="非负整数。"
        ),
        Column(
            "实际受益人数", "achieved_beneficiaries", "int", width=10, default=0, note="非负整数。"
        ),
        Column("成效评价", "rating", "choice", choices=ProjectRating, width=9, default=""),
    ),
    key_attrs=("community_id", "street_id", "starts_on", "name"),
    key_label="同一单位同一开始日期的同名项目",
    order_by=("code", "starts_on", "name"),
    parent_fields=("organization", "budget_line"),
    column_aliases={"organization": "organization_name", "budget_line": "budget_region"},
    failure_covers={"street_id": ("community",)},
    extra_notes=(
        "委托社区代码和委托街道代码二者填一；已有的项目按委托单位、项目名称和开始日期更新。",
        "承接组织须是本社区（街道项目：本街道各社区）的志愿服务组织，按名称查找。",
        "关联预算时填写预算所属区划（本级或上级）、支出类别和资金来源三项，"
        "预算年度为项目开始的年度；不关联预算三项都留空。",
    ),
)


class StandardCheckResource(FacilityFundingResource):
    """A self-check names its facility as a funding line does (owner code, name, opening
    date) and its catalogue item by the standard's code. An import records a check: new
    checks await the street's review (待街道审核); a reviewed check is not changed by import,
    whoever the user (the street returns it first)."""

    add_refused = "您无权录入“{code}”的服务标准自查。"

    def key_of(self, values):
        facility, standard = values.get("facility"), values.get("standard")
        return (getattr(facility, "pk", None), getattr(standard, "pk", None), values.get("year"))

    def key_of_instance(self, obj):
        return (obj.facility_id, obj.standard_id, obj.year)

    def existing(self, keys, owner_codes):
        found: dict[tuple, Any] = {}
        ids = sorted({k[0] for k in keys if k[0]})
        for chunk in chunked(ids):
            for obj in StandardCheck.objects.filter(facility_id__in=chunk):
                found[self.key_of_instance(obj)] = obj
        return found

    def update_refusal(self, obj, key, scope, user=None):
        return None

    def may_change(self, obj, user, policy) -> bool:
        return obj.status != CheckStatus.REVIEWED and super().may_change(obj, user, policy)

    def change_refusal(self, obj, policy) -> str:
        if obj.status == CheckStatus.REVIEWED:
            return "该自查已经街道审核，不能通过导入修改；如需修改请联系街道退回。"
        return super().change_refusal(obj, policy)

    def resolve(self, rows, *, user, error):
        super().resolve(rows, user=user, error=error)
        standards = {s.pk: s for s in ServiceStandard.objects.all()}
        column = _column(self, "standard_code")
        for number, values, failed in rows:
            parts = _pop_parent(values, failed, ("standard_code",), "standard")
            if parts is None:
                continue
            standard = standards.get(parts[0])
            if standard is None:
                error(
                    number,
                    column,
                    f"服务标准目录中没有编号为“{parts[0]}”的服务标准，请核对（见服务标准目录）。",
                )
                failed.add("standard")
            else:
                values["standard"] = standard


STANDARD_CHECKS = StandardCheckResource(
    slug="standard-checks",
    title="服务标准自查",
    model=StandardCheck,
    columns=(
        Column(
            "所属单位代码",
            "facility_owner",
            "code",
            required=True,
            width=15,
            source="facility__code",
            note="街道社区服务中心填9位街道代码，社区服务站填12位社区代码。",
        ),
        Column(
            "设施名称",
            "facility_name",
            "text",
            required=True,
            width=22,
            source="facility__name",
            note="本单位已登记的社区服务站或街道社区服务中心名称。",
        ),
        Column(
            "设施投入使用日期",
            "facility_opened",
            "date",
            width=12,
            source="facility__opened_on",
            note="可留空；本单位有同名设施时必填，用以区分。",
        ),
        Column(
            "标准编号",
            "standard_code",
            "text",
            required=True,
            width=16,
            source="standard_id",
            note="服务标准目录中的编号，如 employment-01。",
        ),
        Column(
            "服务项目",
            "standard_name",
            "info",
            width=20,
            source="standard__name",
            note="仅供核对，导入时不读取。",
        ),
        YEAR,
        Column("自查结果", "result", "choice", required=True, choices=CheckResult, width=10),
        Column("说明", "note", "text", width=30, default=""),
        Column(
            "审核状态",
            "status",
            "info",
            choices=CheckStatus,
            width=12,
            note="仅供核对，导入时不读取；新导入的自查为“待街道审核”。",
        ),
    ),
    key_attrs=("facility", "standard", "year"),
    key_label="同一设施同一年度同一服务标准",
    order_by=("facility__code", "facility__name", "year", "standard_id"),
    parent_fields=("facility", "standard"),
    column_aliases={"facility": "facility_name", "standard": "standard_code"},
    extra_notes=(
        "已有的自查按所属单位代码、设施名称（同名设施加投入使用日期）、标准编号和年度更新。",
        "导入即为设施的自查：新自查的状态为“待街道审核”，由街道审核；照片或附件请在系统中上传。",
        "街道已审核的自查不能通过导入修改，需街道退回后再导入。",
    ),
)


RESOURCES: dict[str, Resource] = {
    r.slug: r
    for r in (
        COMMUNITY_STATS,
        FACILITIES,
        VOLUNTEER_ORGANIZATIONS,
        VOLUNTEERS,
        SOCIAL_ORGANIZATIONS,
        WORKERS,
        BUDGET_LINES,
        SERVICE_RECORDS,
        TRAININGS,
        FACILITY_FUNDINGS,
        COMMITTEES,
        ENTRUSTED_PROJECTS,
        TRAINING_PLANS,
        STANDARD_CHECKS,
    )
}

# Models the importer resolves codes against (kept here so views need not import them).
OWNER_MODELS = {"community": Community, "street": Street}
