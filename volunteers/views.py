"""Entering volunteer organisations and registered volunteers."""

from core import views as records

from .forms import VolunteerForm, VolunteerOrganizationForm
from .models import Volunteer, VolunteerOrganization


class VolunteerOrganizationCreateView(records.RecordCreateView):
    model = VolunteerOrganization
    form_class = VolunteerOrganizationForm


class VolunteerOrganizationUpdateView(records.RecordUpdateView):
    model = VolunteerOrganization
    form_class = VolunteerOrganizationForm


class VolunteerOrganizationDeleteView(records.RecordDeleteView):
    model = VolunteerOrganization


class VolunteerCreateView(records.RecordCreateView):
    model = Volunteer
    form_class = VolunteerForm


class VolunteerUpdateView(records.RecordUpdateView):
    model = Volunteer
    form_class = VolunteerForm


class VolunteerDeleteView(records.RecordDeleteView):
    model = Volunteer
