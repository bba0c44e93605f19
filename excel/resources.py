"""The kinds of record that travel by Excel: their columns, natural keys and lookups.

One :class:`Resource` per kind says which columns its template has (Chinese headers, coded
values as Chinese labels), how a row finds the record it updates (its natural key) and how
the records under a scope are read for export. The importer and the exporters read only this.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import models

from communities.models import (
    Community,
    CommunityStat,
    SocialOrganization,
    SocialOrganizationCategory,
    StatStatus,
)
from core.scoping import code_is_under
from core.services import chunked
from core.validators import mask_id_number
from facilities.models import ConstructionMode, Facility, FacilityKind, ServiceItem, SpecializedType
from funding.models import BudgetLine, CostType, FundSource
from streets.models import Street
from volunteers.models import Gender, ServiceCategory, Volunteer, VolunteerOrganization
from workforce.models import Education, Qualification, Recruitment, Worker, WorkerRole


@dataclass(frozen=True)
class Column:
    """One column of a template: its header, the model attribute it fills and how to read it.

    ``kind`` is one of ``code`` (official code, kept as text), ``text``, ``int``, ``decimal``,
    ``date``, ``choice`` (one label of ``choices``), ``choices`` (several labels joined by 、),
    ``bool`` (是/否), ``id_number``, ``phone``; ``info`` columns are written for reference
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

    @property
    def has_personal_data(self) -> bool:
        """Say whether the sheet carries ID numbers or phones (masked unless asked for)."""
        return any(c.kind in ("id_number", "phone") for c in self.columns)

    @property
    def import_columns(self) -> list[Column]:
        return [c for c in self.columns if c.importable]

    def column_for_field(self, name: str) -> Column | None:
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

    def existing(self, keys: list[tuple], owner_codes: list[str]) -> dict[tuple, Any]:
        """Load the records the rows may update, by natural key, in a few queries."""
        found: dict[tuple, Any] = {}
        for chunk in chunked(sorted(set(owner_codes))):
            for obj in self.model.objects.filter(community_id__in=chunk):
                found.setdefault(self.key_of_instance(obj), obj)
        return found

    def export_queryset(self, queryset):
        return queryset.order_by(*self.order_by) if self.order_by else queryset

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
        Column("年度", "year", "int", required=True, width=8, note="四位年份，如 2015。"),
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
        Column("设施名称", "name", "text", required=True, width=24),
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
        Column("地址", "address", "text", width=30, default=""),
        Column(
            "一站式服务项目",
            "services",
            "choices",
            choices=ServiceItem,
            width=40,
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
        Column("年度", "year", "int", required=True, width=8, note="四位年份，如 2015。"),
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
    )
}

# Models the importer resolves codes against (kept here so views need not import them).
OWNER_MODELS = {"community": Community, "street": Street}
