"""Entering a community's facilities and a street's service centre."""

from core import views as records

from .forms import FacilityForm
from .models import Facility


class FacilityCreateView(records.RecordCreateView):
    model = Facility
    form_class = FacilityForm


class CentreCreateView(records.StreetRecordCreateView):
    model = Facility
    form_class = FacilityForm


class FacilityUpdateView(records.RecordUpdateView):
    model = Facility
    form_class = FacilityForm


class FacilityDeleteView(records.RecordDeleteView):
    model = Facility
