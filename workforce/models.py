"""Community workers (社区工作者) and their training."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from communities.models import Community
from core.models import CleanTextModel, Lifespan, ScopedRecord, VersionedModel
from volunteers.models import Gender

from .querysets import TrainingQuerySet, WorkerQuerySet


class WorkerRole(models.TextChoices):
    SECRETARY = "secretary", "党组织书记"
    DIRECTOR = "director", "居委会主任"
    DEPUTY_DIRECTOR = "deputy_director", "副主任"
    MEMBER = "member", "委员"
    FULL_TIME = "full_time", "专职社区工作者"
    GROUP_LEADER = "group_leader", "居民小组长"
    BUILDING_LEADER = "building_leader", "楼院门栋长"


class Education(models.TextChoices):
    """Ordered lowest to highest (INDICATORS.md, education order)."""

    JUNIOR_OR_BELOW = "junior_or_below", "初中及以下"
    HIGH_SCHOOL = "high_school", "高中"
    SECONDARY = "secondary", "中专"
    COLLEGE = "college", "大专"
    BACHELOR = "bachelor", "本科"
    POSTGRADUATE = "postgraduate", "研究生"


class Qualification(models.TextChoices):
    NONE = "none", "无"
    ASSISTANT = "assistant", "助理社会工作师"
    INTERMEDIATE = "intermediate", "社会工作师"
    SENIOR = "senior", "高级社会工作师"


class Recruitment(models.TextChoices):
    ELECTION = "election", "选举"
    HIRING = "hiring", "招聘"
    EXAM = "exam", "招考"


class Worker(ScopedRecord, Lifespan, VersionedModel):
    """社区工作者: a member of a residents' committee's staff."""

    SCOPE_FIELD = "community_id"
    HISTORY_KEY = "worker"  # /history/worker/<pk>/
    LIFESPAN = ("hired_on", "left_on")

    community = models.ForeignKey(
        Community,
        verbose_name="社区",
        on_delete=models.PROTECT,
        related_name="workers",
        db_column="community_code",
    )
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=8, choices=Gender.choices)
    role = models.CharField("职务", max_length=32, choices=WorkerRole.choices, db_index=True)
    education = models.CharField("学历", max_length=32, choices=Education.choices)
    social_work_qualification = models.CharField(
        "社会工作者职业资格", max_length=16, choices=Qualification.choices, default=Qualification.NONE
    )
    recruitment = models.CharField(
        "产生方式", max_length=16, choices=Recruitment.choices, default=Recruitment.HIRING
    )
    hired_on = models.DateField("任职日期")
    left_on = models.DateField("离职日期", null=True, blank=True)

    objects = WorkerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "社区工作者"
        verbose_name_plural = "社区工作者"
        ordering = ["community_id", "role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"],
                name="worker_unique_name",
                violation_error_message="该社区已有同名的社区工作者。",
            ),
        ]
        indexes = [models.Index(fields=["community", "hired_on"], name="worker_community_hired")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{self.community.get_absolute_url()}#workers"


class Training(ScopedRecord, CleanTextModel):
    """培训记录: one training a worker attended."""

    SCOPE_FIELD = "worker__community_id"

    worker = models.ForeignKey(
        Worker, verbose_name="社区工作者", on_delete=models.CASCADE, related_name="trainings"
    )
    title = models.CharField("培训名称", max_length=200)
    started_on = models.DateField("开始日期")
    hours = models.DecimalField(
        "学时",
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"), message="学时至少为0.5。")],
    )
    organizer = models.CharField("主办单位", max_length=100, blank=True)

    objects = TrainingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "培训记录"
        verbose_name_plural = "培训记录"
        ordering = ["-started_on"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.worker.get_absolute_url()
