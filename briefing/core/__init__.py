"""Plumbing with no knowledge of briefs: findings and their places, limits, safe paths
and XML, the disk cache, text fit for a terminal, small process helpers."""
