"""The volunteer register: written by the staff of its community and administrators."""

from core.policy import register

from .models import ServiceRecord, Volunteer, VolunteerOrganization

register(VolunteerOrganization)
register(Volunteer)
register(ServiceRecord)
