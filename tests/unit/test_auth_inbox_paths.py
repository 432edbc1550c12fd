"""A file dropped into an inbox cannot make the pipelines read or move anything outside that inbox folder."""
from __future__ import annotations

import os

import pytest

from pipelines.sources.inbox.client import ready_files

SETTLED = 10**10  # 'now' far after every file's mtime: all files have settled


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox" / "requests"
    folder.mkdir(parents=True)
    (tmp_path / "secret.csv").write_text("工单编号\nSECRET\n", encoding="utf-8")
    return folder


def names(paths) -> list[str]:
    return [p.name for p in paths]


def test_only_plain_complete_files_directly_in_the_folder_are_taken(inbox):
    for name in ("12345工单_20260316_090000.csv", ".hidden.csv", "~$lock.csv", "half.csv.tmp", "half.csv.part"):
        (inbox / name).write_text("x", encoding="utf-8")
    (inbox / "done").mkdir()
    (inbox / "done" / "old.csv").write_text("x", encoding="utf-8")
    taken = ready_files(inbox, "*", settle_s=2, now_s=SETTLED)
    assert names(taken) == ["12345工单_20260316_090000.csv"]
    assert all(p.parent == inbox for p in taken)


@pytest.mark.parametrize("name", [
    "..csv", "...csv", "a..b.csv", "'; drop table fct_request; --.csv", "工单 (1).csv", "x" * 200 + ".csv",
], ids=["dots", "three-dots", "inner-dots", "sql", "spaces", "long"])
def test_odd_file_names_stay_inside_the_folder(inbox, name):
    (inbox / name).write_text("x", encoding="utf-8")
    for path in ready_files(inbox, "*", settle_s=2, now_s=SETTLED):
        assert path.resolve().parent == inbox.resolve()


def test_a_symlink_pointing_outside_the_inbox_is_not_read(inbox, tmp_path):
    os.symlink(tmp_path / "secret.csv", inbox / "12345工单_20260316_100000.csv")
    taken = ready_files(inbox, "*", settle_s=2, now_s=SETTLED)
    assert all(p.resolve().is_relative_to(inbox.resolve()) for p in taken), names(taken)


def test_a_pattern_cannot_climb_out_of_the_folder(inbox):
    taken = ready_files(inbox, "../*.csv", settle_s=2, now_s=SETTLED)
    assert all(p.resolve().is_relative_to(inbox.resolve()) for p in taken), names(taken)
