"""The two-community world of the route matrix and the hostile-write tests.

Lanzhou (6201) → 城关区 (620102) → 团结新村街道 (620102016) → community 620102016001
("inside": every role sees it) and Tianshui (6202) → 620201 → 620201001 → 620201001001
("outside": only the administrator sees it); each community with one record of every kind,
and one user per role.
"""

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditAction, AuditLog
from assessment.models import EvidenceFile, ItemScore, Scheme
from assessment.services import scheme_launch, scheme_save
from casework.models import Case, CaseCategory, HandlingUnit
from casework.services import case_register
from certificates.models import Certificate
from communities.models import Community, CommunityStat, SocialOrganization
from facilities.models import Facility, FacilityFunding
from funding.models import BudgetLine, YearlyTarget
from jobs.models import Job
from standards.models import ServiceStandard, StandardCheck
from streets.models import Division, Street
from targets.models import Plan
from teams.models import Committee, EntrustedProject, TrainingPlan
from volunteers.models import (
    ServiceRecord,
    StarThreshold,
    TransferRequest,
    Volunteer,
    VolunteerOrganization,
)
from workforce.models import Training, Worker

from .worlds import build_world, make_user

SCOPE = {
    "admin": "62",
    "prefecture": "6201",
    "street": "620102016",
    "staff": "620102016001",
    # 三员分立: the security and audit administrators (province-wide, but they see no record).
    "security": "62",
    "auditor": "62",
}
INSIDE, OUTSIDE = "620102016001", "620201001001"


@dataclass
class Objects:
    """The rows used as targets, by kind and side."""

    rows: dict[tuple[str, str], object]
    users: dict[str, object]

    def __call__(self, kind: str, side: str):
        return self.rows[(kind, side)]


def _certified_id(community: str, serial: str | None = None) -> str:
    from core.validators import id_check_char

    serial = serial or ("771" if community == INSIDE else "772")
    first17 = community[:6] + "19800101" + serial
    return first17 + id_check_char(first17)

def _case(community: str):
    """A request of the community, registered and dispatched to the community's own unit."""
    unit = HandlingUnit(code=community)
    unit.full_clean()
    unit.save()
    case = case_register(
        case=Case(
            community_id=community,
            category_id="help",
            channel="window",
            description="楼道灯不亮",
            resident_name="王小明",
            resident_phone="13812345678",
            accepted_on=datetime.date(2015, 9, 30),
        ),
        user=None,
    )
    return case


