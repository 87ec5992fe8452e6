"""Supervisor screens: sign-in, clearing a blocked package, the flagged queue, the shift view and its
report, and user administration.

Entry points for the packer screen (import lazily, they pull in QtCharts and reportlab):
- `ui.supervisor.clearing.request_clearance(parent, station, badge=None) -> Verdict | None`
- `ui.supervisor.queue.FlaggedQueueWindow(station)`
- `ui.supervisor.shift_view.ShiftView(station)`
- `ui.supervisor.users_admin.UsersWindow(station)`
"""
