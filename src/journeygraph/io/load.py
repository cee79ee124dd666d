"""Loading maps and audit configs from YAML, with every problem at its line."""

from __future__ import annotations

import math
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails, PydanticUndefined

from journeygraph._gc import paused_gc
from journeygraph.exceptions import Location, MapError, Problem, did_you_mean
from journeygraph.io.source import KeyPath, SourceMap
from journeygraph.io.yaml import parse_yaml
from journeygraph.model import AuditConfig, JourneyMap, share_field_names
from journeygraph.validation import PathProblem, check_integrity, config_problems

__all__ = ["load", "load_config", "loads", "read_text", "validation_problem"]


def load(path: str | Path) -> JourneyMap:
    """Read a journey map from a YAML file.

    Parameters
    ----------
    path
        The map file.

    Returns
    -------
    JourneyMap
        The map, remembering where each part came from (``m.source``).

    Raises
    ------
    MapError
        With every problem found, each at its ``file:line:col``.

    Examples
    --------
    >>> m = load("examples/b2b-saas.yaml")
    >>> m.id, len(m.stages)
    ('b2b-saas', 5)
    """
    return loads(read_text(path), str(path))


def loads(text: str, file: str = "<map>") -> JourneyMap:
    """Read a journey map from YAML text; ``file`` names it in messages.

    Examples
    --------
    >>> loads("version: 1\\njourney: {id: j}\\nstages: [{id: s}]\\nsurprise: 1\\n", "m.yaml")
    Traceback (most recent call last):
    ...
    journeygraph.exceptions.MapError: m.yaml:4:1: unknown key 'surprise' at the top level; \
allowed: version, journey, stages, departments, functions, touchpoints, handoffs, personas, \
opportunities, audit
    """
    with paused_gc():
        data, source = parse_yaml(text, file, every_position=False)
        return from_data(data, source)


def from_data(data: Any, source: SourceMap) -> JourneyMap:
    """Validate parsed data as a map, reporting problems at their source lines."""
    if not isinstance(data, dict):
        raise MapError([Problem(_not_a_mapping(data, "a journey map"), source.locate(()))])
    try:
        m = JourneyMap.model_validate(data, context={"skip_integrity": True})
    except ValidationError as err:
        problems = [_problem(e, data, source, JourneyMap) for e in err.errors()]
        partial = _salvage(data)
        raw_ids = {
            section: {
                i["id"] for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)
            }
            for section, items in data.items()
            if isinstance(items, list)
        }
        integrity = check_integrity(partial, also_defined=raw_ids) if partial is not None else []
        raise MapError(problems + [_located(p, source) for p in integrity]) from None
    integrity = check_integrity(m)
    if integrity:
        raise MapError(_located(p, source) for p in integrity)
    share_field_names(m)
    m._source = source
    for j, waiver in enumerate(m.audit.waivers):
        waiver._location = source.locate(("audit", "waivers", j))
    return m


def _located(problem: PathProblem, source: SourceMap) -> Problem:
    message = problem.message
    if problem.first is not None:
        message += f" (first defined at line {source.locate(problem.first).line})"
    return Problem(message, source.locate(problem.path))


def load_config(path: str | Path) -> AuditConfig:
    """Read an audit config file: the ``audit:`` section of a map, on its own.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
    ...     _ = f.write("disable: [missing-metric]\\n")
    >>> load_config(f.name).disable
    ['missing-metric']
    >>> os.unlink(f.name)
    """
    file = str(path)
    data, source = parse_yaml(read_text(path), file)
    if data is None:
        return AuditConfig()
    if not isinstance(data, dict):
        raise MapError([Problem(_not_a_mapping(data, "an audit config"), source.locate(()))])
    try:
        config = AuditConfig.model_validate(data)
    except ValidationError as err:
        raise MapError(_problem(e, data, source, AuditConfig) for e in err.errors()) from None
    problems = list(config_problems(config))
    if problems:
        raise MapError(_located(p, source) for p in problems)
    for j, waiver in enumerate(config.waivers):
        waiver._location = source.locate(("waivers", j))
    return config


