"""Pages of the community teams: the overview per scope (两委 complete, training, entrusted
projects), one community's teams, the training plans, and the entry forms."""

from django.shortcuts import get_object_or_404, render
from django.views import View

from communities.models import Community
from communities.scopes import scope_param
from core import views as records
from core.policy import ADD, CHANGE, DELETE, policy_for
from standards.views import page_year, scope_crumbs
from volunteers.models import VolunteerOrganization
from workforce.models import Worker, WorkerRole

from .forms import CommitteeForm, EntrustedProjectForm, TrainingPlanForm
from .measures import project_summary, team_facts, teams_summary, training_summary
from .models import Committee, EntrustedProject, TrainingPlan
from .rules import RULE_LABELS, RULES


def overview(request):
    """社区队伍: the share of communities complete, those missing a post, training and projects."""
    scope = scope_param(request.user, request.GET.get("scope"))
    year, years = page_year(request)
    teams = teams_summary(scope.code, year, name=scope.name)
    for gap in teams.missing_posts:
        gap["labels"] = [RULE_LABELS[code] for code in gap["missing"]]
    projects = EntrustedProject.objects.under(scope.code).running_in(year)
    context = {
        "scope": scope,
        "year": year,
        "years": years,
        "crumbs": scope_crumbs(request.user, scope.code),
        "teams": teams,
        "training": training_summary(scope.code, year, name=scope.name),
        "projects": project_summary(scope.code, year),
        "street_projects": list(
            projects.filter(street__isnull=False).select_related("organization")[:100]
        )
        if len(scope.code) == 9
        else [],
        "can_add_street_project": len(scope.code) == 9
        and policy_for(EntrustedProject).can(request.user, ADD, scope.code),
        "rules": RULES,
    }
    return render(request, "teams/overview.html", context)


def training(request):
    """The training plan of a scope (its own or the nearest above) against the workers' records."""
    scope = scope_param(request.user, request.GET.get("scope"))
    year, years = page_year(request)
    summary = training_summary(scope.code, year, name=scope.name)
    policy = policy_for(TrainingPlan)
    plans = list(TrainingPlan.objects.filter(year=year).order_by("region_code"))
    context = {
        "scope": scope,
        "year": year,
        "years": years,
        "crumbs": scope_crumbs(request.user, scope.code),
        "summary": summary,
        "plans": plans,
        "can_write": policy.can(request.user, ADD),
    }
    return render(request, "teams/training.html", context)


WORKER_ROLE_ORDER = {value: rank for rank, value in enumerate(WorkerRole.values)}


def community_teams(request, code):
    """One community's 两委, sub-committees, group leaders and entrusted projects for a year."""
    user = request.user
    community = get_object_or_404(
        Community.objects.visible_to(user).select_related("street"), code=code
    )
    year, years = page_year(request)
    facts = team_facts(community.code, year)[0]
    checks = [{"label": rule.label, "met": rule.met(facts), "code": rule.code} for rule in RULES]
    workers = sorted(
        (w for w in Worker.objects.filter(community=community) if w.is_active_at(year)),
        key=lambda w: (WORKER_ROLE_ORDER.get(w.role, 99), w.name),
    )
    committees = list(
        Committee.objects.filter(community=community).select_related("chair").order_by("kind")
    )
    committee_policy = policy_for(Committee)
    for committee in committees:
        committee.in_existence = committee.is_active_at(year)
        committee.can_edit = committee_policy.can(user, CHANGE, committee)
        committee.can_delete = committee_policy.can(user, DELETE, committee)
    project_policy = policy_for(EntrustedProject)
    projects = list(
        EntrustedProject.objects.filter(community=community)
        .select_related("organization")
        .order_by("-starts_on", "name")
    )
    for project in projects:
        project.runs = project.runs_in(year)
        project.can_edit = project_policy.can(user, CHANGE, project)
    context = {
        "community": community,
        "street": community.street,
        "year": year,
        "years": years,
        "facts": facts,
        "checks": checks,
        "complete": all(c["met"] for c in checks),
        "workers": workers,
        "committees": committees,
        "projects": projects,
        "organizations": VolunteerOrganization.objects.filter(community=community).count(),
        "can_add_committee": committee_policy.can(user, ADD, community.code),
        "can_add_project": project_policy.can(user, ADD, community.code),
        "can_edit_community": policy_for(Community).can(user, CHANGE, community),
    }
    template = "teams/_community_teams.html" if request.headers.get("HX-Request") else None
    return render(request, template or "teams/community.html", context)


# -- entry ------------------------------------------------------------------------------------


class CommitteeCreateView(records.RecordCreateView):
    model = Committee
    form_class = CommitteeForm


class CommitteeUpdateView(records.RecordUpdateView):
    model = Committee
    form_class = CommitteeForm


class CommitteeDeleteView(records.RecordDeleteView):
    model = Committee


class ProjectCreateView(records.RecordCreateView):
    model = EntrustedProject
    form_class = EntrustedProjectForm


class StreetProjectCreateView(records.StreetRecordCreateView):
    model = EntrustedProject
    form_class = EntrustedProjectForm


class ProjectUpdateView(records.RecordUpdateView):
    model = EntrustedProject
    form_class = EntrustedProjectForm


class ProjectDeleteView(records.RecordDeleteView):
    model = EntrustedProject


class TrainingPlanCreateView(records.ExplainForbiddenMixin, records.RecordFormMixin, View):
    """A training plan is plan data: administrators add one for a region and year."""

    model = TrainingPlan
    form_class = TrainingPlanForm

    def get(self, request):
        self.policy.require(request.user, ADD)
        initial = {"region_code": request.GET.get("scope", ""), "year": request.GET.get("year", "")}
        return self.render_form(request, self.form_class(initial=initial))

    def post(self, request):
        self.policy.require(request.user, ADD)
        return self.handle_post(request, self.form_class(request.POST))


class TrainingPlanUpdateView(records.RecordUpdateView):
    model = TrainingPlan
    form_class = TrainingPlanForm


class TrainingPlanDeleteView(records.RecordDeleteView):
    model = TrainingPlan
