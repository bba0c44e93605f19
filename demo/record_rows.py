"""Service records 2012–2015 for a share of the volunteers, and certificates for some of them.

Most volunteers with records served a few hours; some put in hundreds; a few reach five stars
(1,500 confirmed hours). Most records are confirmed; a few wait for confirmation, are disputed
or were refused. Some volunteers who served with an organisation got a certificate in January
2016 for their confirmed hours of 2012–2015.
"""

import datetime
import json
import random

from certificates.services import CHECK_ALPHABET, certificate_number
from core.validators import mask_id_number
from volunteers.models import ServiceCategory

from . import names

CATEGORY_LABELS = {c.value: c.label for c in ServiceCategory}
RECORD_FIRST = datetime.date(2012, 1, 1).toordinal()
RECORD_LAST = datetime.date(2015, 12, 31).toordinal()
ISSUED_ON = datetime.date(2016, 1, 15)
# Share of volunteers with service records, and their tiers: (share, records, hours per record).
RECORD_SHARE = 0.03
TIERS = (
    (0.80, (1, 4), (2, 12)),  # a few hours (half-hours 1–6)
    (0.17, (8, 30), (4, 16)),  # tens of hours
    (0.028, (40, 120), (8, 16)),  # hundreds
    (0.002, (220, 280), (13, 16)),  # five stars
)
TIER_CUM = []
_total = 0.0
for _share, _records, _halves in TIERS:
    _total += _share
    TIER_CUM.append(_total)
STATUSES = (("confirmed", 0.92), ("recorded", 0.05), ("disputed", 0.015), ("refused", 0.015))
BENEFICIARIES = {
    "social_assistance": "困难群众",
    "disability": "残疾人",
    "veterans": "优抚对象",
    "employment": "求职人员",
    "elderly": "老人",
    "culture_sports": "社区居民",
    "education": "学生",
    "environment": "社区居民",
    "safety": "社区居民",
    "health": "社区居民",
}
PLACES = ("社区服务站", "社区日间照料中心", "社区文化活动室", "小区广场", "社区居委会")
RATINGS = ("excellent", "good", "good", "pass", "")
RECORD_FIELDS = (
    "version created_at updated_at volunteer organization activity served_on place people_served"
    " beneficiaries content hours category leader rating status status_reason"
).split()
CERTIFICATE_SHARE = {2: 0.3, 3: 0.6}  # by tier index: hundreds of hours, five stars
CERTIFICATE_REGULAR_SHARE = 0.05


class RecordRows:
    """The service-record half of ``DemoBuilder``."""

    def service_history(self, rng, place, volunteer: dict) -> None:
        """Write one volunteer's records and, for some, a certificate of the confirmed hours."""
        start = max(volunteer["registered"], RECORD_FIRST)
        end = min(volunteer["left"] or RECORD_LAST, RECORD_LAST)
        if end < start:
            return
        roll = rng.random()
        tier = next(i for i, cum in enumerate(TIER_CUM) if roll < cum or i == len(TIER_CUM) - 1)
        span = end - start + 1
        if tier >= 2 and span < 700:
            tier = 1  # hundreds of hours take years of service
        _, (lo, hi), (h_lo, h_hi) = TIERS[tier]
        count = min(rng.randint(lo, hi), span)
        picked = volunteer["categories"]
        organization = volunteer["organization"]
        iso, now, add = self.iso, self.now, self.w_record.add
        confirmed_hours, confirmed_count, by_category = 0, 0, {}
        rr = rng.random
        leader = rng.choice(names.SURNAME_WORDS) + "队长"
        for _ in range(count):
            category = picked[int(rr() * len(picked))]
            halves = h_lo + int(rr() * (h_hi - h_lo + 1))
            roll = rr()
            status = "confirmed"
            for name, share in STATUSES:
                if roll < share:
                    status = name
                    break
                roll -= share
            if tier == 3:
                status = "confirmed"  # the five-star volunteers' records are all confirmed
            reason = {"disputed": "时长记录有误，申请更正", "refused": "当天未参加该活动"}.get(
                status, ""
            )
            if status == "confirmed":
                confirmed_hours += halves
                confirmed_count += 1
                by_category[category] = by_category.get(category, 0) + halves
            add(
                (
                    1,
                    now,
                    now,
                    volunteer["id"],
                    organization,
                    names.ACTIVITIES[category][int(rr() * len(names.ACTIVITIES[category]))],
                    iso(start + int(rr() * span)),
                    PLACES[int(rr() * len(PLACES))],
                    int(rr() * 40),
                    BENEFICIARIES[category],
                    "",
                    f"{halves / 2:.1f}",
                    category,
                    leader,
                    RATINGS[int(rr() * len(RATINGS))],
                    status,
                    reason,
                )
            )
        share = CERTIFICATE_SHARE.get(tier, CERTIFICATE_REGULAR_SHARE if tier == 1 else 0)
        if organization is not None and confirmed_hours and rr() < share:
            summary = {"count": confirmed_count, "by_category": by_category}
            self.certificate(rng, place, volunteer, confirmed_hours / 2, start, end, summary)

    def certificate(
        self, rng, place, volunteer: dict, hours: float, start: int, end: int, summary: dict
    ) -> None:
        """Write a certificate of ``hours`` confirmed with the volunteer's organisation."""
        serial = self.certificate_serials.get(place.code, 0) + 1
        self.certificate_serials[place.code] = serial
        number = certificate_number(place.code, ISSUED_ON.year, serial)
        issuer = self.org_names.get(volunteer["organization"], place.name)
        content = {
            "volunteer_name": volunteer["name"],
            "gender": "男" if volunteer["male"] else "女",
            "id_number_masked": mask_id_number(volunteer["id_number"]),
            "registered_on": self.iso(volunteer["registered"]),
            "community": place.name,
            "issuer": issuer,
            "issuer_registration": "",
            "head": "",
            "handler": "系统",
            "contact": "",
            "period_from": self.iso(start),
            "period_to": self.iso(end),
            "hours": f"{hours:.1f}",
            "record_count": summary["count"],
            "by_category": [
                {"category": code, "label": CATEGORY_LABELS[code], "hours": f"{halves / 2:.1f}"}
                for code, halves in sorted(summary["by_category"].items(), key=lambda kv: -kv[1])
            ],
            "main_activities": [],
            "issued_on": ISSUED_ON.isoformat(),
        }
        self.w_certificate.add(
            (
                self.w_certificate.new_id(),
                1,
                self.now,
                self.now,
                number,
                place.code,
                ISSUED_ON.year,
                serial,
                volunteer["id"],
                volunteer["organization"],
                self.iso(start),
                self.iso(end),
                f"{hours:.1f}",
                ISSUED_ON.isoformat(),
                "".join(rng.choice(CHECK_ALPHABET) for _ in range(6)),
                json.dumps(content, ensure_ascii=False),
                "valid",
                "",
            )
        )


def new_record_rng(seed, code: str) -> random.Random:
    """The records' own random stream, so the register stays as it was drawn."""
    return random.Random(f"{seed}/records/{code}")
