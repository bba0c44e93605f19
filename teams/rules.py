"""What makes a community's teams complete (plan 三(四): 选齐配强两委，健全下属委员会).

Each rule is one entry: its code (the API's ``missing`` list names it), its label on the pages
and in the workbook, and its test over a community's facts for the year (``TeamFacts``). A
community is complete when it meets every rule. Adding a rule is one entry here and, if it
needs a new fact, one annotation in ``teams.measures.team_facts``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .models import CommitteeKind

# 《城市居民委员会组织法》第八条: the committee has a director, deputies and members, 5 to 9 in all.
MIN_COMMITTEE_MEMBERS = 5
# 第十三条: the committees a residents' committee sets up (人民调解、治安保卫、公共卫生).
REQUIRED_COMMITTEES = (CommitteeKind.MEDIATION, CommitteeKind.SECURITY, CommitteeKind.PUBLIC_HEALTH)


@dataclass
class TeamFacts:
    """What the rules look at for one community on 31 December of the year."""

    code: str
    name: str = ""
    secretary: int = 0  # 党组织书记 in office
    director: int = 0  # 居委会主任 in office
    committee_members: int = 0  # 主任、副主任、委员 in office
    group_leaders: int = 0
    resident_groups: int = 0
    committees: frozenset = frozenset()  # kinds of sub-committees in existence


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    met: Callable[[TeamFacts], bool]


RULES: tuple[Rule, ...] = (
    Rule("secretary", "党组织书记", lambda f: f.secretary >= 1),
    Rule("director", "居委会主任", lambda f: f.director >= 1),
    Rule(
        "members",
        f"居委会成员不少于{MIN_COMMITTEE_MEMBERS}人",
        lambda f: f.committee_members >= MIN_COMMITTEE_MEMBERS,
    ),
    *(
        Rule(kind.value, kind.label, lambda f, kind=kind: kind.value in f.committees)
        for kind in REQUIRED_COMMITTEES
    ),
    Rule("group_leaders", "居民小组长配齐", lambda f: f.group_leaders >= f.resident_groups),
)
RULE_LABELS = {rule.code: rule.label for rule in RULES}


def missing(facts: TeamFacts) -> list[str]:
    """The codes of the rules ``facts`` does not meet, in the rules' order."""
    return [rule.code for rule in RULES if not rule.met(facts)]


def is_complete(facts: TeamFacts) -> bool:
    return not missing(facts)
