"""Custom components of the NLU pipeline (referenced from config.yml)."""
