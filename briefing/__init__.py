"""briefing: validated policy briefs from YAML to PDF and DOCX."""

__version__ = "0.1.0"
