"""`briefing lsp` end to end: pytest-lsp's client talks LSP over pipes to
`python -m briefing lsp`, editing the NK brief's files in memory (nothing is saved)."""

from __future__ import annotations

import asyncio
import itertools
import re
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from briefing.build.validate import validate
from briefing.load.brief import load_brief

ROOT = Path(__file__).resolve().parents[1]
NK = ROOT / "content" / "nk-russia"
JUDGMENTS, SOURCES = NK / "judgments.yaml", NK / "sources.yaml"
HANG = 120  # seconds: only a broken server takes this long; no result depends on it
_versions = itertools.count(1)  # document versions, unique across the module

pytestmark = pytest.mark.asyncio(loop_scope="module")


class Published:
    """Every publishDiagnostics the client receives, and waiting for one."""

    def __init__(self) -> None:
        self.seen: list[types.PublishDiagnosticsParams] = []
        self.waiting: list[tuple[object, asyncio.Future]] = []

    def receive(self, params: types.PublishDiagnosticsParams) -> None:
        self.seen.append(params)
        for wanted, future in self.waiting:
            if not future.done() and wanted(params):
                future.set_result(params)

    async def next(self, wanted) -> types.PublishDiagnosticsParams:
        """The first notification (already received, or still to come) `wanted` accepts."""
        for params in self.seen:
            if wanted(params):
                return params
        future = asyncio.get_running_loop().create_future()
        self.waiting.append((wanted, future))
        return await asyncio.wait_for(future, HANG)

    async def of(self, uri: str, version: int) -> list[types.Diagnostic]:
        """The diagnostics published for `uri` at its document `version`."""
        params = await self.next(lambda p: p.uri == uri and p.version == version)
        return list(params.diagnostics)


published = Published()


def _publish_diagnostics(client: LanguageClient, params: types.PublishDiagnosticsParams):
    published.receive(params)


def _client() -> LanguageClient:
    client = LanguageClient()
    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES,
                                   types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _publish_diagnostics})
    return client


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(
    server_command=[sys.executable, "-m", "briefing", "lsp", "--stdio"],
    client_factory=_client))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), root_uri=ROOT.as_uri(),
        initialization_options={"debounce": 0.05}))
    yield
    await lsp_client.shutdown_session()


class Editor:
    """One open file: its text as the editor holds it, edits sent as changes."""

    def __init__(self, client: LanguageClient, path: Path, text: str | None = None):
        self.client, self.path, self.uri = client, path, path.as_uri()
        self.text = path.read_text("utf-8") if text is None else text
        self.version = next(_versions)
        client.text_document_did_open(types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=self.uri, language_id="yaml", version=self.version,
                                   text=self.text)))

    def position(self, needle: str, offset: int = 0) -> types.Position:
        """Where the one occurrence of `needle` (plus `offset` characters) stands."""
        assert self.text.count(needle) == 1, needle
        index = self.text.index(needle) + offset
        line = self.text.count("\n", 0, index)
        return types.Position(line=line, character=index - (self.text.rfind("\n", 0, index) + 1))

    def replace(self, old: str, new: str) -> None:
        """Change the one occurrence of `old` to `new` as an incremental edit."""
        start, end = self.position(old), self.position(old, len(old))
        self.apply([types.TextEdit(range=types.Range(start=start, end=end), new_text=new)])

    def apply(self, edits: list[types.TextEdit]) -> None:
        for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character),
                           reverse=True):
            start = _offset(self.text, edit.range.start)
            end = _offset(self.text, edit.range.end)
            self.text = self.text[:start] + edit.new_text + self.text[end:]
        self.version = next(_versions)
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=self.uri, version=self.version),
            [types.TextDocumentContentChangePartial(range=edit.range, text=edit.new_text)
             for edit in sorted(edits, key=lambda e: (e.range.start.line,
                                                      e.range.start.character),
                                reverse=True)]))

    async def diagnostics(self) -> list[types.Diagnostic]:
        return await published.of(self.uri, self.version)

    def close(self) -> None:
        self.client.text_document_did_close(types.DidCloseTextDocumentParams(
            types.TextDocumentIdentifier(uri=self.uri)))


def _offset(text: str, position: types.Position) -> int:
    """The index of an LSP position in `text` (NK has no character outside the BMP)."""
    lines = text.split("\n")
    return sum(len(line) + 1 for line in lines[:position.line]) + position.character


def at(editor: Editor, needle: str, offset: int = 0) -> types.TextDocumentPositionParams:
    return dict(text_document=types.TextDocumentIdentifier(uri=editor.uri),
                position=editor.position(needle, offset))


async def test_a_vague_hedge_is_flagged_where_it_was_typed_fixed_and_cleared(client):
    editor = Editor(client, JUDGMENTS)
    assert await editor.diagnostics() == []

    editor.replace("will likely keep", "will possibly keep")
    found = await editor.diagnostics()
    expected = {f.rule: f for f in validate(NK, {JUDGMENTS: editor.text}).findings}
    assert sorted(d.code for d in found) == ["BR104", "BR106"] == sorted(expected)
    vague = next(d for d in found if d.code == "BR106")
    assert vague.message == expected["BR106"].message == (
        "key judgment 'kj-durable-alliance' uses the vague word 'possibly', which hides "
        "the likelihood; use an ICD 203 term")
    assert vague.severity == types.DiagnosticSeverity.Warning
    assert vague.range == types.Range(start=editor.position("possibly"),
                                      end=editor.position("possibly", len("possibly")))
    assert vague.code_description.href.endswith("/rules/estimative.html#br106")

    offered = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=editor.uri), range=vague.range,
        context=types.CodeActionContext(diagnostics=[vague])))
    [fix] = [a for a in offered if a.title ==
             "Replace 'possibly' with 'likely', the declared likelihood"]
    assert list(fix.edit.changes) == [editor.uri]
    editor.apply(fix.edit.changes[editor.uri])
    assert "will likely keep" in editor.text
    assert await editor.diagnostics() == []
    editor.close()