def build_objects() -> Objects:
    world = build_world({"01": {"02": {"016": 1}}, "02": {"01": {"001": 1}}})
    assert world.communities == [INSIDE, OUTSIDE]
    rows = {}
    standard, _ = ServiceStandard.objects.get_or_create(
        code="employment-01",
        defaults={"service_line": "employment", "name": "就业登记", "content": "办理就业登记。",
                  "standard": "当场办结。", "check_method": "查阅台账。"},
    )
    for side, community, street, county in (
        ("in", INSIDE, "620102016", "620102"),
        ("out", OUTSIDE, "620201001", "620201"),
    ):
        stat = CommunityStat.objects.get(community_id=community)
        submitted = CommunityStat.objects.create(
            community_id=community, year=2015, households=1000, residents=2800, party_members=100,
            party_members_volunteering=80, residents_volunteering=840, status="submitted",
        )
        station = Facility.objects.get(community_id=community)
        volunteer = Volunteer.objects.get(community_id=community)
        worker = Worker.objects.get(community_id=community)
        organization = VolunteerOrganization.objects.get(community_id=community)
        # Its own organisation runs the entrusted project, so the shared one stays deletable.
        contractor = VolunteerOrganization.objects.create(
            community_id=community, name="项目承接服务队", registered_on=datetime.date(2012, 1, 1)
        )
        rows.update({
            ("prefecture", side): Division.objects.get(code=county[:4]),
            ("county", side): Division.objects.get(code=county),
            ("street", side): Street.objects.get(code=street),
            ("community", side): volunteer.community,
            ("stat", side): stat,
            ("stat_submitted", side): submitted,
            ("social_organization", side): SocialOrganization.objects.get(community_id=community),
            ("facility", side): station,
            ("centre", side): Facility.objects.get(street_id=street),
            ("funding", side): FacilityFunding.objects.create(
                facility=station, source="provincial", year=2012, amount_wan_yuan=Decimal("12.50")
            ),
            ("volunteer_organization", side): organization,
            ("volunteer", side): volunteer,
            # A request within its own side (the matrix scopes by one code per row); withdrawn,
            # so that it holds no volunteer's one open request. Its own volunteer: the admin
            # deletes no volunteer whose (read-only) transfer requests would go with it.
            ("transfer", side): TransferRequest.objects.create(
                volunteer=Volunteer.objects.create(
                    community_id=community, name="转移志愿者", gender="female",
                    id_number=_certified_id(community, "782" if side == "in" else "784"),
                    registered_on=datetime.date(2012, 1, 1),
                ),
                from_community_id=community, to_community_id=community,
                reason="已迁入", status="withdrawn",
            ),
            ("service_record", side): ServiceRecord.objects.create(
                volunteer=volunteer, served_on=datetime.date(2013, 5, 1), hours=Decimal("2.0"),
                category="elderly", activity="探访老人",
            ),
            ("certificate", side): Certificate.objects.create(
                number=f"{community}-2015-000001", community_id=community, year=2015, serial=1,
                # Its own volunteer: a certificate keeps its volunteer from being deleted.
                volunteer=Volunteer.objects.create(
                    community_id=community, name="证明志愿者", gender="female",
                    id_number=_certified_id(community), registered_on=datetime.date(2012, 1, 1),
                    phone="1390000" + community[-4:],
                ),
                period_from=datetime.date(2013, 1, 1),
                period_to=datetime.date(2015, 12, 31), hours=Decimal("2.0"),
                issued_on=datetime.date(2016, 1, 5), check_code="ABC234",
                content={"volunteer_name": volunteer.name, "issuer": "社区", "hours": "2.0"},
            ),
            ("worker", side): worker,
            ("budget_line", side): BudgetLine.objects.create(
                region_code=county, year=2013, cost_type="running", source="fiscal",
                budgeted_wan_yuan=Decimal("100"), allocated_wan_yuan=Decimal("80"),
                spent_wan_yuan=Decimal("60"),
            ),
            ("budget_line_submitted", side): BudgetLine.objects.create(
                region_code=county, year=2014, cost_type="running", source="fiscal",
                budgeted_wan_yuan=Decimal("110"), status="submitted",
            ),
            ("yearly_target", side): YearlyTarget.objects.create(
                plan=Plan.objects.order_by("pk").first(), indicator="community_station",
                region_code=county, year=2013, rate=Decimal("0.7"),
            ),
            ("case", side): _case(community),
            ("handling_unit", side): HandlingUnit.objects.get(code=community),
            ("training", side): Training.objects.create(
                worker=worker, title="社会工作实务", started_on=datetime.date(2013, 6, 1), hours=Decimal("16"),
            ),
            ("standard_check", side): StandardCheck.objects.create(
                facility=station, standard=standard, year=2015, result="partly",
                attachment=SimpleUploadedFile("photo.png", b"\x89PNG\r\n"),
            ),
            ("committee", side): Committee.objects.create(
                community_id=community, kind="mediation", chair=worker, established_on=datetime.date(2012, 1, 1),
            ),
            ("entrusted_project", side): EntrustedProject.objects.create(
                community_id=community, organization=contractor, name="助老服务", service_line="social_security",
                starts_on=datetime.date(2015, 1, 1), funding_wan_yuan=Decimal("3.00"),
            ),
        })
    users = {role: make_user(f"matrix_{role}", role if role in ("admin", "staff", "security", "auditor") else "official", SCOPE[role], is_staff=True)
             for role in SCOPE}
    users["anonymous"] = None
    plan = Plan.objects.order_by("pk").first()
    audit = AuditLog.objects.create(action=AuditAction.EXPORT, username="matrix_admin")
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from knox.models import AuthToken

    AuthToken.objects.create(user=users["staff"])
    from reporting.models import ReportingPeriod

    shared = {
        "plan": plan,
        "service_standard": standard,
        "training_plan": TrainingPlan.objects.create(
            region_code="6201", year=2015, courses=4, hours_per_worker=Decimal("24"), share_to_train=Decimal("0.8"),
        ),
        "period": ReportingPeriod.objects.create(year=2015),
        "user": users["staff"],
        "group": Group.objects.create(name="个人信息查阅"),
        "auditlog": audit,
        "authtoken": AuthToken.objects.get(user=users["staff"]),
        "totpdevice": TOTPDevice.objects.create(user=users["staff"], name="身份验证器"),
        "accessattempt": AccessAttempt.objects.create(username="x", ip_address="10.0.0.1", failures_since_start=1),
        "accesslog": AccessLog.objects.create(username="x", ip_address="10.0.0.1"),
        "accessfailurelog": AccessFailureLog.objects.create(username="x", ip_address="10.0.0.1"),
    }
    plan.save()  # the plan comes from a data migration, which writes no history row
    standard.save()  # so does the catalogue
    # So do the star thresholds (and a transactional test before may have flushed them).
    star, _ = StarThreshold.objects.get_or_create(level=1, defaults={"name": "一星", "min_hours": 100})
    star.save()
    shared["star_threshold"] = star
    category = CaseCategory.objects.get(pk="help")
    category.save()  # likewise the request categories
    shared["case_category"] = category
    # 目标考核: a county scheme of 2015, launched for both counties of the world (rounds open).
    scheme = scheme_save(
        scheme=Scheme(year=2015, level="county", name="目标考核", base_score=Decimal("100"),
                      excellent_quota=Decimal("0.2")),
        items=[{"code": "records", "name": "工作台账", "points": "100", "method": "manual", "params": {}}],
        user=None,
    )
    scheme_launch(scheme=scheme, user=None)
    shared["assessment_scheme"] = scheme
    for side, county in (("in", "620102"), ("out", "620201")):
        assessment = scheme.assessments.get(unit_code=county)
        rows[("assessment", side)] = assessment
        rows[("evidence", side)] = EvidenceFile.objects.create(
            score=ItemScore.objects.get(assessment=assessment),
            file=SimpleUploadedFile("evidence.png", b"\x89PNG\r\n"),
        )
    # 后台任务: an import job started by staff of each side's community.
    for side, community in (("in", INSIDE), ("out", OUTSIDE)):
        starter = make_user(f"matrix_job_{side}", "staff", community)
        rows[("job", side)] = Job.objects.create(
            kind="import", started_by=starter, scope_code=community, resource="volunteers",
            file_name="志愿者.xlsx", dedup_key=f"matrix:{side}", state="failed",
            result={"error_count": 1, "errors": []}, error_workbook=b"PK",
            output=b"PK", output_name="报表.xlsx",
        )
    for kind, row in shared.items():
        rows[(kind, "in")] = rows[(kind, "out")] = row
    return Objects(rows=rows, users=users)


