"""Presentation: one pure builder per table and figure, shared by the pages, the CLI and the report."""
