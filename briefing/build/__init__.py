"""Bytes to files: validate, compose, render, and write the outputs atomically, only
when what they depend on changed; helper processes and batches of briefs."""
