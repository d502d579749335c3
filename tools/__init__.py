"""Maintenance tools run from the Makefile (bench, report, checks)."""
