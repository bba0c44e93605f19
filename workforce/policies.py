"""Community workers and their training: written by the community's staff and administrators."""

from core.policy import register

from .models import Training, Worker

register(Worker)
register(Training)
