"""Replace scalars in a YAML file in place, keeping every other byte as it was.

Each changed value is written over the exact span of its scalar, in the scalar's
own style (plain, quoted, folded `>`, literal `|`), wrapped like the original;
comments, key order and every untouched line stay byte-identical. The result is
parsed again: a value that does not read back exactly is written double-quoted.
"""

from __future__ import annotations

import json
import textwrap

import yaml

from briefing.load.yamlpos import DataPath

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
WIDTH = 88


class PatchError(ValueError):
    """A path does not lead to a scalar in the file."""


def _node(root: yaml.Node, path: DataPath) -> yaml.ScalarNode:
    node = root
    for step in path:
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            node = next((v for k, v in node.value if k.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and \
                step < len(node.value):
            node = node.value[step]
        else:
            node = None
        if node is None:
            raise PatchError(f"no value at {'.'.join(map(str, path))}")
    if not isinstance(node, yaml.ScalarNode):
        raise PatchError(f"the value at {'.'.join(map(str, path))} is not text")
    return node


def _value_at(data: object, path: DataPath) -> object:
    for step in path:
        data = data[step]  # type: ignore[index]
    return data


def patch_text(text: str, changes: dict[DataPath, str]) -> str:
    """`text` with the scalar at each path replaced by its new value."""
    root = yaml.compose(text, Loader=_LOADER)
    spans = []
    for path, value in changes.items():
        node = _node(root, path)
        spans.append((node.start_mark.index, node.end_mark.index, node, path, value))
    out = text
    for start, end, node, _, value in sorted(spans, key=lambda s: s[0], reverse=True):
        original = text[start:end]
        column = node.start_mark.column
        out = out[:start] + render_scalar(value, node.style, original, column) + out[end:]
    data = yaml.load(out, Loader=_LOADER)
    wrong = [path for path, value in changes.items() if _value_at(data, path) != value]
    if not wrong:
        return out
    # A style could not hold a value: write those double-quoted on one line.
    for start, end, _, path, value in sorted(spans, key=lambda s: s[0], reverse=True):
        if path in wrong:
            text = text[:start] + _double(value) + _trailing(text[start:end]) + text[end:]
    return patch_text(text, {p: v for p, v in changes.items() if p not in wrong}) \
        if len(wrong) < len(changes) else text


def _trailing(original: str) -> str:
    """The line break (and blank lines) a block scalar's span ends with."""
    stripped = original.rstrip("\n ")
    return original[len(stripped):] if original.startswith(("|", ">")) else ""


def _double(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def render_scalar(value: str, style: str | None, original: str, column: int) -> str:
    """`value` written in the style of `original` (a scalar starting at `column`)."""
    if style in ("|", ">"):
        return _block(value, original)
    multiline = "\n" in original.strip()
    if style == "'":
        body = "'" + value.replace("'", "''") + "'"
        return _fold(body, original, column) if multiline else body
    if style == '"':
        body = _double(value)
        return _fold(body, original, column) if multiline else body
    if not value or value != value.strip() or _needs_quotes(value):
        return _double(value)
    return _fold(value, original, column) if multiline else value


def _needs_quotes(value: str) -> bool:
    try:
        return yaml.load(f"k: {value}", Loader=_LOADER) != {"k": value}
    except yaml.YAMLError:
        return True


def _fold(body: str, original: str, column: int) -> str:
    """A flow scalar wrapped over lines indented like the original's continuation."""
    lines = original.split("\n")
    indent = len(lines[1]) - len(lines[1].lstrip()) if len(lines) > 1 else column + 2
    width = max(max(len(line) for line in lines), 40)
    wrapped = textwrap.wrap(body, width=max(width - indent, 20), break_long_words=False,
                            break_on_hyphens=False, initial_indent=" " * column)
    if not wrapped:
        return body
    first = wrapped[0][column:]
    rest = [" " * indent + line.lstrip(" ") for line in wrapped[1:]]
    return "\n".join([first, *rest])


def _block(value: str, original: str) -> str:
    """A folded or literal block scalar with the original's header and indentation."""
    header, _, body = original.partition("\n")
    content = [line for line in body.split("\n") if line.strip()]
    indent = len(content[0]) - len(content[0].lstrip()) if content else 2
    width = max([len(line) for line in content] + [WIDTH])
    pad = " " * indent
    if header.startswith(">"):
        lines = textwrap.wrap(value, width=width - indent, break_long_words=False,
                              break_on_hyphens=False) or [""]
    else:
        lines = value.split("\n")
    return header + "\n" + "\n".join(pad + line for line in lines) + _trailing(original)


def append_item(text: str, key: str, item: dict) -> str:
    """`text` with `item` added as the last entry of the block sequence under the
    top-level `key` (a new `key:` at the end if there is none); every byte of `text`
    is kept, the new lines are only inserted. The result is parsed again and must
    read as the old data plus the item."""
    newline = "\r\n" if "\r\n" in text else "\n"
    root = yaml.compose(text, Loader=_LOADER)
    if root is not None and not isinstance(root, yaml.MappingNode):
        raise PatchError("the file does not hold a mapping of fields")
    node = next((v for k, v in root.value if k.value == key), None) if root else None
    if node is None:
        at = len(text)
        body = _dumped(item).splitlines()
        lines = [f"{key}:", "  - " + body[0], *("    " + line for line in body[1:])]
        lead = "" if not text or text.endswith("\n") else newline
        out = text + lead + newline.join(lines) + newline
    else:
        if not isinstance(node, yaml.SequenceNode) or node.flow_style or not node.value:
            raise PatchError(f"'{key}' is not a block list ('- …' entries), so an entry "
                             "cannot be added to it in place")
        first = node.value[0]
        dash, column = node.start_mark.column, first.start_mark.column
        last = _last_scalar(node)
        # after the last line of the last value (a block scalar's span takes in the
        # blank lines after it)
        at = _line_end(text, max(len(text[:last.end_mark.index].rstrip()),
                                 last.start_mark.index))
        body = _dumped(item).splitlines()
        lines = [" " * dash + "-" + " " * (column - dash - 1) + body[0],
                 *(" " * column + line if line else "" for line in body[1:])]
        lead = "" if at == 0 or text[at - 1] == "\n" else newline
        out = text[:at] + lead + newline.join(lines) + newline + text[at:]
    before = yaml.load(text, Loader=_LOADER) or {}
    after = yaml.load(out, Loader=_LOADER)
    if after != {**before, key: [*before.get(key, []), item]}:
        raise PatchError(f"the entry would not read back as written under '{key}'")
    return out


def _last_scalar(node: yaml.Node) -> yaml.Node:
    """The last scalar written inside `node` (a collection's end mark lies past the
    comments and blank lines that follow it)."""
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node


def _line_end(text: str, index: int) -> int:
    """Where the line holding `index` ends (after its line break), or `index` itself
    when it already stands at the start of a line."""
    if index == 0 or text[index - 1] == "\n":
        return index
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


class _Indented(yaml.SafeDumper):
    """Lists indented under their key, as the briefs are written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data: object) -> bool:
        return True  # a value written twice is written out twice, never as &id001


def dump_yaml(data: object) -> str:
    """`data` as block YAML in the briefs' style: keys in the given order, lists
    indented under their key, any script kept as it is."""
    return yaml.dump(data, Dumper=_Indented, sort_keys=False, allow_unicode=True,
                     width=WIDTH, default_flow_style=False)


def _dumped(item: dict) -> str:
    return dump_yaml(item)