def read_text(path: str | Path, *, expected: str = "a .yaml file") -> str:
    """The UTF-8 text of ``path``, or a :class:`MapError` that says where it is not text.

    ``expected`` names what should be there, for the message about a folder.
    """
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise MapError([Problem(f"{path}: no such file; check the path")]) from None
    except IsADirectoryError:
        raise MapError([Problem(f"{path}: is a folder; give {expected}")]) from None
    except OSError as err:
        raise MapError([Problem(f"{path}: cannot be read ({err.strerror})")]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        column = len(raw[raw.rfind(b"\n", 0, err.start) + 1 : err.start].decode("utf-8", "replace"))
        where = Location(str(path), line, column + 1)
        raise MapError(
            [Problem(f"byte 0x{raw[err.start]:02x} is not UTF-8; save the file as UTF-8", where)]
        ) from None


def _salvage(data: dict[str, Any]) -> JourneyMap | None:
    """A map built from whichever entries are valid, to check references anyway."""
    fields: dict[str, Any] = {}
    for name, info in JourneyMap.model_fields.items():
        key = info.alias or name
        raw = data.get(key)
        annotation = info.annotation
        default = info.get_default(call_default_factory=True)
        required = default is PydanticUndefined
        if required:
            # A required list that is missing or wrong: check the rest against none.
            default = [] if typing.get_origin(annotation) is list else None
        if raw is None:
            fields[name] = default
        elif typing.get_origin(annotation) is list and isinstance(raw, list):
            adapter: TypeAdapter[Any] = TypeAdapter(typing.get_args(annotation)[0])
            fields[name] = [v for v in (_try(adapter, item) for item in raw) if v is not None]
        elif annotation is not None:
            fields[name] = _try(TypeAdapter(annotation), raw) or default
        if required and fields[name] is None:
            return None
    try:
        return JourneyMap.model_construct(**fields)
    except Exception:  # pragma: no cover - salvage is best effort
        return None


def _try(adapter: TypeAdapter[Any], value: Any) -> Any:
    """``value`` validated; failing that, validated without its invalid keys."""
    try:
        return adapter.validate_python(value)
    except ValidationError as err:
        if not isinstance(value, dict):
            return None
        bad = {e["loc"][0] for e in err.errors() if e["loc"]}
        try:
            return adapter.validate_python({k: v for k, v in value.items() if k not in bad})
        except ValidationError:
            return None


def _as_written(path: KeyPath, data: Any) -> KeyPath:
    """``path`` as it stands in the file: a validator that made a list of a mapping
    (``experience: {emotion: -1}``, or keyed by persona, ``{pro: {emotion: 2}}``) added an
    index the file does not have: the mapping itself, or its key at that place."""
    written: list[str | int] = []
    here = data
    for step in path:
        if isinstance(step, int) and isinstance(here, dict):
            keys = list(here)
            by_key = bool(keys) and all(isinstance(v, dict | None) for v in here.values())
            if not (by_key and step < len(keys)):
                continue  # the list a validator made around one mapping
            step = keys[step]
        written.append(step)
        if isinstance(here, dict):
            here = here.get(step)
        elif isinstance(here, list) and isinstance(step, int) and 0 <= step < len(here):
            here = here[step]
        else:
            here = None
    return tuple(written)


def validation_problem(
    error: ErrorDetails, data: Any, source: SourceMap, root: type[BaseModel]
) -> Problem:
    """One of pydantic's errors for ``data`` read as ``root``, worded for people and located.

    For any model read from YAML (a scenario as well as a map).
    """
    return _problem(error, data, source, root)


def _problem(error: ErrorDetails, data: Any, source: SourceMap, root: type[BaseModel]) -> Problem:
    path: KeyPath = _as_written(tuple(error["loc"]), data)
    kind = error["type"]
    where = _where(path[:-1], data, about_key=kind in ("extra_forbidden", "missing"))
    if kind == "extra_forbidden":
        key = str(path[-1])
        allowed = _allowed_keys(root, path[:-1])
        hint = (
            _other_case(key, allowed)
            or did_you_mean(key, allowed)
            or (f"; allowed: {', '.join(allowed)}" if allowed else "")
        )
        if "experience" in path[:-1]:
            hint += (
                "; an experience is a mapping of emotion, pain_points and quotes (for every "
                "customer), a list of them each with its persona, or persona ids to them: "
                "experience: {first-buyer: {emotion: -1}}"
            )
        return Problem(f"unknown key {key!r}{where}{hint}", source.locate(path, key=True))
    if kind == "missing":
        return Problem(f"missing required key {path[-1]!r}{where}", source.locate(path[:-1]))
    return Problem(f"{_describe(error)}{where}", source.locate(path))


def _other_case(key: str, allowed: list[str]) -> str:
    # `r:` for `R:`: keys are case-sensitive, and role keys are upper case.
    same = [k for k in allowed if k.casefold() == key.casefold()]
    return f"; keys are case-sensitive: write {same[0]!r}" if same else ""


_MAPPING = "{name} must be a mapping of keys to values, not {got}"
_NUMBER = "{name} must be a number, not {value!r}"
_WHOLE = "{name} must be a whole number, not {value!r}"
_TRUE_FALSE = "{name} must be true or false, not {value!r}"
_COMPARED = "{name} must be {compared} {limit}: got {value!r}"
_COMPARISONS = {
    "greater_than": ("gt", "more than"),
    "greater_than_equal": ("ge", "at least"),
    "less_than": ("lt", "less than"),
    "less_than_equal": ("le", "at most"),
    "string_too_long": ("max_length", "at most"),
}
# pydantic's error types, worded for people.
_WORDING = {
    "list_type": "{name} must be a list, not {got}",
    "model_type": _MAPPING,
    "dict_type": _MAPPING,
    "model_attributes_type": _MAPPING,
    "bool_type": _TRUE_FALSE,
    "bool_parsing": _TRUE_FALSE,
    "float_type": _NUMBER,
    "float_parsing": _NUMBER,
    "int_type": _WHOLE,
    "int_parsing": _WHOLE,
    "int_from_float": _WHOLE,
    "finite_number": "{name} must be a finite number, not {value!r}",
    "enum": "{name} must be one of {expected}, not {value!r}",
    "greater_than": _COMPARED,
    "greater_than_equal": _COMPARED,
    "less_than": _COMPARED,
    "less_than_equal": _COMPARED,
    "string_pattern_mismatch": "{name} must not be empty or only spaces",
    "too_short": "{name} must not be empty",
    "string_too_long": "{name} must be a short name, {compared} {limit} characters",
    "value_error": "{name} {reason}",
}


def _describe(error: ErrorDetails) -> str:
    kind, value = error["type"], error.get("input")
    field = error["loc"][-1] if error["loc"] else "value"
    name = f"{field!r}" if isinstance(field, str) else "item"
    if kind == "string_type":
        hint = f" (quote it: '{value}')" if isinstance(value, (int, float, bool)) else ""
        return f"{name} must be text, not {_kind_of(value)}{hint}"
    if kind == "literal_error" and field == "version":
        return f"unsupported format version {value!r}; this journeygraph reads version 1"
    if isinstance(value, float) and not math.isfinite(value):
        kind = "finite_number"  # said first: no limit is the trouble with inf
    wording = _WORDING.get(kind)
    if wording is None:
        return f"{name}: {error['msg']}"
    key, compared = _COMPARISONS.get(kind, ("", ""))
    limit = (error.get("ctx") or {}).get(key, "")
    if isinstance(limit, float) and limit.is_integer() and abs(limit) >= 1000:
        limit = f"{int(limit):,}"
    return wording.format(
        compared=compared,
        limit=limit,
        name=name,
        value=value,
        got=_kind_of(value),
        expected=(error.get("ctx") or {}).get("expected", ""),
        msg=error["msg"].lower().removeprefix("input should be "),
        reason=error["msg"].removeprefix("Value error, "),
    )


def _kind_of(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:59] + "…'"


def _where(path: KeyPath, data: Any, *, about_key: bool) -> str:
    """`` in touchpoint 'demo'`` for a path inside an entity, ``''`` elsewhere."""
    if not path:
        return " at the top level" if about_key else ""
    section = path[0]
    kinds = {
        "stages": "stage",
        "departments": "department",
        "functions": "function",
        "touchpoints": "touchpoint",
        "handoffs": "handoff",
    }
    if section in kinds and len(path) >= 2 and isinstance(path[1], int):
        try:
            item = data[section][path[1]]
        except (KeyError, IndexError, TypeError):
            return ""
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            return f" in {kinds[section]} {item['id']!r}"
        if section == "handoffs" and isinstance(item, dict):
            return f" in handoff {item.get('from')!r} -> {item.get('to')!r}"
        return f" in {kinds[section]} #{path[1] + 1}"
    return f" in '{section}'" if isinstance(section, str) else ""


def _allowed_keys(root: type[BaseModel], path: KeyPath) -> list[str]:
    """The keys the model accepts at ``path``, by walking the model's types."""
    model: Any = root
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return []
        info = next(
            (
                field_info
                for n, field_info in model.model_fields.items()
                if (field_info.alias or n) == part or n == part
            ),
            None,
        )
        if info is None:
            return []
        model = _innermost_model(info.annotation)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [field_info.alias or n for n, field_info in model.model_fields.items()]
    return []


def _innermost_model(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType, dict):
        for arg in typing.get_args(annotation):
            found = _innermost_model(arg)
            if isinstance(found, type) and issubclass(found, BaseModel):
                return found
        return None
    return annotation


def _not_a_mapping(data: Any, what: str) -> str:
    if data is None:
        return f"the file is empty; {what} starts with 'version: 1'"
    return f"{what} must be a YAML mapping (key: value lines), not {_kind_of(data)}"
