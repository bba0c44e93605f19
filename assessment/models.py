"""目标考核: schemes of scored items, one round per assessed unit, and each item's score."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import (
    FileExtensionValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.dates import YEAR_VALIDATORS
from core.models import CleanTextModel, ScopedRecord, VersionedModel
from core.scoping import ScopedQuerySet

from .methods import METHODS, VETO, Method, method_of
from .querysets import AssessmentQuerySet, ItemScoreQuerySet
from .scoring import EXCELLENT, FAIL, GOOD, GRADE_ORDER, PASS, ZERO, score_round

POINTS = {"max_digits": 6, "decimal_places": 2}
MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
EVIDENCE_EXTENSIONS = ["jpg", "jpeg", "png", "pdf", "doc", "docx", "xls", "xlsx"]


def _points(value: Decimal) -> str:
    """Print points as a sheet does: 100, 92.5 (not 100.00 or 1E+2)."""
    return format(value.normalize(), "f")


class Level(models.TextChoices):
    PREFECTURE = "prefecture", "市州"
    COUNTY = "county", "县区"
    STREET = "street", "街道（乡镇）"


class Grade(models.TextChoices):
    EXCELLENT = EXCELLENT, "优秀"
    GOOD = GOOD, "良好"
    PASS = PASS, "合格"
    FAIL = FAIL, "不合格"


class Status(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", "单位自评"
    SCORING = "scoring", "上级评分"
    REVIEW = "review", "省级复核"
    FINAL = "final", "已定等"


def default_grades() -> list[dict]:
    return [
        {"grade": EXCELLENT, "min_score": "90"},
        {"grade": GOOD, "min_score": "80"},
        {"grade": PASS, "min_score": "60"},
        {"grade": FAIL, "min_score": "0"},
    ]


def grades_errors(grades) -> list[str]:
    """Say why a list of grade bands is refused (each grade once, lower grades lower)."""
    if not isinstance(grades, list) or not all(isinstance(g, dict) for g in grades):
        return ['等次应为列表，每项形如 {"grade": "excellent", "min_score": "90"}。']
    names = [g.get("grade") for g in grades]
    if sorted(names, key=str) != sorted(GRADE_ORDER):
        return ["等次须包括 excellent（优秀）、good（良好）、pass（合格）、fail（不合格）各一项。"]
    bounds = {}
    for band in grades:
        try:
            value = Decimal(str(band.get("min_score")))
        except Exception:  # noqa: BLE001 - any unreadable bound gets the same message
            return [f"等次 {band.get('grade')} 的最低分不是数字。"]
        if not value.is_finite() or value < 0:
            return [f"等次 {band.get('grade')} 的最低分应为不小于0的数字。"]
        bounds[band["grade"]] = value
    ordered = [bounds[g] for g in GRADE_ORDER]
    if any(high <= low for high, low in zip(ordered, ordered[1:], strict=False)):
        return ["等次最低分应依次降低：优秀 > 良好 > 合格 > 不合格。"]
    return []


class Scheme(VersionedModel):
    """考核方案: one year's scheme for one level (市州、县区 or 街道), with its items."""

    HISTORY_KEY = "assessment-scheme"

    year = models.PositiveSmallIntegerField("考核年度", validators=YEAR_VALIDATORS)
    level = models.CharField("考核对象层级", max_length=16, choices=Level.choices)
    name = models.CharField("方案名称", max_length=200)
    base_score = models.DecimalField(
        "基本分",
        **POINTS,
        validators=[MinValueValidator(Decimal("1"), message="基本分应大于0。")],
        default=Decimal("100"),
        help_text="各计分考核项（加分、扣分、一票否决项除外）分值之和。",
    )
    grades = models.JSONField(
        "等次划分",
        default=default_grades,
        help_text="各等次的最低分：优秀、良好、合格、不合格。",
    )
    excellent_quota = models.DecimalField(
        "优秀比例",
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.2000"),
        validators=[
            MinValueValidator(Decimal("0"), message="优秀比例应在0到1之间。"),
            MaxValueValidator(Decimal("1"), message="优秀比例应在0到1之间。"),
        ],
        help_text="参加考核单位中可评为优秀的最大比例（向下取整），如 0.2000。",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "考核方案"
        verbose_name_plural = "考核方案"
        ordering = ["-year", "level", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "level", "name"],
                name="one_assessment_scheme_per_year_level_name",
                violation_error_message="该年度该层级已有同名考核方案。",
            ),
        ]

    def __str__(self):
        return f"{self.year}年{self.name}"

    def get_absolute_url(self):
        return reverse("assessment-ranking", args=[self.pk])

    @property
    def scope_code(self) -> str:
        return ""

    def base_score_errors(self, items) -> list[str]:
        """Say why ``items`` (each with ``method`` and ``points``) do not make up the base score.

        Only the items the scoring rules add up count: bonus (加分), deduction (扣分) and veto
        (一票否决) items lie outside the base and are left out.
        """
        counted = sum(
            (
                Decimal(str(item.points))
                for item in items
                if item.points not in (None, "")
                and item.method in METHODS
                and METHODS[item.method].counts_in_base
            ),
            ZERO,
        )
        if self.base_score is None or counted == Decimal(str(self.base_score)):
            return []
        return [
            f"计分考核项分值合计为{_points(counted)}分，"
            f"与基本分{_points(Decimal(str(self.base_score)))}分不一致"
            "（加分、扣分、一票否决项不计入基本分）。"
        ]

    def items_to_check(self):
        """The items the base score is checked against: those about to be saved with the
        scheme (``pending_items``, set by ``scheme_save`` and the admin's inline), else the
        saved ones. A new scheme without items yet is not checked (it cannot be launched)."""
        pending = getattr(self, "pending_items", None)
        if pending is not None:
            return pending
        if self.pk is None:
            return []
        return list(self.items.all())

    def clean(self):
        errors = {}
        problems = grades_errors(self.grades)
        if problems:
            errors["grades"] = problems
        items = self.items_to_check()
        if items:
            problems = self.base_score_errors(items)
            if problems:
                errors["base_score"] = problems
        if errors:
            raise ValidationError(errors)

    def bands(self) -> list[tuple[str, Decimal]]:
        return [(band["grade"], Decimal(str(band["min_score"]))) for band in self.grades]

    def minimum_of(self, grade: str) -> Decimal:
        return dict(self.bands()).get(grade, ZERO)


