"""The language server: pygls wiring of each feature to its module.

A brief is checked when one of its files opens, and again once its text has rested
for `debounce` seconds after a change (0.1 s unless the client's initialization
options say `{"debounce": seconds}`). A check runs `validate` on a worker thread, so
the server keeps answering meanwhile; a check whose texts changed while it ran is not
published (the next one is on its way). Files whose findings went away are sent an
empty list. The server reads files and never writes one.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from briefing import __version__

from . import actions, completion, hover, navigation
from .diagnostics import Checked, by_file, check, doc_href
from .documents import brief_of, lines_of, path_uri, reader, uri_path
from .spans import Position, Span, scalar_index
from .state import BriefState

DEBOUNCE_SECONDS = 0.1
_KINDS = {"reference": types.CompletionItemKind.Reference,
          "value": types.CompletionItemKind.EnumMember,
          "code": types.CompletionItemKind.Constant}


class BriefingServer(LanguageServer):
    """The server's state: each brief it has checked, the checks waiting to run."""

    def __init__(self) -> None:
        super().__init__("briefing", __version__,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.debounce = DEBOUNCE_SECONDS
        self.briefs: dict[Path, BriefState] = {}
        self.brief_paths: dict[Path, Path | None] = {}  # a file → its brief
        self.waiting: dict[Path, asyncio.Task] = {}
        self.checker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefing-check")

    # The editor's files

    def unsaved(self) -> dict[Path, str]:
        """The text of every file the editor has open, by path."""
        found = {}
        for doc in list(self.workspace.text_documents.values()):
            path = uri_path(doc.uri)
            if path is not None:
                found[path] = doc.source
        return found

    def versions(self, state: BriefState) -> dict[str, int | None]:
        """The versions of the open files of `state`'s brief."""
        return {uri: doc.version for uri, doc in list(self.workspace.text_documents.items())
                if _part_of(uri_path(uri), state.path)}

    def uri_of(self, path: Path) -> str:
        """The URI the editor knows `path` by (its own spelling for an open file)."""
        for uri in self.workspace.text_documents:
            if uri_path(uri) == path:
                return uri
        return path_uri(path)

    def state_of(self, uri: str) -> BriefState | None:
        """The brief the file at `uri` belongs to, None if it is not a brief's file."""
        path = uri_path(uri)
        if path is None:
            return None
        if path not in self.brief_paths:
            self.brief_paths[path] = brief_of(path, reader(self.unsaved()))
        brief = self.brief_paths[path]
        if brief is None:
            return None
        return self.briefs.setdefault(brief, BriefState(brief))

    # Checking and publishing

    def schedule(self, uri: str, delay: float) -> None:
        state = self.state_of(uri)
        if state is None:
            return
        waiting = self.waiting.pop(state.path, None)
        if waiting is not None:
            waiting.cancel()
        trigger = uri_path(uri)
        self.waiting[state.path] = asyncio.get_running_loop().create_task(
            self._check_after(state, trigger, delay))

    async def _check_after(self, state: BriefState, trigger: Path, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        await self.check_now(state, trigger)

    async def check_now(self, state: BriefState, trigger: Path) -> None:
        unsaved = self.unsaved()
        texts = {path: text for path, text in unsaved.items() if _part_of(path, state.path)}
        versions = self.versions(state)
        checked = await asyncio.get_running_loop().run_in_executor(
            self.checker, check, state.path, texts)
        if self.versions(state) != versions:
            return  # the editor's text moved on; the check of the new text is scheduled
        self.publish(state, checked, trigger, reader(unsaved))

    def publish(self, state: BriefState, checked: Checked, trigger: Path, text_of) -> None:
        state.learn(checked)
        grouped = by_file(checked.validation.findings, state.files, trigger, text_of,
                          self.workspace.position_codec)
        sent = {uri: [] for uri in self.versions(state)}  # an open file with none: []
        sent.update({self.uri_of(path): found for path, found in grouped.items()})
        for uri in state.published - set(sent):
            self._send(uri, [])
        for uri, found in sent.items():
            self._send(uri, found)
        state.published = set(sent)

    def _send(self, uri: str, found: list[types.Diagnostic]) -> None:
        doc = self.workspace.text_documents.get(uri)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, diagnostics=found, version=doc.version if doc else None))

    def closed(self, uri: str) -> None:
        """A file was closed: check its brief again (from disk, for that file), or, when
        none of the brief's files is open any more, clear what was published for it."""
        state = self.state_of(uri)
        if state is None:
            return
        still_open = [u for u in self.workspace.text_documents
                      if u != uri and _part_of(uri_path(u), state.path)]
        if still_open:
            self.schedule(still_open[0], 0)
            return
        waiting = self.waiting.pop(state.path, None)
        if waiting is not None:
            waiting.cancel()
        for published in state.published:
            self._send(published, [])
        self.briefs.pop(state.path, None)

    # Positions in the client's units ↔ code points

    def position(self, uri: str, position: types.Position) -> tuple[list[str], Position]:
        doc = self.workspace.get_text_document(uri)
        lines = lines_of(doc.source)
        server = self.workspace.position_codec.position_from_client_units(lines, position)
        return lines, (server.line, server.character)

    def client_range(self, lines: list[str], span: Span) -> types.Range:
        return self.workspace.position_codec.range_to_client_units(lines, types.Range(
            types.Position(*span.start), types.Position(*span.end)))

    def location(self, path: Path, span: Span, text_of) -> types.Location:
        return types.Location(uri=self.uri_of(path),
                              range=self.client_range(lines_of(text_of(path)), span))


