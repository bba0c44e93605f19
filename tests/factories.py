"""Small factories for tests: a hierarchy slice, users and records.

Records are written straight through the ORM; like a bulk path, each factory then recomputes
the figures of the community it wrote (``core.figures``), so the engine sees the record.
"""

import datetime
from decimal import Decimal

from accounts.models import User
from communities.models import Community, CommunityStat
from core.figures import figures_touched
from facilities.models import Facility
from streets.models import Division, Street

PASSWORD = "Test-password-2015"


def make_user(username: str, *, role: str = "staff", scope_code: str = "62", **extra) -> User:
    user = User(username=username, role=role, scope_code=scope_code, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


def make_hierarchy(
    *,
    prefecture: str = "6201",
    county: str = "620102",
    street: str = "620102016",
    communities: int = 1,
    kind: str = "subdistrict",
) -> list[Community]:
    """Create province → prefecture → county → street → communities (codes as given)."""
    province, _ = Division.objects.get_or_create(
        code="62", defaults={"name": "甘肃省", "level": "province"}
    )
    pref, _ = Division.objects.get_or_create(
        code=prefecture,
        defaults={"name": f"市{prefecture}", "level": "prefecture", "parent": province},
    )
    cty, _ = Division.objects.get_or_create(
        code=county, defaults={"name": f"县{county}", "level": "county", "parent": pref}
    )
    st, _ = Street.objects.get_or_create(
        code=street, defaults={"name": f"街道{street}", "kind": kind, "county": cty}
    )
    result = []
    for i in range(1, communities + 1):
        c, _ = Community.objects.get_or_create(
            code=f"{street}{i:03d}", defaults={"name": f"社区{street}{i:03d}", "street": st}
        )
        result.append(c)
    return result


def make_stat(community: Community, year: int = 2015, **fields) -> CommunityStat:
    values = {
        "households": 1000,
        "residents": 2800,
        "party_members": 100,
        "party_members_volunteering": 80,
        "residents_volunteering": 840,
    }
    values.update(fields)
    stat = CommunityStat.objects.create(community=community, year=year, **values)
    figures_touched(stat)
    return stat


def make_facility(
    *, kind: str = "station", community=None, street=None, area="300", opened=2010, **extra
):
    opened_on = datetime.date(opened, 1, 1) if isinstance(opened, int) else opened
    facility = Facility.objects.create(
        name=extra.pop("name", f"{kind}-{area}"),
        kind=kind,
        community=community,
        street=street,
        floor_area=Decimal(area),
        opened_on=opened_on,
        **extra,
    )
    figures_touched(facility)
    return facility


def make_token(user) -> str:
    """Issue an API token for ``user`` (django-rest-knox, as the token endpoint does)."""
    from core.api.tokens import token_issue

    return token_issue(user)