class SchemeItem(CleanTextModel):
    """考核项: one line of the scheme (考核内容、考核标准、分值、考核方式)."""

    scheme = models.ForeignKey(
        Scheme, verbose_name="考核方案", on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField("序号", default=0)
    code = models.CharField(
        "考核项代码",
        max_length=32,
        validators=[
            RegexValidator(r"^[a-z][a-z0-9_]*$", "考核项代码只能含小写字母、数字和下划线。")
        ],
    )
    name = models.CharField("考核内容", max_length=200)
    standard = models.TextField("考核标准", blank=True)
    points = models.DecimalField(
        "分值", **POINTS, validators=[MinValueValidator(Decimal("0"), message="分值不能为负数。")]
    )
    method = models.CharField("考核方式", max_length=32, choices=Method.choices)
    params = models.JSONField("计分参数", default=dict, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "考核项"
        verbose_name_plural = "考核项"
        ordering = ["scheme_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "code"],
                name="one_item_code_per_scheme",
                violation_error_message="同一方案中考核项代码不能重复。",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.points}分）"

    @property
    def spec(self):
        return method_of(self.method)

    @property
    def is_automatic(self) -> bool:
        return self.spec is not None and self.spec.is_automatic

    @property
    def kind(self) -> str:
        return self.spec.kind if self.spec else ""

    @property
    def kind_label(self) -> str:
        from .methods import KIND_LABELS

        return KIND_LABELS.get(self.kind, "")

    def standard_text(self) -> str:
        from .methods import standard_text

        return self.standard or standard_text(self)

    def clean(self):
        from .methods import params_errors

        errors = {}
        if self.method in METHODS:
            scheme = self.scheme if "scheme" in self._state.fields_cache else None
            if scheme is None and self.scheme_id:
                scheme = self.scheme
            problems = params_errors(self.method, self.params, year=scheme.year if scheme else None)
            if problems:
                errors["params"] = problems
        if self.method == VETO and self.points not in (None, Decimal(0)):
            errors["points"] = "一票否决项不计分，分值应为0。"
        elif self.method != VETO and self.points is not None and self.points <= 0:
            errors["points"] = "分值应大于0。"
        if errors:
            raise ValidationError(errors)


class Assessment(ScopedRecord, VersionedModel):
    """考核: one unit's round of one scheme, from its self-assessment to the final grade."""

    SCOPE_FIELD = "unit_code"
    HISTORY_KEY = "assessment"

    scheme = models.ForeignKey(
        Scheme, verbose_name="考核方案", on_delete=models.PROTECT, related_name="assessments"
    )
    unit_code = models.CharField("被考核单位代码", max_length=12, db_index=True)
    unit_name = models.CharField("被考核单位", max_length=100)
    status = models.CharField(
        "考核环节",
        max_length=16,
        choices=Status.choices,
        default=Status.SELF_ASSESSMENT,
        db_index=True,
    )
    total = models.DecimalField("总得分", max_digits=7, decimal_places=2, default=ZERO)
    automatic_total = models.DecimalField(
        "自动计分小计", max_digits=7, decimal_places=2, default=ZERO
    )
    deducted = models.DecimalField("扣分合计", max_digits=7, decimal_places=2, default=ZERO)
    is_vetoed = models.BooleanField("一票否决", default=False)
    grade = models.CharField("考核等次", max_length=16, choices=Grade.choices, blank=True)
    rank = models.PositiveIntegerField("名次", null=True, blank=True)
    submitted_at = models.DateTimeField("自评提交时间", null=True, blank=True)
    scored_at = models.DateTimeField("评分时间", null=True, blank=True)
    scored_by = models.ForeignKey(
        "accounts.User",
        verbose_name="评分人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("复核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.User",
        verbose_name="复核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finalised_at = models.DateTimeField("定等时间", null=True, blank=True)
    finalised_by = models.ForeignKey(
        "accounts.User",
        verbose_name="定等人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = AssessmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "考核"
        verbose_name_plural = "考核"
        ordering = ["scheme_id", "unit_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "unit_code"],
                name="one_assessment_per_scheme_unit",
                violation_error_message="该单位在该方案中已有考核。",
            ),
        ]
        indexes = [models.Index(fields=["scheme", "status"], name="assessment_scheme_status")]

    def __str__(self):
        return f"{self.scheme} · {self.unit_name}"

    def get_absolute_url(self):
        return reverse("assessment-sheet", args=[self.pk])

    @property
    def is_final(self) -> bool:
        return self.status == Status.FINAL


class ItemScore(ScopedRecord, CleanTextModel):
    """考核得分: one item of one round — what the data gives, what the assessor gives, and why."""

    SCOPE_FIELD = "assessment__unit_code"

    assessment = models.ForeignKey(
        Assessment, verbose_name="考核", on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey(
        SchemeItem, verbose_name="考核项", on_delete=models.PROTECT, related_name="scores"
    )
    computed = models.DecimalField("自动计分", **POINTS, null=True, blank=True)
    figures = models.JSONField("计分依据数据", null=True, blank=True)
    frozen = models.BooleanField("已锁定", default=False)
    self_score = models.DecimalField("自评得分", **POINTS, null=True, blank=True)
    self_deductions = models.JSONField("自评扣分事项", default=list, blank=True)
    score = models.DecimalField(
        "评定得分",
        **POINTS,
        null=True,
        blank=True,
        help_text="自动计分项：上级调整后的得分（须说明理由），空为采用自动计分。",
    )
    reason = models.CharField("调整理由", max_length=500, blank=True)
    deductions = models.JSONField("扣分（加分）事项", default=list, blank=True)
    vetoed = models.BooleanField("触发一票否决", default=False)
    evidence = models.TextField("佐证说明", blank=True)

    objects = ItemScoreQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "考核得分"
        verbose_name_plural = "考核得分"
        ordering = ["assessment_id", "item__position", "item_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "item"],
                name="one_score_per_assessment_item",
                violation_error_message="该考核项已有得分记录。",
            ),
        ]

    def __str__(self):
        return f"{self.assessment_id} {self.item.code}"

    @property
    def is_overridden(self) -> bool:
        return self.item.is_automatic and self.score is not None

    @property
    def effective(self) -> Decimal:
        """Return the score that counts: an override, else what was computed or given."""
        kind = self.item.kind
        if kind == VETO:
            return ZERO
        if self.item.is_automatic:
            value = self.score if self.score is not None else self.computed
        else:
            value = self.score
        return score_round(value if value is not None else ZERO)


class EvidenceFile(ScopedRecord, models.Model):
    """佐证材料: a file attached to one item's score (a photo, a scanned document)."""

    SCOPE_FIELD = "score__assessment__unit_code"

    score = models.ForeignKey(
        ItemScore, verbose_name="考核得分", on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(
        "佐证材料",
        upload_to="assessment/%Y/",
        validators=[
            FileExtensionValidator(
                EVIDENCE_EXTENSIONS, "佐证材料只能是图片、PDF、Word 或 Excel 文件。"
            )
        ],
    )
    uploaded_by = models.ForeignKey(
        "accounts.User",
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["score_id", "pk"]

    def __str__(self):
        return self.file.name.rsplit("/", 1)[-1]

    def clean(self):
        if self.file and self.file.size > MAX_EVIDENCE_BYTES:
            raise ValidationError({"file": "佐证材料不能超过5MB。"})
