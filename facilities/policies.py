"""Facilities and their funding lines: written by the staff of their owner and administrators."""

from core.policy import register

from .models import Facility, FacilityFunding

register(Facility)
register(FacilityFunding)
