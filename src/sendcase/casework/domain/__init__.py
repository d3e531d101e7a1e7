"""Casework rules: the action functions that change statutory state, one module per part of the
law (assessment, plan, reviews, phase_and_cease, transfers, appeals, children, contacts), all
built on the one action shape in kernel.py."""
