"""Small hierarchies filled with one record of every kind, for the scoping tests."""

import datetime
from dataclasses import dataclass, field

from accounts.models import User
from communities.models import Community, CommunityStat, SocialOrganization
from core.figures import figures_refresh
from core.validators import id_check_char, id_number_sex
from facilities.models import Facility
from streets.models import Division, Street
from tests.factories import PASSWORD
from volunteers.models import Volunteer, VolunteerOrganization
from workforce.models import Worker

# Every model that carries SCOPE_FIELD, i.e. every model a list or export starts from.
SCOPED_MODELS = [
    Division,
    Street,
    Community,
    CommunityStat,
    SocialOrganization,
    Facility,
    VolunteerOrganization,
    Volunteer,
    Worker,
]


def make_id_number(serial: int, region: str = "620102") -> str:
    """Return a valid GB 11643 ID number, distinct for each ``serial``."""
    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=serial // 900)
    first17 = f"{region}{birth:%Y%m%d}{100 + serial % 900:03d}"
    return first17 + id_check_char(first17)


def make_person(serial: int, region: str = "620102") -> dict[str, str]:
    """Return an ID number and the gender its 17th digit says (odd 男, even 女)."""
    number = make_id_number(serial, region)
    return {"gender": id_number_sex(number), "id_number": number}


def phone_for(serial: int) -> str:
    return f"139{serial:08d}"


@dataclass
class World:
    """What was built: codes by level and the rows of each scoped model."""

    prefectures: list[str] = field(default_factory=list)
    counties: list[str] = field(default_factory=list)
    streets: list[str] = field(default_factory=list)
    communities: list[str] = field(default_factory=list)
    volunteers: list[Volunteer] = field(default_factory=list)

    def codes(self) -> list[str]:
        return ["62", *self.prefectures, *self.counties, *self.streets, *self.communities]


_serial = iter(range(10**9))


def build_world(tree: dict[str, dict[str, dict[str, int]]], records_per_community: int = 1) -> World:
    """Create province → prefectures → counties → streets → communities and their records.

    ``tree`` maps a 2-digit prefecture suffix to county suffixes to street suffixes to the
    number of communities under that street.
    """
    world = World()
    province, _ = Division.objects.get_or_create(code="62", defaults={"name": "甘肃省", "level": "province"})
    for p, counties in tree.items():
        pref = Division.objects.create(code=f"62{p}", name=f"市{p}", level="prefecture", parent=province)
        world.prefectures.append(pref.code)
        for c, streets in counties.items():
            county = Division.objects.create(code=f"{pref.code}{c}", name=f"县{c}", level="county", parent=pref)
            world.counties.append(county.code)
            for s, n_communities in streets.items():
                street = Street.objects.create(code=f"{county.code}{s}", name=f"街道{s}", kind="subdistrict", county=county)
                world.streets.append(street.code)
                Facility.objects.create(
                    name="街道社区服务中心", kind="centre", street=street, floor_area=900,
                    opened_on=datetime.date(2012, 1, 1),
                )
                for i in range(1, n_communities + 1):
                    community = Community.objects.create(code=f"{street.code}{i:03d}", name=f"社区{i}", street=street)
                    world.communities.append(community.code)
                    fill_community(community, world, records_per_community)
    return world


def fill_community(community: Community, world: World, count: int = 1) -> None:
    """Give ``community`` ``count`` rows of each kind of record."""
    for n in range(count):
        serial = next(_serial)
        CommunityStat.objects.create(
            community=community, year=2011 + n, households=1000, residents=2800, party_members=100,
            party_members_volunteering=80, residents_volunteering=840,
        )
        SocialOrganization.objects.create(community=community, name=f"组织{n}", registered_on=datetime.date(2011, 1, 1))
        Facility.objects.create(
            name=f"服务站{n}", kind="station", community=community, floor_area=320,
            opened_on=datetime.date(2011, 1, 1),
        )
        org = VolunteerOrganization.objects.create(
            community=community, name=f"志愿队{n}", registered_on=datetime.date(2011, 1, 1)
        )
        world.volunteers.append(
            Volunteer.objects.create(
                community=community, organization=org, name=f"志愿者{serial}",
                **make_person(serial), phone=phone_for(serial),
                registered_on=datetime.date(2012, 3, 1),
            )
        )
        Worker.objects.create(
            community=community, name=f"工作者{n}", gender="male", role="director",
            education="bachelor", hired_on=datetime.date(2010, 5, 1),
        )
    figures_refresh({community.code})  # written around the write path, like a bulk path


def make_user(username: str, role: str, scope_code: str, **extra) -> User:
    user = User(username=username, role=role, scope_code=scope_code, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


def scope_of_row(model, row) -> str:
    return getattr(row, model.SCOPE_FIELD)