async def test_source_ids_complete_after_an_opening_citation(client):
    editor = Editor(client, JUDGMENTS)
    await editor.diagnostics()
    editor.replace("through the end of 2027.", "through the end of 2027 [@.")
    spot = at(editor, "2027 [@", len("2027 [@"))
    result = await client.text_document_completion_async(types.CompletionParams(**spot))
    ids = [s.id for s in load_brief(NK).brief.sources]
    assert sorted(item.label for item in result.items) == sorted(ids)
    item = next(i for i in result.items if i.label == "seed-degraeve")
    assert item.text_edit.range == types.Range(start=spot["position"], end=spot["position"])

    editor.replace("2027 [@.", "2027 [@seed-d.")
    spot = at(editor, "2027 [@seed-d", len("2027 [@seed-d"))
    result = await client.text_document_completion_async(types.CompletionParams(**spot))
    assert [item.label for item in result.items] == [
        i for i in ids if i.startswith("seed-d")]
    assert result.items[0].text_edit.range.start == editor.position("seed-d.")
    editor.close()


async def test_a_citation_goes_to_its_source_and_a_source_finds_its_citations(client):
    editor = Editor(client, JUDGMENTS)
    await editor.diagnostics()
    target = await client.text_document_definition_async(types.DefinitionParams(
        **at(editor, "[@mofa-2023]; he put", 4)))
    sources = SOURCES.read_text("utf-8")
    line = sources[:sources.index("id: mofa-2023")].count("\n")
    column = sources.split("\n")[line].index("mofa-2023")
    assert target.uri == SOURCES.as_uri()
    assert target.range == types.Range(
        start=types.Position(line=line, character=column),
        end=types.Position(line=line, character=column + len("mofa-2023")))

    cited = await client.text_document_references_async(types.ReferenceParams(
        context=types.ReferenceContext(include_declaration=False),
        **at(editor, "[@mofa-2023]; he put", 4)))
    everywhere = {path: len(re.findall(r"(?<![\w@])@mofa-2023\b", path.read_text("utf-8")))
                  + len(re.findall(r"(?:source|via): mofa-2023\b", path.read_text("utf-8")))
                  for path in sorted(NK.glob("*.yaml"))}
    assert sum(everywhere.values()) == len(cited) > 1
    assert {c.uri for c in cited} == {p.as_uri() for p, n in everywhere.items() if n}

    hovered = await client.text_document_hover_async(types.HoverParams(
        **at(editor, "[@mofa-2023]; he put", 4)))
    assert hovered.contents.value.startswith(
        "**mofa-2023**\n\nMinistry of Foreign Affairs. (2023, June 15). "
        "*Greetings to Russian President*.")
    assert hovered.contents.value.endswith("Reliability **D**: not usually reliable")
    editor.close()


async def test_a_finding_in_another_file_goes_there_and_is_cleared(client):
    editor = Editor(client, JUDGMENTS)
    await editor.diagnostics()
    editor.replace("[@reuters-2023]", "(Reuters)")
    assert await editor.diagnostics() == []
    sources = await published.next(
        lambda p: p.uri == SOURCES.as_uri() and p.diagnostics)
    [unused] = sources.diagnostics
    assert unused.code == "BR403"
    text = SOURCES.read_text("utf-8")
    assert text.split("\n")[unused.range.start.line].strip() == "- id: reuters-2023"
    editor.replace("(Reuters)", "[@reuters-2023]")
    assert await editor.diagnostics() == []
    cleared = await published.next(lambda p: p.uri == SOURCES.as_uri() and
                                   published.seen.index(p) > published.seen.index(sources))
    assert list(cleared.diagnostics) == []
    editor.close()


async def test_half_typed_yaml_is_a_finding_and_the_server_keeps_answering(client):
    editor = Editor(client, JUDGMENTS)
    await editor.diagnostics()
    editor.replace("    confidence: moderate\n    basis: >-\n      A signed treaty",
                   "    confidence: [mod\n    basis: >-\n      A signed treaty")
    [broken] = await editor.diagnostics()
    assert broken.code == "BR801"
    assert broken.severity == types.DiagnosticSeverity.Error
    assert broken.message.startswith("invalid YAML")

    editor.replace("through the end of 2027.", "through the end of 2027 [@seed-d.")
    spot = at(editor, "2027 [@seed-d", len("2027 [@seed-d"))
    result = await client.text_document_completion_async(types.CompletionParams(**spot))
    assert "seed-degraeve" in [item.label for item in result.items]
    hovered = await client.text_document_hover_async(types.HoverParams(
        **at(editor, "will likely keep", len("will l"))))
    assert "55–80 %" in hovered.contents.value
    [broken] = await editor.diagnostics()

    editor.replace("confidence: [mod", "confidence: moderate")
    editor.replace("2027 [@seed-d.", "2027.")
    assert await editor.diagnostics() == []
    editor.close()


async def test_nothing_is_written(client):
    before = {path: path.read_bytes() for path in NK.glob("*.yaml")}
    editor = Editor(client, JUDGMENTS)
    await editor.diagnostics()
    editor.replace("will likely keep", "will possibly keep")
    await editor.diagnostics()
    editor.close()
    assert {path: path.read_bytes() for path in NK.glob("*.yaml")} == before
