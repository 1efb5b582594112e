"""Renderers: one module per output format, each a dispatch over node types."""