# Which code each kind of row hangs under (the scoping rule: a code prefix).
def code_of(kind: str, row) -> str | None:
    if kind in {"prefecture", "county", "street", "community"}:
        return row.code
    if kind in {"facility", "centre"}:
        return row.code
    if kind == "funding":
        return row.facility.code
    if kind in {"budget_line", "budget_line_submitted", "yearly_target"}:
        return row.region_code
    if kind == "service_record":
        return row.volunteer.community_id
    if kind == "transfer":
        return row.to_community_id
    if kind == "handling_unit":
        return row.code
    if kind == "training":
        return row.worker.community_id
    if kind == "standard_check":
        return row.facility.code
    if kind == "assessment":
        return row.unit_code
    if kind == "job":
        return row.scope_code
    if kind == "evidence":
        return row.score.assessment.unit_code
    if kind == "assessment_scheme":
        return None  # plan data, read province-wide
    if kind == "entrusted_project":
        return row.code
    if kind in {"service_standard", "training_plan"}:
        return None  # plan data, read province-wide
    if hasattr(row, "community_id"):
        return row.community_id
    return None  # province-wide rows: plans, users, audit log, tokens, lockouts


DATA_MODELS = [
    Division, Street, Community, CommunityStat, SocialOrganization, Facility, FacilityFunding,
    VolunteerOrganization, Volunteer, ServiceRecord, Worker, Training, BudgetLine, YearlyTarget,
    ServiceStandard, StandardCheck, Committee, TrainingPlan, EntrustedProject,
    Certificate, StarThreshold,
]


def fingerprint() -> str:
    """Hash every row of every data model and the size of every history table."""
    digest = hashlib.sha256()
    for model in DATA_MODELS:
        rows = list(model.objects.order_by("pk").values_list())
        digest.update(repr(rows).encode())
        digest.update(str(model.history.count()).encode())
    return digest.hexdigest()
