"""The tagged PDF (PDF/UA-1) drawn by Typst from the document tree."""
