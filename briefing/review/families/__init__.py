"""One module per rule family: its rules and the check that yields their findings."""
