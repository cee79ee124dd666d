"""Documentation generated from the registry and the model, never written twice.

``scripts/update-docs`` writes these into ``docs/rules.md``, ``docs/event-logs.md``,
``docs/format.md`` and ``schema/journeymap.schema.json``; a test fails when they are
out of date.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema
from pydantic_core import core_schema
from rich.padding import Padding
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from journeygraph.evidence.conformance.check import LOG_HEADER, LogCheck
from journeygraph.exceptions import UnknownRuleError, did_you_mean
from journeygraph.model import FORMAT_VERSION, JourneyMap, no_items
from journeygraph.report.terminal import render_text
from journeygraph.rule_ids import ALL_RULE_IDS
from journeygraph.rules import Rule, registry

__all__ = [
    "explain_text",
    "format_markdown",
    "rules_data",
    "rules_markdown",
    "rules_markdown_all",
    "rules_text",
    "scenario_markdown",
    "scenario_schema_json",
    "schema_json",
    "theme_markdown",
    "theme_schema_json",
]

SCHEMA_ID = "https://journeygraph.dev/schema/journeymap-v1.schema.json"
SCENARIO_SCHEMA_ID = "https://journeygraph.dev/schema/scenario-v1.schema.json"
THEME_SCHEMA_ID = "https://journeygraph.dev/schema/theme-v1.schema.json"


def every_rule() -> list[tuple[str, Rule[Any]]]:
    """The audit's rules, then the checks of a map against an event log, each with its kind."""
    from journeygraph.evidence.rules import evidence_registry

    return [(r.kind, r) for r in [*registry, *evidence_registry]]


def find_rule(rule_id: str) -> Rule[Any]:
    """The audit rule or log check ``rule_id``; a did-you-mean over both when unknown.

    Examples
    --------
    >>> find_rule("drop-off").kind, find_rule("dead-end").kind
    ('log check', 'audit rule')
    >>> find_rule("dropoff")
    Traceback (most recent call last):
    ...
    journeygraph.exceptions.UnknownRuleError: unknown rule 'dropoff'; did you mean 'drop-off'?
    """
    from journeygraph.evidence.rules import evidence_registry

    for rules in (registry, evidence_registry):
        if rule_id in rules:
            return rules.get(rule_id)
    hint = did_you_mean(rule_id, ALL_RULE_IDS) or "; 'journeygraph rules' lists them"
    raise UnknownRuleError(f"unknown rule {rule_id!r}{hint}")


def rules_data() -> list[dict[str, str]]:
    """Every rule's and log check's metadata, audit rules first, in registry order.

    Examples
    --------
    >>> [(r["kind"], r["id"]) for r in rules_data()][::19]
    [('audit rule', 'unowned-touchpoint'), ('log check', 'unmapped-touchpoint')]
    """
    return [
        {
            "kind": kind,
            "id": r.id,
            "group": registry.group_of(r.id) or "",
            "old_ids": ", ".join(sorted(o for o, n in registry.aliases.items() if n == r.id)),
            "severity": r.severity.value,
            "summary": r.summary,
            "entities": r.entities,
            "rationale": r.rationale,
            "fix": r.fix,
            "advice": r.advice,
            "failing_example": r.failing_example,
            "passing_example": r.passing_example,
            **_logs(r),
        }
        for kind, r in every_rule()
    ]


def _logs(rule: Rule[Any]) -> dict[str, str]:
    # A log check's examples come with the log rows they are run on.
    if not isinstance(rule, LogCheck):
        return {}
    return {"failing_log": rule.failing_log, "passing_log": rule.passing_log}


def figures_markdown(section: str) -> str:
    """The table of one section of docs/figures.md, from `journeygraph.figures.FIGURES`.

    Examples
    --------
    >>> figures_markdown("In the action plan").splitlines()[0]
    '| Figure | Where it appears | Definition |'
    """
    from journeygraph.figures import FIGURES

    rows = [f for f in FIGURES if f.section == section]
    lines = ["| Figure | Where it appears | Definition |", "| --- | --- | --- |"]
    lines += [f"| {f.name} | {f.where} | {f.definition} |" for f in rows]
    return "\n".join(lines) + "\n"


def rules_markdown_all() -> str:
    """Both tables: the audit's rules, then the log checks (``journeygraph rules -f markdown``)."""
    from journeygraph.evidence.rules import evidence_registry

    return (
        "## Audit rules\n\n"
        + rules_markdown()
        + "\n## Log checks (with an event log)\n\n"
        + rules_markdown(evidence_registry)
    )


