"""Files to models: YAML with the position of every node, the loader and its messages,
layouts, archived sources and released edition snapshots."""

#: The suffixes of a brief's YAML files.
YAML_SUFFIXES = (".yaml", ".yml")
