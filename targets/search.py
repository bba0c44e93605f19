"""站内搜索: one box in the header, for everything a user may see.

Communities, streets and counties by name or code (with their parents, so that two
东关街道 are told apart); volunteers by their exact name, the last four characters of the ID
number or the whole number (all indexed: no scan of a million rows); facilities and
organisations by name. Every kind is filtered to the user's scope first, and ranked: an exact
name, then a name that starts with the words, then one that contains them.
"""

import re
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, Value, When
from django.shortcuts import render
from django.urls import reverse

from communities.models import Community, SocialOrganization
from core.personal import may_see_personal_data
from core.scoping import LEVEL_LABELS
from core.validators import mask_id_number
from facilities.models import Facility, FacilityKind
from streets.models import Division, Street, StreetKind
from volunteers.models import Volunteer, VolunteerOrganization

PER_KIND = 20
MAX_QUERY = 40
ID_TAIL = re.compile(r"^\d{3}[\dX]$")
ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
# The region codes above a code: prefecture, county, street.
PARENT_LENGTHS = (4, 6, 9)


@dataclass
class Hit:
    kind: str
    name: str
    detail: str
    url: str


def ranked(queryset, q: str):
    """Order rows by how well their name matches: exact, prefix, anywhere; then by name."""
    return queryset.annotate(
        rank=Case(
            When(name=q, then=Value(0)),
            When(name__startswith=q, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("rank", "name")


def region_filter(q: str) -> Q:
    """A code finds the regions it starts; words find the names that hold them."""
    return Q(code__startswith=q) if q.isdigit() else Q(name__contains=q)


def volunteer_filter(q: str, *, name_prefix: bool = False) -> Q | None:
    """Find volunteers by the whole ID number, its last four characters or the name.

    Each is an indexed column (``id_number`` unique, ``id_tail`` and ``name`` indexed). The
    header search matches a name exactly; a community's register (``name_prefix``) also
    finds the names that start with the words (王 → 王芳), among that community's rows only.
    Digits that are neither a tail nor a whole number find nothing (None).
    """
    if ID_NUMBER.match(q):
        return Q(id_number=q)
    if ID_TAIL.match(q):
        return Q(id_tail=q)
    if not q.isdigit():
        return Q(name__startswith=q) if name_prefix else Q(name=q)
    return None


class Names:
    """The names of the regions and communities the hits hang under (three queries)."""

    def __init__(self, codes: set[str]):
        above = {c[:n] for c in codes for n in PARENT_LENGTHS if len(c) > n}
        self.names = dict(
            Division.objects.filter(code__in={c for c in above if len(c) < 9}).values_list(
                "code", "name"
            )
        )
        self.names.update(
            Street.objects.filter(code__in={c for c in above if len(c) == 9}).values_list(
                "code", "name"
            )
        )
        self.names.update(
            Community.objects.filter(code__in={c for c in codes if len(c) == 12}).values_list(
                "code", "name"
            )
        )

    def parents(self, code: str) -> str:
        return " · ".join(
            self.names[code[:n]] for n in PARENT_LENGTHS if len(code) > n and code[:n] in self.names
        )

    def place(self, code: str) -> str:
        """Where a record is: its regions and, for a community's record, the community."""
        return " · ".join(filter(None, [self.parents(code), self.names.get(code, "")]))


def search(user, raw: str) -> dict[str, list[Hit]]:
    """Return the hits per kind (at most PER_KIND each) that ``user`` may see."""
    q = raw.strip().upper()[:MAX_QUERY]
    if not q:
        return {}
    words = not q.isdigit()
    divisions = list(
        ranked(
            Division.objects.visible_to(user).exclude(level="province").filter(region_filter(q)), q
        ).values_list("code", "name", "level")[:PER_KIND]
    )
    streets = list(
        ranked(Street.objects.visible_to(user).filter(region_filter(q)), q).values_list(
            "code", "name", "kind"
        )[:PER_KIND]
    )
    communities = list(
        ranked(Community.objects.visible_to(user).filter(region_filter(q)), q).values_list(
            "code", "name"
        )[:PER_KIND]
    )
    who = volunteer_filter(q)
    volunteers = (
        list(
            Volunteer.objects.visible_to(user)
            .filter(who)
            .order_by("community_id", "id")
            .values_list("name", "id_number", "community_id", "left_on")[:PER_KIND]
        )
        if who is not None
        else []
    )
    facilities, organisations, socials = [], [], []
    if words:
        facilities = list(
            ranked(Facility.objects.visible_to(user).filter(name__contains=q), q).values_list(
                "name", "kind", "code"
            )[:PER_KIND]
        )
        organisations = list(
            ranked(
                VolunteerOrganization.objects.visible_to(user).filter(name__contains=q), q
            ).values_list("name", "community_id")[:PER_KIND]
        )
        socials = list(
            ranked(
                SocialOrganization.objects.visible_to(user).filter(name__contains=q), q
            ).values_list("name", "community_id")[:PER_KIND]
        )
    codes = {row[0] for row in divisions + streets + communities}
    codes |= {row[2] for row in volunteers} | {row[2] for row in facilities}
    codes |= {row[1] for row in organisations + socials}
    names = Names(codes) if codes else Names(set())

    def dashboard(code):
        return reverse("dashboard", args=[code])

    def community(code):
        return reverse("community-detail", args=[code])

    full = may_see_personal_data(user)
    kinds = {
        "区划": [
            Hit(
                LEVEL_LABELS[level],
                name,
                f"{code} · {names.parents(code) or '甘肃省'}",
                dashboard(code),
            )
            for code, name, level in divisions
        ]
        + [
            Hit(
                "街道" if kind == StreetKind.SUBDISTRICT else "乡镇",
                name,
                f"{code} · {names.parents(code)}",
                dashboard(code),
            )
            for code, name, kind in streets
        ],
        "社区": [
            Hit("社区", name, f"{code} · {names.parents(code)}", community(code))
            for code, name in communities
        ],
        "志愿者": [
            Hit(
                "志愿者（已退出）" if left_on else "志愿者",
                name,
                f"身份证 {id_number if full else mask_id_number(id_number)} · {names.place(code)}",
                community(code) + "#volunteers",
            )
            for name, id_number, code, left_on in volunteers
        ],
        "设施": [
            Hit(
                FacilityKind(kind).label,
                name,
                names.place(code),
                community(code) if len(code) == 12 else reverse("street-communities", args=[code]),
            )
            for name, kind, code in facilities
        ],
        "组织": [
            Hit("志愿者组织", name, names.place(code), community(code))
            for name, code in organisations
        ]
        + [Hit("社区社会组织", name, names.place(code), community(code)) for name, code in socials],
    }
    return {kind: hits for kind, hits in kinds.items() if hits}


def search_page(request):
    """``/search/?q=…``: the results of the header's search box, grouped by kind."""
    q = request.GET.get("q", "").strip()[:MAX_QUERY]
    results = search(request.user, q)
    context = {
        "q": q,
        "results": results,
        "count": sum(len(hits) for hits in results.values()),
        "per_kind": PER_KIND,
    }
    return render(request, "targets/search.html", context)
