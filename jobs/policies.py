"""Who sees a job: users whose scope holds the scope of its starter (DESIGN.md's prefix rule).

Jobs change only through ``jobs.services`` (the worker's own steps); nobody edits one.
"""

from core.policy import RecordPolicy, register

from .models import Job


class JobPolicy(RecordPolicy):
    """A job shows inside its starter's scope; no user adds, changes or deletes one by hand."""

    write_roles = frozenset()
    messages = {**RecordPolicy.messages, "view": "该任务不存在或无权查看。"}


register(Job, JobPolicy)
