"""Filters over assessment rounds and their item scores."""

from django.db.models import Q

from core.scoping import ScopedQuerySet, prefix_q, user_scope_code

FINAL = "final"


class AssessmentQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Keep the rounds under the user's code, and every finalised one (results are published).

        Before finalisation a unit's sheet is its own and its superiors' only: a county's
        official never sees another county's sheet while it is being scored.
        """
        scope = user_scope_code(user)
        if scope is None:
            return self.none()
        return self.filter(prefix_q("unit_code", scope) | Q(status=FINAL))

    def final(self):
        return self.filter(status=FINAL)

    def of_scheme(self, scheme):
        return self.filter(scheme=scheme)


class ItemScoreQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        scope = user_scope_code(user)
        if scope is None:
            return self.none()
        return self.filter(prefix_q("assessment__unit_code", scope) | Q(assessment__status=FINAL))
