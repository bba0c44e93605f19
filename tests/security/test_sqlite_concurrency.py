"""SQLite in WAL mode with IMMEDIATE transactions: concurrent writers wait, none fails."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("_sqlite_writer.py")
ROUNDS = 200


def _writer(db: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DATABASE_URL=f"sqlite:///{db}", GANSU_TESTING="1", PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(ROUNDS)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_writing_at_once_both_succeed_without_lost_updates(tmp_path):
    db = tmp_path / "concurrent.sqlite3"
    with sqlite3.connect(db) as setup:
        setup.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
        setup.execute("INSERT INTO counter VALUES (1, 0)")

    writers = [_writer(db), _writer(db)]
    results = [w.communicate(timeout=120) for w in writers]

    for writer, (out, err) in zip(writers, results, strict=True):
        assert writer.returncode == 0, err
        assert out.strip() == "done"
    with sqlite3.connect(db) as check:
        assert check.execute("SELECT n FROM counter").fetchone() == (2 * ROUNDS,)
        assert check.execute("PRAGMA journal_mode").fetchone() == ("wal",)
