"""Transitional: the names meetings/demo.py still calls as `services.…`.

The meetings app's writes live in modules by topic (scheduling.py, agenda.py, papers.py,
generated_papers.py, attendance.py, minutes.py, forward_programme.py, publishing.py,
lifecycle.py); no other app writes to meetings, so the app has no write façade. The demo
loader is being changed elsewhere at the same time: once it calls the topic modules
itself, delete this module.
"""

from meetings.agenda import add_item
from meetings.attendance import record_attendance
from meetings.generated_papers import attach_generated_paper as attach_block
from meetings.minutes import add_action, confirm_minutes, record_minute
from meetings.papers import attach_report, attach_upload
from meetings.scheduling import set_status

__all__ = [
    "add_action",
    "add_item",
    "attach_block",
    "attach_report",
    "attach_upload",
    "confirm_minutes",
    "record_attendance",
    "record_minute",
    "set_status",
]
