"""Valid request bodies for each resource, written from API.md alone."""

from core.validators import id_check_char, id_number_sex

from .conftest import INSIDE


def id_number(serial: int, area: str = "620102", birth: str = "19850312") -> str:
    """Return a resident ID number with a correct GB 11643 check character."""
    first17 = f"{area}{birth}{serial % 1000:03d}"
    return first17 + id_check_char(first17)


def stat(community=INSIDE, year=2015, **extra):
    body = {
        "community_code": community,
        "year": year,
        "households": 1000,
        "residents": 2800,
        "party_members": 100,
        "party_members_volunteering": 80,
        "residents_volunteering": 840,
    }
    body.update(extra)
    return body


def facility(kind="station", community=INSIDE, **extra):
    body = {
        "name": "东岗社区服务站",
        "kind": kind,
        "community_code": community if kind != "centre" else None,
        "street_code": community[:9] if kind == "centre" else None,
        "floor_area": "320.50",
        "opened_on": "2012-06-01",
        "closed_on": None,
        "construction_mode": "new_build",
        "address": "城关区东岗西路1号",
    }
    body.update(extra)
    return body


def volunteer(serial=1, community=INSIDE, **extra):
    body = {
        "community_code": community,
        "organization": None,
        "name": "张三",
        "gender": "male",
        "id_number": id_number(serial),
        "phone": "13812345678",
        "is_party_member": True,
        "registered_on": "2013-03-05",
        "left_on": None,
        "service_categories": ["elderly", "culture_sports"],
    }
    body.update(extra)
    if "gender" not in extra:  # the gender the ID number's 17th digit says (odd 男, even 女)
        body["gender"] = id_number_sex(body["id_number"]) or "male"
    return body


def volunteer_organization(community=INSIDE, **extra):
    body = {
        "community_code": community,
        "name": "东岗志愿服务队",
        "registered_on": "2012-01-01",
        "dissolved_on": None,
    }
    body.update(extra)
    return body


def social_organization(community=INSIDE, **extra):
    body = {
        "community_code": community,
        "name": "夕阳红老年协会",
        "category": "elderly",
        "registered_on": "2011-05-01",
        "dissolved_on": None,
    }
    body.update(extra)
    return body


def worker(community=INSIDE, **extra):
    body = {
        "community_code": community,
        "name": "李四",
        "gender": "female",
        "role": "director",
        "education": "bachelor",
        "social_work_qualification": "assistant",
        "hired_on": "2011-09-01",
        "left_on": None,
    }
    body.update(extra)
    return body
