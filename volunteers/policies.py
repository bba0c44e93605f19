"""The volunteer register: written by the staff of its community and administrators."""

from core.policy import RecordPolicy, register
from core.scoping import code_is_under, user_scope_code

from .models import ServiceRecord, Volunteer, VolunteerOrganization


class VolunteerPolicy(RecordPolicy):
    """DESIGN.md's rule; an ID number registered outside the user's scope is a counted hit."""

    def on_invalid(self, user, instance, error) -> None:
        from .services import duplicate_id_hit

        codes = [e.code for e in getattr(error, "error_dict", {}).get("id_number", [])]
        if "unique" not in codes:
            return
        other = (
            Volunteer.objects.filter(id_number=instance.id_number)
            .exclude(pk=instance.pk)
            .values_list("community_id", flat=True)
            .first()
        )
        if other is not None and not code_is_under(other, user_scope_code(user)):
            duplicate_id_hit(user=user, channel="record")


register(VolunteerOrganization)
register(Volunteer, VolunteerPolicy)
register(ServiceRecord)
