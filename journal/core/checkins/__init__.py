"""Check-ins: the questionnaires (scoring, bands, safety items), trends and crisis lines."""
