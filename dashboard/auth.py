"""Who is looking: the viewer, their role and the set of units they may see.

Contract used by every page (the implementation behind it may grow, the shape stays):
    viewer = require_viewer()      # stops the page with a login form when nobody is signed in
    viewer.scope                   # tuple of unit codes whose subtrees the viewer may see
    viewer.role                    # admin | leader | supervisor | staff | display
    viewer.person_id               # for staff: only their own items
    viewer.mask_names, viewer.can_export, viewer.can_decide
"""
from __future__ import annotations

from dataclasses import dataclass

ROLES = ("admin", "leader", "supervisor", "staff", "display")


@dataclass(frozen=True)
class Viewer:
    username: str
    display_name: str
    role: str
    scope: tuple[str, ...]
    person_id: str | None = None
    mask_names: bool = False

    @property
    def can_export(self) -> bool:
        return self.role in ("admin", "supervisor")

    @property
    def can_decide(self) -> bool:
        return self.role in ("admin", "supervisor")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"
