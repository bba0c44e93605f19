"""Entering a community's facilities and a street's service centre."""

from django.db import transaction

from communities import records
from gansu_community.services import record_save

from .forms import FacilityForm
from .models import Facility


class FundingLinesMixin:
    """Save the facility and its funding lines together."""

    def save(self, form, user):
        with transaction.atomic():
            facility = record_save(
                instance=form.instance, user=user, expected_version=form.expected_version
            )
            if form.funding_posted:
                form.formset.instance = facility
                form.formset.save()
        return facility


class FacilityCreateView(FundingLinesMixin, records.RecordCreateView):
    model = Facility
    form_class = FacilityForm
    section = "facilities"


class CentreCreateView(FundingLinesMixin, records.StreetRecordCreateView):
    model = Facility
    form_class = FacilityForm
    section = "centres"


class FacilityUpdateView(FundingLinesMixin, records.RecordUpdateView):
    model = Facility
    form_class = FacilityForm
    section = "facilities"


class FacilityDeleteView(records.RecordDeleteView):
    model = Facility
    section = "facilities"
