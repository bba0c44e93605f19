"""The hierarchy above and at street level: province, prefectures, counties and streets."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.models import CleanTextModel, ScopedRecord
from core.scoping import CODE_LENGTHS

from .querysets import DivisionQuerySet, StreetQuerySet


class DivisionLevel(models.TextChoices):
    PROVINCE = "province", "省"
    PREFECTURE = "prefecture", "市州"
    COUNTY = "county", "县区"


PARENT_LEVEL = {
    DivisionLevel.PREFECTURE: DivisionLevel.PROVINCE,
    DivisionLevel.COUNTY: DivisionLevel.PREFECTURE,
}


def check_code(code: str, length: int, parent_code: str | None, what: str) -> None:
    """Reject a code of the wrong length or that does not start with its parent's code."""
    errors = {}
    if not code or not code.isdigit() or len(code) != length:
        errors["code"] = f"{what}代码应为{length}位数字。"
    elif parent_code and not code.startswith(parent_code):
        errors["code"] = f"{what}代码必须以上级区划代码 {parent_code} 开头。"
    if errors:
        raise ValidationError(errors)


class Division(ScopedRecord, CleanTextModel):
    """行政区划: the province, a prefecture (市/自治州) or a county (县/区/县级市)."""

    SCOPE_FIELD = "code"

    code = models.CharField("区划代码", max_length=6, primary_key=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("级别", max_length=16, choices=DivisionLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        db_column="parent_code",
    )

    objects = DivisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self):
        return self.name

    def clean(self):
        length = CODE_LENGTHS.get(self.level)
        if length is None:
            raise ValidationError({"level": "级别无效。"})
        if self.level == DivisionLevel.PROVINCE:
            if self.parent_id:
                raise ValidationError({"parent": "省级区划没有上级。"})
        else:
            try:
                parent = self.parent if self.parent_id else None
            except Division.DoesNotExist:
                return  # clean_fields() has already reported the unknown parent
            if parent is None:
                raise ValidationError({"parent": "请指定上级区划。"})
            if parent.level != PARENT_LEVEL[self.level]:
                raise ValidationError({"parent": f"{self.get_level_display()}的上级应为{PARENT_LEVEL[self.level].label}。"})
        check_code(self.code, length, self.parent_id, self.get_level_display())


class StreetKind(models.TextChoices):
    SUBDISTRICT = "subdistrict", "街道办事处"
    TOWN = "town", "镇"
    TOWNSHIP = "township", "乡"
    OTHER = "other", "其他（开发区等）"


class Street(ScopedRecord, CleanTextModel):
    """街道（乡镇）: a 街道办事处, town, township or development zone under a county."""

    SCOPE_FIELD = "code"

    code = models.CharField("街道代码", max_length=9, primary_key=True)
    name = models.CharField("名称", max_length=64)
    kind = models.CharField("类型", max_length=16, choices=StreetKind.choices, db_index=True)
    county = models.ForeignKey(
        Division,
        verbose_name="所属县区",
        on_delete=models.PROTECT,
        related_name="streets",
        db_column="county_code",
        limit_choices_to={"level": DivisionLevel.COUNTY},
    )

    objects = StreetQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "街道（乡镇）"
        verbose_name_plural = "街道（乡镇）"
        ordering = ["code"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("street-communities", args=[self.code])

    @property
    def is_subdistrict(self) -> bool:
        return self.kind == StreetKind.SUBDISTRICT

    def clean(self):
        if self.county_id:
            try:
                county = self.county
            except Division.DoesNotExist:
                return  # clean_fields() has already reported the unknown county
            if county.level != DivisionLevel.COUNTY:
                raise ValidationError({"county": "街道的上级必须是县区。"})
        check_code(self.code, CODE_LENGTHS["street"], self.county_id, "街道")
