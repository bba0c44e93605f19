"""A certificate is valid when issued and may be revoked, with a reason; nothing else changes."""

from core.workflow import Transition, Workflow

from .models import CertificateStatus

CERTIFICATE_WORKFLOW = Workflow(
    Transition("revoke", "撤销", (CertificateStatus.VALID,), CertificateStatus.REVOKED),
)
