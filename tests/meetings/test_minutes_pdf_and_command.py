"""Printed minutes as their own PDF, and the agenda_pack command."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from meetings import minutes
from meetings.printed_minutes import build_minutes_pdf
from tests.meetings.test_agenda_pack import page_texts


def test_printed_minutes_show_attendance_and_resolutions(past_meeting, board_member):
    minutes.add_action(meeting=past_meeting, description="Report statistics in January")
    pdf = build_minutes_pdf(past_meeting, public=False)
    text = "\n".join(page_texts(pdf))
    assert board_member.get_full_name() in text and "(Chair)" in text
    assert "AGREED that the apologies be noted" in text
    assert "Report statistics in January" in text
    assert PdfReader(io.BytesIO(pdf)).metadata.title.startswith("Minutes:")


def test_agenda_pack_command_writes_the_pack(pack_meeting, tmp_path):
    out = tmp_path / "pack.pdf"
    call_command("agenda_pack", body="board", date="2017-01-26", output=str(out))
    public = tmp_path / "public.pdf"
    call_command("agenda_pack", "--public", body="board", date="2017-01-26", output=str(public))
    members_text = "".join(page_texts(out.read_bytes()))
    public_text = "".join(page_texts(public.read_bytes()))
    assert "SECRET PAPER" in members_text
    assert "SECRET PAPER" not in public_text


def test_agenda_pack_command_names_a_missing_meeting(pack_meeting, tmp_path):
    with pytest.raises(CommandError, match="No meeting of 'board' on 27 January 2017"):
        call_command("agenda_pack", body="board", date="2017-01-27", output=str(tmp_path / "x"))
