"""The hook by which the one write path keeps the per-community figures current.

``core`` imports no domain app, so the app that owns the figures (``targets``) hands its
keeper in at start-up with ``figures_keeper_set``. The write path tells it which rows a write
touched (``figures_touched``, ``figures_saved`` for a save over a stored row), inside the
write's own transaction; the keeper recomputes the figures of the communities and streets
those rows hang under. A bulk path wraps its work in ``figures_deferred()`` so that its
communities are recomputed once, at the end.
"""

from collections.abc import Iterable
from contextlib import contextmanager
from threading import local
from typing import Protocol

from django.db import transaction


class FiguresKeeper(Protocol):
    def codes_of(self, instances: Iterable) -> set[str]:
        """Return the community and street codes whose figures these rows feed."""

    def codes_changed(self, stored, instance) -> set[str]:
        """Return the codes a save from ``stored`` (None: a new row) to ``instance`` can change."""

    def codes_stored(self, model, pks: list) -> set[str]:
        """Return the codes that the stored rows ``pks`` of ``model`` feed (before an update)."""

    def recompute(self, codes: set[str] | None) -> None:
        """Recompute the figures of ``codes`` (every community and street when None)."""


_keeper: FiguresKeeper | None = None
_state = local()


def figures_keeper_set(keeper: FiguresKeeper | None) -> None:
    """Name the object that keeps the figures (``targets`` does at start-up)."""
    global _keeper
    _keeper = keeper


class _Batch:
    def __init__(self):
        self.codes: set[str] | None = set()


def _pending() -> list:
    if not hasattr(_state, "pending"):
        _state.pending = []
    return _state.pending


def figures_refresh(codes: set[str] | None) -> None:
    """Recompute ``codes`` now, or at the end of the enclosing ``figures_deferred`` block."""
    if _keeper is None or codes == set():
        return
    pending = _pending()
    if pending:
        batch = pending[-1]
        batch.codes = None if codes is None or batch.codes is None else batch.codes | codes
        return
    _keeper.recompute(codes)


def figures_touched(*instances, also: set[str] = frozenset()) -> None:
    """Recompute the figures that ``instances`` (rows just written or deleted) feed.

    ``also`` adds codes read before the write (where an updated row hung before).
    """
    if _keeper is None:
        return
    figures_refresh(_keeper.codes_of(i for i in instances if i is not None) | set(also))


def figures_saved(stored, instance) -> None:
    """Recompute what saving ``instance`` over ``stored`` (None: a new row) can have changed:
    nothing when no field that feeds the figures changed."""
    if _keeper is None:
        return
    figures_refresh(_keeper.codes_changed(stored, instance))


def figures_codes_stored(model, pks: list) -> set[str]:
    """Return the codes the stored rows feed, read before a bulk update moves them."""
    if _keeper is None or not pks:
        return set()
    return _keeper.codes_stored(model, pks)


@contextmanager
def figures_deferred():
    """Collect what the writes inside touch and recompute it once, when the block ends.

    The block runs in one transaction, so the figures are current when it commits.
    """
    pending = _pending()
    batch = _Batch()
    pending.append(batch)
    try:
        with transaction.atomic():
            yield
            pending.pop()
            figures_refresh(batch.codes)
    finally:
        if pending and pending[-1] is batch:
            pending.pop()
