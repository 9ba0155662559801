"""Helpers the tests share: builders, waits, browser steps, schema checks (no tests here).

Test modules import from here or get fixtures from conftest.py files, never from each other.
"""
