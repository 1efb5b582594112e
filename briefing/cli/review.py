"""The review commands: `validate` checks briefs, `rules` lists the checks, `schema`
prints the content model's JSON Schema."""

from __future__ import annotations

import argparse
import json
import sys

from briefing.core.findings import findings_json
from briefing.core.terminal import display_path

from .exits import EXIT_INVALID, EXIT_OK, error


def cmd_validate(args: argparse.Namespace) -> int:
    """`briefing validate PATH…`: check briefs; exit 2 if any is invalid."""
    from briefing.build.helper import settled_imports

    with settled_imports():
        from briefing.build.batch import discover
        from briefing.build.validate import validate

    results = [validate(brief) for path in args.paths for brief in discover(path)]
    results = _with_duplicate_ids(results)
    if args.format == "json":
        print(json.dumps([{"path": display_path(r.path), "valid": r.ok,
                           "findings": json.loads(findings_json(r.findings)),
                           "suppressed": [s.to_dict() for s in r.suppressed]}
                          for r in results], ensure_ascii=False, indent=2))
    elif args.format == "sarif":
        from briefing.review.registry import all_rules
        from briefing.review.sarif import sarif_log

        print(json.dumps(sarif_log(results, all_rules()), ensure_ascii=False, indent=2))
    else:
        for result in results:
            for finding in result.findings:
                print(finding, file=sys.stderr)
            errors = sum(f.severity == "error" for f in result.findings)
            warnings = len(result.findings) - errors
            verdict = "valid" if result.ok else "invalid"
            silenced = f", {len(result.suppressed)} suppressed" if result.suppressed else ""
            print(f"{display_path(result.path)}: {verdict} ({errors} error(s), "
                  f"{warnings} warning(s){silenced})", file=sys.stderr)
    invalid = any(not r.ok for r in results)
    if args.strict:
        invalid = invalid or any(f.severity != "info" for r in results for f in r.findings)
    return EXIT_INVALID if invalid else EXIT_OK


def _with_duplicate_ids(results: list) -> list:
    """Each result, with an error if another brief of the run has the same id."""
    from dataclasses import replace

    from briefing.build.batch import duplicate_ids
    from briefing.core.findings import sort_findings

    ids = {r.path: (r.loaded.brief.id, r.loaded.place("id")) for r in results if r.loaded}
    clashes = duplicate_ids(ids) if len(ids) > 1 else {}
    return [replace(r, findings=sort_findings([*r.findings, clashes[r.path]]))
            if r.path in clashes else r for r in results]


def cmd_rules(args: argparse.Namespace) -> int:
    """`briefing rules [CODE]`: list the review rules, or explain one."""
    from briefing.core.findings import did_you_mean
    from briefing.review.explain import explain, rules_markdown, rules_table
    from briefing.review.registry import all_rules
    from briefing.review.ruledocs import rule_doc_url

    rules = all_rules()
    if args.code and args.code.upper() not in rules:
        return error(f"no rule '{args.code}'{did_you_mean(args.code.upper(), rules)}"
                     "; `briefing rules` lists them")
    chosen = [rules[args.code.upper()]] if args.code else list(rules.values())
    if args.format == "json":
        print(json.dumps([{"code": r.code, "name": r.name, "family": r.family,
                           "severity": r.severity, "summary": r.summary,
                           "standard": r.standard,
                           "bad": [list(e) for e in r.bad], "good": [list(e) for e in r.good],
                           "docs": rule_doc_url(r.code)}
                          for r in chosen], ensure_ascii=False, indent=2))
    elif args.format == "markdown":
        sys.stdout.write(rules_markdown({r.code: r for r in chosen}))
    else:
        sys.stdout.write(explain(chosen[0]) if args.code else rules_table(rules))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    """`briefing schema`: print (or write) the content model's JSON Schema."""
    from briefing.model.schema import schema_text

    text = schema_text()
    if args.output:
        try:
            args.output.write_text(text, "utf-8")
        except OSError as exc:
            hint = "; create the folder first" if not args.output.parent.is_dir() else ""
            return error(f"cannot write {display_path(args.output)}: "
                         f"{exc.strerror or exc}{hint}")
    else:
        sys.stdout.write(text)
    return EXIT_OK
