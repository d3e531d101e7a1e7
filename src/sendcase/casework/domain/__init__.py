"""Casework rules: the action functions that change statutory state (see actions.py)."""
