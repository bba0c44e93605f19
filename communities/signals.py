"""Signals of the statistics' workflow, for apps above (the reporting cycle's messages)."""

from django.dispatch import Signal

# Sent after a step has been committed: sender=CommunityStat, stat=, user=, name=, reason=.
stat_transitioned = Signal()
