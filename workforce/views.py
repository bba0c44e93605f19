"""Entering community workers."""

from core import views as records

from .forms import WorkerForm
from .models import Worker


class WorkerCreateView(records.RecordCreateView):
    model = Worker
    form_class = WorkerForm


class WorkerUpdateView(records.RecordUpdateView):
    model = Worker
    form_class = WorkerForm


class WorkerDeleteView(records.RecordDeleteView):
    model = Worker
