"""Catalogue entries for metrics.py (being written)."""


def exercises():
    return []