def rules_markdown(rules: Iterable[Rule[Any]] | None = None) -> str:
    """The rule table of docs/rules.md (of the audit's rules unless ``rules`` are given)."""
    lines = [
        "| Rule | Severity | Entities | Finds |",
        "| --- | --- | --- | --- |",
    ]
    for r in registry if rules is None else rules:
        lines.append(f"| `{r.id}` | {r.severity.value} | {r.entities} | {_md(r.summary)} |")
    return "\n".join(lines) + "\n"


def rules_text(*, color: bool = False, width: int = 120) -> str:
    """The rule list for the terminal."""
    table = Table(title=Text("journeygraph rules"), title_justify="left")
    table.add_column("Rule", no_wrap=True)
    table.add_column("Group", no_wrap=True)
    table.add_column("Kind", no_wrap=True)
    table.add_column("Severity", no_wrap=True)
    table.add_column("Finds")
    for kind, r in every_rule():
        old = sorted(o for o, n in registry.aliases.items() if n == r.id)
        name = r.id + (f"\n(was {', '.join(old)})" if old else "")
        group = registry.group_of(r.id) or ""
        table.add_row(Text(name), Text(group), Text(kind), Text(r.severity.value), Text(r.summary))
    hint = Text(
        "journeygraph explain RULE tells more about one. Log checks run with "
        "`discover --map` and `report --log`. `audit --rules GROUP,RULE` runs only those, "
        "`--exclude-rules` leaves them out.",
        style="dim",
    )
    return _render(color, width, table, hint)


def explain_text(rule: Rule[Any], *, color: bool = False, width: int = 120) -> str:
    """A rule explained: summary, rationale, fix, examples.

    Examples
    --------
    >>> print(explain_text(registry.get("dead-end")).splitlines()[0])
    dead-end (medium)
    """
    logs = _logs(rule)
    parts: list[Any] = [
        Text(f"{rule.id} ({rule.severity.value})", style="bold"),
        Text(rule.summary),
        Text(""),
        Text(f"Entities: {rule.entities}"),
        Text(""),
        Text("Why it matters", style="bold"),
        Text(rule.rationale),
        Text(""),
        Text("How to fix it in the map", style="bold"),
        Text(rule.fix),
        Text(""),
        Text("What the organisation should do (the report's words)", style="bold"),
        Text(rule.advice),
        Text(""),
        *_example("Fails", rule.failing_example, logs.get("failing_log"), color),
        *_example("Passes", rule.passing_example, logs.get("passing_log"), color),
        Text(
            f"Configure it under audit: disable: [{rule.id}] or severity: {{{rule.id}: low}}",
            style="dim",
        ),
    ]
    return _render(color, width, *parts)


def schema_json() -> str:
    """The JSON Schema of the map format, generated from the model."""
    return _schema(JourneyMap, SCHEMA_ID, f"journeygraph journey map, version {FORMAT_VERSION}")


def model_docstrings_json() -> str:
    """The text of the file the model reads its fields' descriptions from (see
    `journeygraph.model.DOCSTRINGS_READ`), read from the model's source."""
    import binascii

    from journeygraph import model

    with open(model.__file__, encoding="utf-8") as source:
        text = source.read()
    read = {
        "source_crc32": binascii.crc32(text.encode("utf-8")),
        "classes": model.parsed_docstrings(text),
    }
    return json.dumps(read, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


class _ListDefaults(GenerateJsonSchema):
    """Writes ``"default": []`` for the lists made by ``default_factory=no_items`` (or
    ``list``).

    The model's lists default through a factory (pydantic deep-copied a shared
    ``[]`` for every entity that leaves one out: a quarter of validating a
    large map); the schema still says what a user leaves out reads as.
    """

    def get_default_value(self, schema: core_schema.WithDefaultSchema) -> Any:
        if schema.get("default_factory") in (list, no_items):
            return []
        return super().get_default_value(schema)


def _schema(model: type[BaseModel], schema_id: str, title: str) -> str:
    schema = model.model_json_schema(
        by_alias=True, mode="validation", schema_generator=_ListDefaults
    )
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        **schema,
        "title": title,
    }
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def scenario_schema_json() -> str:
    """The JSON Schema of the scenario format, generated from its model.

    Examples
    --------
    >>> import json
    >>> json.loads(scenario_schema_json())["required"]
    ['version', 'changes']
    """
    from journeygraph.scenario.model import SCENARIO_VERSION, Scenario

    title = f"journeygraph to-be scenario, version {SCENARIO_VERSION}"
    return _schema(Scenario, SCENARIO_SCHEMA_ID, title)


