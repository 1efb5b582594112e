"""The PDF drawn by ReportLab from the document tree."""
