"""Continuity checks: pure functions from the resolved story to diagnostics; they never print.

run.py runs every rule family (dates.py, names.py) and applies [check] and in-source
suppressions (suppress.py); rules.py is the table of rule codes.
"""