def scenario_markdown() -> str:
    """The scenario format reference (``docs/scenario.md``), one table per model."""
    from journeygraph.scenario.model import Scenario

    out = [
        "# The to-be scenario format (version 1)",
        "",
        "Generated from `src/journeygraph/scenario/model.py` by `scripts/update-docs`; "
        "do not edit by hand. The JSON Schema is `schema/scenario.schema.json`.",
        "",
        "A scenario lists changes to a journey map, applied in order by "
        "`journeygraph scenario apply MAP SCENARIO -o TO_BE.yaml` and read by "
        "`journeygraph whatif MAP --to-be SCENARIO`. Each change is a mapping with one key, "
        "its kind. Every id a change names must exist in the map as the changes before it "
        "left it; a problem is reported at its line in the scenario. "
        "`examples/scenarios/b2b-saas-agreed-handoff.yaml` is an example.",
        "",
    ]
    return "\n".join(out + _model_tables(Scenario, skip={JourneyMap}))


def format_markdown() -> str:
    """The format reference (``docs/format.md``), one table per model."""
    out = [
        "# The journey map format (version 1)",
        "",
        "Generated from `src/journeygraph/model.py` by `scripts/update-docs`; "
        "do not edit by hand. The JSON Schema is `schema/journeymap.schema.json` "
        "(also printed by `journeygraph schema`).",
        "",
        "Ids are any non-blank text. Names, descriptions and every other text may hold any "
        "characters, quotes, `<`, `{` and newlines included. Unknown keys are errors.",
        "",
    ]
    return "\n".join(out + _model_tables(JourneyMap))


def theme_schema_json() -> str:
    """The JSON Schema of a theme file (``--theme``), generated from its model."""
    from journeygraph.theme import Theme

    return _schema(Theme, THEME_SCHEMA_ID, "journeygraph theme")


def theme_markdown() -> str:
    """The theme file's reference (between the markers of ``docs/theme.md``)."""
    from journeygraph.theme import Theme

    return "\n".join(_model_tables(Theme))


def _model_tables(root: type[BaseModel], skip: set[type[BaseModel]] | None = None) -> list[str]:
    out: list[str] = []
    for model in _models(root):
        if model in (skip or set()):
            continue
        out += [f"## {model.__name__}", "", _md((model.__doc__ or "").strip().splitlines()[0]), ""]
        out += ["| Key | Type | Default | Meaning |", "| --- | --- | --- | --- |"]
        for name, info in model.model_fields.items():
            key = info.alias or name
            value = info.default_factory() if info.default_factory else info.default  # type: ignore[call-arg]
            default = "required" if info.is_required() else f"`{_default(value)}`"
            out.append(
                f"| `{key}` | {_md(_type_name(info.annotation))} | {default} | "
                f"{_md(info.description or '')} |"
            )
        out.append("")
    return out


def _models(root: type[BaseModel]) -> list[type[BaseModel]]:
    seen: list[type[BaseModel]] = []

    def visit(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.append(model)
        for info in model.model_fields.values():
            for inner in _inner_models(info.annotation):
                visit(inner)

    visit(root)
    return seen


def _inner_models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        found += _inner_models(arg)
    return found


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in args if a is not type(None)) + (
            " (optional)" if type(None) in args else ""
        )
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is dict:
        return f"mapping of {_type_name(args[0])} to {_type_name(args[1])}"
    if origin is typing.Literal:
        return " or ".join(repr(a) for a in args)
    names = {str: "text", int: "integer", float: "number", bool: "true/false"}
    if annotation in names:
        return names[annotation]
    return getattr(annotation, "__name__", str(annotation))


def _default(value: Any) -> str:
    if isinstance(value, BaseModel):
        return "{}"
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    return json.dumps(value)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _example(title: str, map_text: str, log: str | None, color: bool) -> list[Any]:
    parts: list[Any] = [Text(title, style="bold"), Padding(_yaml(map_text, color), (0, 0, 0, 2))]
    if log is not None:
        rows = LOG_HEADER + log.rstrip("\n")
        parts += [Text("  with the log", style="dim"), Padding(Text(rows), (0, 0, 0, 2))]
    return parts


def _yaml(text: str, color: bool) -> Any:
    return (
        Syntax(text.rstrip("\n"), "yaml", theme="ansi_dark") if color else Text(text.rstrip("\n"))
    )


def _render(color: bool, width: int, *renderables: Any) -> str:
    return render_text(*renderables, color=color, width=width)