def _part_of(path: Path | None, brief: Path) -> bool:
    """Whether `path` is (one of) the files of the brief at `brief`."""
    return path is not None and (path == brief or path.parent == brief)


def make_server() -> BriefingServer:
    server = BriefingServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: BriefingServer, params: types.InitializeParams) -> None:
        options = params.initialization_options
        if isinstance(options, dict) and isinstance(options.get("debounce"), int | float):
            ls.debounce = max(0.0, float(options["debounce"]))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: BriefingServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.brief_paths.clear()  # a file may have joined a folder since
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: BriefingServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: BriefingServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: BriefingServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.closed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def on_hover(ls: BriefingServer, params: types.HoverParams) -> types.Hover | None:
        lines, position = ls.position(params.text_document.uri, params.position)
        state = ls.state_of(params.text_document.uri)
        if state is not None and state.references is None and state.loaded is not None:
            # the citation engine runs where checks run (one at a time), never beside one
            await asyncio.get_running_loop().run_in_executor(
                ls.checker, hover.formatted_references, state)
        found = hover.hover(lines, position, state, doc_href)
        if found is None:
            return None
        text, token = found
        return types.Hover(contents=types.MarkupContent(types.MarkupKind.Markdown, text),
                           range=ls.client_range(lines, token.span))

    @server.feature(types.TEXT_DOCUMENT_COMPLETION,
                    types.CompletionOptions(trigger_characters=["@", " ", "[", ","]))
    def on_completion(ls: BriefingServer,
                      params: types.CompletionParams) -> types.CompletionList | None:
        lines, position = ls.position(params.text_document.uri, params.position)
        found = completion.completions(lines, position, ls.state_of(params.text_document.uri))
        if found is None:
            return None
        slot, choices = found
        replaced = ls.client_range(lines, Span(slot.start, position))
        return types.CompletionList(is_incomplete=False, items=[
            types.CompletionItem(label=c.text, detail=c.detail, kind=_KINDS[c.kind],
                                 text_edit=types.TextEdit(range=replaced, new_text=c.text))
            for c in choices])

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def on_definition(ls: BriefingServer,
                      params: types.DefinitionParams) -> types.Location | None:
        state = ls.state_of(params.text_document.uri)
        if state is None:
            return None
        lines, position = ls.position(params.text_document.uri, params.position)
        text_of = reader(ls.unsaved())
        found = navigation.definition(lines, position, state, text_of)
        return ls.location(*found, text_of) if found else None

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    def on_references(ls: BriefingServer,
                      params: types.ReferenceParams) -> list[types.Location] | None:
        state = ls.state_of(params.text_document.uri)
        if state is None:
            return None
        lines, position = ls.position(params.text_document.uri, params.position)
        text_of = reader(ls.unsaved())
        found = navigation.references(lines, position, state, text_of,
                                      params.context.include_declaration)
        return [ls.location(path, span, text_of) for path, span in found]

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix]))
    def on_code_action(ls: BriefingServer,
                       params: types.CodeActionParams) -> list[types.CodeAction] | None:
        uri = params.text_document.uri
        file = uri_path(uri)
        if file is None:
            return None
        doc = ls.workspace.get_text_document(uri)
        lines = lines_of(doc.source)
        codec = ls.workspace.position_codec
        text_of = reader(ls.unsaved())
        state = ls.state_of(uri)
        offered = []
        for diagnostic in params.context.diagnostics:
            if diagnostic.source != "briefing" or not isinstance(diagnostic.code, str):
                continue
            server = codec.range_from_client_units(lines, diagnostic.range)
            span = Span((server.start.line, server.start.character),
                        (server.end.line, server.end.character))
            said = doc.text_in_client_range(diagnostic.range)
            flagged = actions.Flagged(diagnostic.code, file, span, said,
                                      scalar_index(doc.source), state, text_of)
            for fix in actions.fixes(flagged):
                changes = {ls.uri_of(path): [
                    types.TextEdit(range=ls.client_range(lines_of(text_of(path)), where),
                                   new_text=new) for where, new in edits]
                    for path, edits in fix.edits.items()}
                offered.append(types.CodeAction(
                    title=fix.title, kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic], edit=types.WorkspaceEdit(changes=changes)))
        return offered

    return server


def serve_stdio() -> None:
    """Run the server on standard input and output until the client ends it."""
    make_server().start_io()
