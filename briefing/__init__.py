"""briefing: validated policy briefs from YAML to PDF and DOCX."""

from briefing.core.deferred_regex import defer_third_party

__version__ = "0.1.0"

defer_third_party()  # before PyYAML or ReportLab is imported (see deferred_regex)
