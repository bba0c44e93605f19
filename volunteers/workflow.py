"""The service record's workflow: recorded → confirmed, or disputed by the volunteer and settled.

A record counts only once ``confirmed``. A volunteer who finds a record wrong asks for it to be
corrected (``dispute``, with the reason); the organisation corrects it and confirms it, or
refuses it with a reason (the record then does not count).
"""

from core.workflow import Transition, Workflow

from .models import RecordStatus, TransferStatus

RECORD_WORKFLOW = Workflow(
    Transition(
        "confirm", "确认", (RecordStatus.RECORDED, RecordStatus.DISPUTED), RecordStatus.CONFIRMED
    ),
    Transition(
        "dispute",
        "申请更正",
        (RecordStatus.RECORDED, RecordStatus.CONFIRMED, RecordStatus.REFUSED),
        RecordStatus.DISPUTED,
    ),
    Transition(
        "refuse", "不予确认", (RecordStatus.RECORDED, RecordStatus.DISPUTED), RecordStatus.REFUSED
    ),
)

# Staff may still edit a record's facts until it is confirmed, and while a correction is asked.
EDITABLE = (RecordStatus.RECORDED, RecordStatus.DISPUTED)


# 志愿者转移: the receiving community asks; the official above both (or the sending street)
# approves or refuses; the asking community may withdraw while the request waits.
TRANSFER_WORKFLOW = Workflow(
    Transition("approve", "同意转移", (TransferStatus.REQUESTED,), TransferStatus.APPROVED),
    Transition("refuse", "不同意转移", (TransferStatus.REQUESTED,), TransferStatus.REFUSED),
    Transition("withdraw", "撤回申请", (TransferStatus.REQUESTED,), TransferStatus.WITHDRAWN),
)
TRANSFER_DECISIONS = ("approve", "refuse")
