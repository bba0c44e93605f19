"""Entering a community's facilities and a street's service centre."""

from core import views as records

from .forms import FacilityForm
from .models import Facility


class FacilityCreateView(records.RecordCreateView):
    model = Facility
    form_class = FacilityForm
    section = "facilities"


class CentreCreateView(records.StreetRecordCreateView):
    model = Facility
    form_class = FacilityForm
    section = "centres"


class FacilityUpdateView(records.RecordUpdateView):
    model = Facility
    form_class = FacilityForm
    section = "facilities"


class FacilityDeleteView(records.RecordDeleteView):
    model = Facility
    section = "facilities"
