"""Who may change the council's letter wording: the administrator and the head of service."""

from __future__ import annotations

import rules

from sendcase.casework.rules import is_administrator, is_head_of_service

rules.add_perm("documents.change_letter_wording", is_administrator | is_head_of_service)
