"""Presentation: display tables and plain-language summaries built from the engine's frames."""
