"""Phrases the end-to-end tests share."""

# A message the model is unsure about (between several topics), so the bot asks
# back with topic buttons.  Chosen against the trained model; if retraining
# changes that, test_rest's clarification test says so.
AMBIGUOUS = "fechas y sectores"
