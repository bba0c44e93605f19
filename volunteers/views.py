"""Entering volunteer organisations and registered volunteers."""

from core import views as records

from .forms import VolunteerForm, VolunteerOrganizationForm
from .models import Volunteer, VolunteerOrganization


class VolunteerOrganizationCreateView(records.RecordCreateView):
    model = VolunteerOrganization
    form_class = VolunteerOrganizationForm
    section = "volunteer-organizations"


class VolunteerOrganizationUpdateView(records.RecordUpdateView):
    model = VolunteerOrganization
    form_class = VolunteerOrganizationForm
    section = "volunteer-organizations"


class VolunteerOrganizationDeleteView(records.RecordDeleteView):
    model = VolunteerOrganization
    section = "volunteer-organizations"


class VolunteerCreateView(records.RecordCreateView):
    model = Volunteer
    form_class = VolunteerForm
    section = "volunteers"


class VolunteerUpdateView(records.RecordUpdateView):
    model = Volunteer
    form_class = VolunteerForm
    section = "volunteers"


class VolunteerDeleteView(records.RecordDeleteView):
    model = Volunteer
    section = "volunteers"
