"""Demo teams: residents' groups per community, sub-committees with chairs, training plans for
the province and one prefecture, and projects entrusted to a share of volunteer organisations."""

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from communities.models import Community
from volunteers.models import VolunteerOrganization
from workforce.models import Worker

from .models import Committee, CommitteeKind, EntrustedProject, TrainingPlan

PROJECT_NAMES = {
    "social_security": "居家养老助餐服务",
    "culture_education_sports": "四点半课堂",
    "public_security": "平安楼院巡防",
    "health_family_planning": "健康讲座进楼院",
    "social_assistance": "困难家庭结对帮扶",
    "employment": "就业技能培训",
}


def build_teams(*, seed: int, year: int) -> dict[str, int]:
    """Write the demo teams' rows (bulk; about a second per thousand communities)."""
    workers = defaultdict(lambda: defaultdict(list))
    for pk, code, role in (
        Worker.objects.filter(left_on__isnull=True)
        .order_by("pk")
        .values_list("pk", "community_id", "role")
    ):
        workers[code][role].append(pk)
    communities = list(Community.objects.order_by("code").values_list("code", flat=True))
    groups, committees = [], []
    for code in communities:
        rng = random.Random(f"{seed}/teams/{code}")
        leaders = len(workers[code]["group_leader"])
        # Most communities have a leader for every group; some have a group still without one.
        groups.append(Community(code=code, resident_groups=leaders + (rng.random() < 0.12)))
        kinds = [k for k in CommitteeKind.values if k != "other"]
        present = [k for k in kinds[:3] if rng.random() < 0.93] + [
            k for k in kinds[3:] if rng.random() < 0.5
        ]
        pool = workers[code]["member"] + workers[code]["deputy_director"]
        for kind in present:
            committees.append(
                Committee(
                    community_id=code,
                    kind=kind,
                    chair_id=rng.choice(pool) if pool else None,
                    established_on=datetime.date(
                        rng.randint(2008, year - 2), rng.randint(1, 12), 1
                    ),
                )
            )
    Community.objects.bulk_update(groups, ["resident_groups"], batch_size=1000)
    Committee.objects.bulk_create(committees, batch_size=2000)
    plans = [
        TrainingPlan(
            region_code="62",
            year=y,
            courses=40,
            hours_per_worker=Decimal(h),
            share_to_train=Decimal(s),
        )
        for y, h, s in ((year - 1, "12", "0.6000"), (year, "16", "0.7000"))
    ]
    plans.append(
        TrainingPlan(
            region_code="6201",
            year=year,
            courses=12,
            hours_per_worker=Decimal("20"),
            share_to_train=Decimal("0.8000"),
        )
    )
    TrainingPlan.objects.bulk_create(plans, ignore_conflicts=True)
    projects = []
    lines = list(PROJECT_NAMES)
    for pk, code in (
        VolunteerOrganization.objects.filter(dissolved_on__isnull=True)
        .order_by("pk")
        .values_list("pk", "community_id")
    ):
        rng = random.Random(f"{seed}/projects/{pk}")
        if rng.random() >= 0.45:
            continue
        line = rng.choice(lines)
        target = rng.randint(30, 300)
        projects.append(
            EntrustedProject(
                community_id=code,
                code=code,
                organization_id=pk,
                name=PROJECT_NAMES[line],
                service_line=line,
                starts_on=datetime.date(year - rng.randint(0, 1), rng.randint(1, 6), 1),
                ends_on=datetime.date(year, 12, 31) if rng.random() < 0.6 else None,
                funding_wan_yuan=Decimal(rng.randint(5, 200)) / 10,
                target_beneficiaries=target,
                achieved_beneficiaries=int(target * rng.uniform(0.6, 1.1)),
                rating=rng.choice(["excellent", "good", "good", "pass", ""]),
            )
        )
    EntrustedProject.objects.bulk_create(projects, batch_size=2000)
    return {
        "下属委员会": len(committees),
        "培训计划": len(plans),
        "委托服务项目": len(projects),
    }
