"""The review: every rule as a declared unit (code, severity, standard, examples) in its
family, the engine that runs them, selection, suppression, SARIF and `briefing rules`."""
