"""A YAML map's text, edited in place: what an edit changes, and nothing else.

The workshop writes each edit back to the map file. The text is read with
ruamel.yaml's round-trip loader, the edit changes the one value it is about, and
the text is written out again with comments, key order, quoting, flow style and
layout of everything else kept, so that ``git diff`` shows only the changed lines.
Every function here is pure: text in, text out.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from journeygraph.exceptions import MapError, Problem
from journeygraph.roles import ROLES

__all__ = [
    "DELETES",
    "EDIT_KINDS",
    "RESTORE",
    "Edit",
    "MapText",
    "apply_edit",
    "current_value",
    "inverse",
    "round_trip",
    "safe_data",
]

_SECTION_ORDER: Final = (
    "version",
    "journey",
    "stages",
    "departments",
    "functions",
    "touchpoints",
    "handoffs",
    "personas",
    "opportunities",
    "audit",
)

TOUCHPOINT_FIELDS: Final = ("name", "stage", "channel", "entry", "exit", "volume", "handle_minutes")
FUNCTION_FIELDS: Final = ("name", "department", "fte")
OPPORTUNITY_FIELDS: Final = ("name", "owner", "status", "touchpoints")
DEPARTMENT_FIELDS: Final = ("name", "external")
EXPERIENCE_FIELDS: Final = ("emotion", "pain_points", "quotes")
_NUMBERS: Final = frozenset({"volume", "handle_minutes", "fte", "emotion"})
_FLAGS: Final = frozenset({"entry", "exit", "external"})
_LISTS: Final = frozenset({"pain_points", "quotes", "touchpoints"})


@dataclass(frozen=True)
class Edit:
    """One change a person makes in the workshop.

    ``kind`` is one of :data:`EDIT_KINDS`; ``target`` names what it changes (a
    touchpoint id, a function id, ``[touchpoint, function, role]``, ...);
    ``field`` the field set, when the kind sets fields; ``value`` the new value;
    ``was`` the value the person saw, so that a change made meanwhile by someone
    else is not overwritten (see :func:`current_value`).

    Examples
    --------
    >>> Edit("raci", ("demo", "sales", "A"), value=True, was=False).kind
    'raci'
    """

    kind: str
    target: tuple[str, ...]
    field: str = ""
    value: Any = None
    was: Any = None


def _scalar(value: Any) -> Any:
    """A value as the YAML should hold it: whole numbers as ints, blanks as nothing."""
    if isinstance(value, str):
        return _text(value.strip()) if value.strip() else None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _text(value: str) -> Any:
    """``value``, quoted when the map's loader would not read it back as this text.

    ruamel writes YAML 1.2, where ``yes`` or ``why?`` inside ``[...]`` is plain
    text; the map is read as YAML 1.1, where they are not.
    """
    import yaml as pyyaml
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    try:
        plain = pyyaml.safe_load(f"k: [{value}]\nv: {value}\n") == {"k": [value], "v": value}
    except pyyaml.YAMLError:
        plain = False
    return value if plain else DoubleQuotedScalarString(value)


def _number(field: str, value: Any) -> Any:
    value = _scalar(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    try:
        return _scalar(float(str(value).strip()))
    except ValueError:
        raise MapError([Problem(f"{field} must be a number; got {value!r}")]) from None


def _typed(field: str, value: Any) -> Any:
    if field in _NUMBERS:
        return _number(field, value)
    if field in _FLAGS:
        return bool(value)
    if field in _LISTS:
        items = value if isinstance(value, list) else str(value or "").split("\n")
        return [_text(str(v).strip()) for v in items if str(v).strip()] or None
    return _scalar(value)


# --- reading the current value from the round-trip data ---------------------------------------


def _find(items: Any, key: str, kind: str) -> Any:
    for item in items or []:
        if hasattr(item, "get") and item.get("id") == key:
            return item
    raise MapError([Problem(f"there is no {kind} {key!r} in the map; reload the page")])


def _section(data: Any, name: str) -> Any:
    return data.get(name) or []


def _roles(owners: Any, role: str) -> list[str]:
    held = (owners or {}).get(role)
    if held is None:
        return []
    return [held] if isinstance(held, str) else [str(h) for h in held]


def _targets(touchpoint: Any) -> list[str]:
    following = touchpoint.get("next")
    if following is None:
        return []
    if isinstance(following, str):
        return [following]
    return [n if isinstance(n, str) else str(n.get("to")) for n in following]


def _experience(touchpoint: Any, persona: str | None) -> Any:
    """The experience entry for ``persona`` (``None``: every customer), or ``None``."""
    given = touchpoint.get("experience")
    if given is None:
        return None
    if hasattr(given, "items") and not isinstance(given, list):
        if set(given) & {"persona", *EXPERIENCE_FIELDS}:
            entries = [given]
        else:
            return given.get(persona) if persona is not None else None
    else:
        entries = list(given)
    for entry in entries:
        if hasattr(entry, "get") and entry.get("persona") == persona:
            return entry
    return None


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool | int | float) or value is None:
        return value
    return str(value)


def current_value(data: Any, edit: Edit) -> Any:
    """What the map now holds where ``edit`` writes, in the form ``edit.was`` gives it.

    Examples
    --------
    >>> doc = {"touchpoints": [{"id": "shop", "owners": {"R": "sales"}}]}
    >>> current_value(doc, Edit("raci", ("shop", "sales", "R"), value=False))
    True
    """
    kind, target = edit.kind, edit.target
    if kind == "raci":
        touchpoint = _find(_section(data, "touchpoints"), target[0], "touchpoint")
        return target[1] in _roles(touchpoint.get("owners"), target[2])
    if kind in DELETES:
        return any(
            hasattr(i, "get") and i.get("id") == target[0] for i in _section(data, DELETES[kind])
        )
    if kind == RESTORE:
        raise MapError([Problem("a restore is the undo of a removal, not an edit of its own")])
    if kind in ("transition-add", "transition-remove"):
        touchpoint = _find(_section(data, "touchpoints"), target[0], "touchpoint")
        return target[1] in _targets(touchpoint)
    if kind in _ADDS:
        section = _ADDS[kind]
        return any(hasattr(i, "get") and i.get("id") == target[0] for i in _section(data, section))
    if kind == "handoff-add" or kind == "handoff-remove":
        return _handoff_index(data, target) is not None
    if kind == "experience-set":
        touchpoint = _find(_section(data, "touchpoints"), target[0], "touchpoint")
        entry = _experience(touchpoint, target[1] or None)
        return None if entry is None else _plain(entry.get(edit.field))
    section, what = _SETS[kind]
    entity = _find(_section(data, section), target[0], what)
    held = _plain(entity.get(edit.field))
    # One id stands for a list of one, as the format reads it.
    return [held] if edit.field in _LISTS and isinstance(held, str) else held


# --- changing the data ------------------------------------------------------------------------


def _flow_map(**items: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap

    made = CommentedMap(items)
    made.fa.set_flow_style()
    return made


def _flow_list(items: list[Any]) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    made = CommentedSeq(items)
    made.fa.set_flow_style()
    return made


def _set(mapping: Any, key: str, value: Any, default: Any = None) -> None:
    """Set ``key``, or take it out when ``value`` is the default and the text need not say it."""
    if value is None or (value == default and key not in mapping):
        if key in mapping:
            del mapping[key]
        return
    if isinstance(value, list):
        from ruamel.yaml.comments import CommentedSeq

        old = mapping.get(key)
        if isinstance(old, CommentedSeq) and old.fa.flow_style() is False:
            value = CommentedSeq(value)
        else:
            value = _flow_list(value)
    if key in mapping and hasattr(mapping, "insert"):
        # Replaced, not assigned: ruamel would keep the old value's quoting for the new one.
        position, comment = list(mapping).index(key), mapping.ca.items.get(key)
        del mapping[key]
        mapping.insert(position, key, value)
        if comment is not None:
            mapping.ca.items[key] = comment
        return
    mapping[key] = value


def _ensure_section(data: Any, name: str) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    if data.get(name) is None:
        before = _SECTION_ORDER[: _SECTION_ORDER.index(name)]
        position = sum(1 for key in data if key in before)
        data.insert(position, name, CommentedSeq())
    return data[name]


def _apply_raci(data: Any, edit: Edit) -> None:
    from ruamel.yaml.comments import CommentedMap

    touchpoint_id, function, role = edit.target
    if role not in ROLES:
        raise MapError([Problem(f"role must be one of {', '.join(ROLES)}; got {role!r}")])
    touchpoint = _find(_section(data, "touchpoints"), touchpoint_id, "touchpoint")
    owners = touchpoint.get("owners")
    if owners is None:
        owners = _flow_map()
        _insert_after(touchpoint, "owners", owners, ("stage", "channel", "layer", "entry", "exit"))
    held, given = _roles(owners, role), owners.get(role)
    if edit.value and function not in held:
        held.append(_text(function))
    elif not edit.value and function in held:
        held.remove(function)
    if not held:
        owners.pop(role, None)
    elif len(held) == 1 and not (isinstance(given, list) and len(given) == 1):
        owners[role] = held[0]  # one id is written alone, as people write it
    else:
        _set(owners, role, held)
    if isinstance(owners, CommentedMap):
        order = [r for r in ROLES if r in owners] + [k for k in owners if k not in ROLES]
        if list(owners) != order:
            for key in order:
                owners.move_to_end(key)
    if not owners:
        del touchpoint["owners"]


def _insert_after(mapping: Any, key: str, value: Any, after: tuple[str, ...]) -> None:
    keys = list(mapping)
    positions = [keys.index(k) for k in ("id", "name", *after) if k in keys]
    mapping.insert(max(positions, default=-1) + 1, key, value)


def _apply_transition(data: Any, edit: Edit) -> None:
    source, target = edit.target
    touchpoint = _find(_section(data, "touchpoints"), source, "touchpoint")
    following = touchpoint.get("next")
    if isinstance(following, str):
        following = _flow_list([following])
        touchpoint["next"] = following
    if edit.kind == "transition-add":
        if target in _targets(touchpoint):
            return
        if following is None:
            _insert_after(touchpoint, "next", _flow_list([_text(target)]), tuple(touchpoint))
        else:
            following.append(_text(target))
        return
    kept = [n for n in following or [] if (n if isinstance(n, str) else n.get("to")) != target]
    if not kept:
        touchpoint.pop("next", None)
    else:
        del following[:]
        following.extend(kept)


DELETES: Final = {"touchpoint-delete": "touchpoints", "function-delete": "functions"}
"""Removals that take what refers to the removed thing with it; undone by a :data:`RESTORE`."""
RESTORE: Final = "restore"
"""The undo of a removal: the whole text as it was before it (``value``), made only if the
text is still the one the removal wrote (``was``, its SHA-256)."""

_ADDS: Final = {
    "touchpoint-add": "touchpoints",
    "function-add": "functions",
    "department-add": "departments",
    "touchpoint-remove": "touchpoints",
    "function-remove": "functions",
    "department-remove": "departments",
    "opportunity-add": "opportunities",
    "opportunity-remove": "opportunities",
}
_SETS: Final = {
    "touchpoint-set": ("touchpoints", "touchpoint"),
    "function-set": ("functions", "function"),
    "department-set": ("departments", "department"),
    "opportunity-set": ("opportunities", "opportunity"),
}
_FIELDS: Final = {
    "touchpoint-set": TOUCHPOINT_FIELDS,
    "function-set": FUNCTION_FIELDS,
    "department-set": DEPARTMENT_FIELDS,
    "opportunity-set": OPPORTUNITY_FIELDS,
    "experience-set": EXPERIENCE_FIELDS,
}


def _apply_add(data: Any, edit: Edit) -> None:
    section = _ensure_section(data, _ADDS[edit.kind])
    if edit.kind.endswith("-remove"):
        entity = _find(section, edit.target[0], edit.kind.split("-")[0])
        section.remove(entity)
        if not section:  # the section an add made goes with its last entry
            del data[_ADDS[edit.kind]]
        return
    fields = dict(edit.value or {})
    entity = _flow_map(id=_text(edit.target[0]))
    for key in ("name", "stage", "department", "owner", "status"):
        if _scalar(fields.get(key)) is not None:
            entity[key] = _scalar(fields[key])
    if edit.kind == "touchpoint-add" and "stage" not in entity:
        raise MapError([Problem("a new touchpoint needs a stage; choose one")])
    section.append(entity)


def _apply_set(data: Any, edit: Edit) -> None:
    section, what = _SETS[edit.kind]
    if edit.field not in _FIELDS[edit.kind]:
        allowed = ", ".join(_FIELDS[edit.kind])
        raise MapError([Problem(f"a {what}'s {edit.field!r} is not edited here; edit {allowed}")])
    entity = _find(_section(data, section), edit.target[0], what)
    value = _typed(edit.field, edit.value)
    # A flag that is off is left out, as the format's default says it.
    _set(entity, edit.field, value if value is not False else None)


def _handoff_index(data: Any, target: tuple[str, ...]) -> int | None:
    """The last declared handoff from ``target[0]`` to ``target[1]``: the one added last."""
    found = None
    for index, handoff in enumerate(_section(data, "handoffs")):
        if hasattr(handoff, "get") and (handoff.get("from"), handoff.get("to")) == target[:2]:
            found = index
    return found


def _apply_handoff(data: Any, edit: Edit) -> None:
    handoffs = _ensure_section(data, "handoffs")
    index = _handoff_index(data, edit.target)
    if edit.kind == "handoff-remove":
        if index is not None:
            del handoffs[index]
        if not handoffs:
            del data["handoffs"]
        return
    fields = dict(edit.value or {})
    handoff = _flow_map(**{"from": _text(edit.target[0]), "to": _text(edit.target[1])})
    for key in ("name", "sla", "artefact", "system"):
        if _scalar(fields.get(key)) is not None:
            handoff[key] = _scalar(str(fields[key]))
    scope = [_flow_list([_text(str(a)), _text(str(b))]) for a, b in fields.get("at") or []]
    if scope:
        handoff["at"] = _flow_list(scope)
    handoffs.append(handoff)


def _apply_experience(data: Any, edit: Edit) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if edit.field not in EXPERIENCE_FIELDS:
        raise MapError([Problem(f"an experience's {edit.field!r} is not edited here")])
    touchpoint = _find(_section(data, "touchpoints"), edit.target[0], "touchpoint")
    persona = edit.target[1] or None
    entry = _experience(touchpoint, persona)
    if entry is None:
        entry = _flow_map(persona=_text(persona)) if persona else _flow_map()
        given = touchpoint.get("experience")
        if given is None:
            touchpoint["experience"] = CommentedSeq([entry])
        elif isinstance(given, CommentedMap) and not set(given) & {"persona", *EXPERIENCE_FIELDS}:
            if persona is None:
                raise MapError(
                    [Problem("this touchpoint's experience is written per persona; choose one")]
                )
            given[_text(persona)] = entry = _flow_map()
        elif isinstance(given, CommentedMap):
            touchpoint["experience"] = CommentedSeq([given, entry])
        else:
            given.append(entry)
    _set(entry, edit.field, _typed(edit.field, edit.value))


def _pairs(handoff: Any) -> list[Any]:
    at = handoff.get("at") if hasattr(handoff, "get") else None
    return list(at) if isinstance(at, list) else []


def _named(item: Any) -> str:
    return f"{item.get('from')} -> {item.get('to')}"


def _touchpoint_refusals(data: Any, key: str) -> list[str]:
    """What would lose its meaning if touchpoint ``key`` went with its references: a
    handoff declared only at its steps (it would hold everywhere), an opportunity that
    improves only it."""
    refusals = [
        f"the handoff {_named(h)} is declared only at steps of {key!r} (its at); "
        "change its at or remove that handoff first"
        for h in _section(data, "handoffs")
        if _pairs(h) and all(key in [str(x) for x in pair] for pair in _pairs(h))
    ]
    for o in _section(data, "opportunities"):
        improved = o.get("touchpoints") if hasattr(o, "get") else None
        if improved == key or (isinstance(improved, list) and [str(t) for t in improved] == [key]):
            refusals.append(
                f"the opportunity {o.get('id')!r} improves only {key!r}; "
                "give it another touchpoint or remove it first"
            )
    return refusals


def _apply_touchpoint_delete(data: Any, edit: Edit) -> None:
    """Remove a touchpoint with the transitions to it, the handoff ``at`` pairs and the
    opportunities' references naming it (its own owners and steps go with it)."""
    key = edit.target[0]
    touchpoints = _section(data, "touchpoints")
    entity = _find(touchpoints, key, "touchpoint")
    refusals = _touchpoint_refusals(data, key)
    if refusals:
        raise MapError([Problem(f"touchpoint {key!r} cannot be removed: {r}") for r in refusals])
    touchpoints.remove(entity)
    for t in touchpoints:
        if key in _targets(t):
            _apply_transition(data, Edit("transition-remove", (str(t.get("id")), key)))
    for h in _section(data, "handoffs"):
        kept = [pair for pair in _pairs(h) if key not in [str(x) for x in pair]]
        if len(kept) != len(_pairs(h)):
            h["at"][:] = kept
    for o in _section(data, "opportunities"):
        improved = o.get("touchpoints") if hasattr(o, "get") else None
        if isinstance(improved, list) and key in improved:
            improved.remove(key)


def _apply_function_delete(data: Any, edit: Edit) -> None:
    """Remove a function with its roles on every touchpoint, the handoffs declared from or
    to it, and the opportunities' owner where it is the one."""
    key = edit.target[0]
    functions = _section(data, "functions")
    functions.remove(_find(functions, key, "function"))
    for t in _section(data, "touchpoints"):
        for role in ROLES:
            if key in _roles(t.get("owners"), role):
                _apply_raci(data, Edit("raci", (str(t.get("id")), key, role), value=False))
    handoffs = _section(data, "handoffs")
    for h in [h for h in handoffs if key in (h.get("from"), h.get("to"))]:
        handoffs.remove(h)
    if "handoffs" in data and not handoffs:
        del data["handoffs"]
    for o in _section(data, "opportunities"):
        if hasattr(o, "get") and o.get("owner") == key:
            del o["owner"]


_APPLY: Final[dict[str, Callable[[Any, Edit], None]]] = {
    "raci": _apply_raci,
    "transition-add": _apply_transition,
    "transition-remove": _apply_transition,
    **dict.fromkeys(_ADDS, _apply_add),
    **dict.fromkeys(_SETS, _apply_set),
    "handoff-add": _apply_handoff,
    "handoff-remove": _apply_handoff,
    "experience-set": _apply_experience,
    "touchpoint-delete": _apply_touchpoint_delete,
    "function-delete": _apply_function_delete,
}

EDIT_KINDS: Final = tuple(_APPLY)
"""Every kind of edit the workshop makes."""


# --- text in, text out ------------------------------------------------------------------------


def _yaml(text: str) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    sequence, offset = _indents(text)
    yaml.indent(mapping=2, sequence=sequence, offset=offset)
    return yaml


def _indents(text: str) -> tuple[int, int]:
    """The block sequences' indent as the file writes them: ``key:\\n  - x`` or ``key:\\n- x``."""
    found = re.search(r"^([A-Za-z_]+):[ \t]*\n(?:[ \t]*#.*\n)*([ \t]*)- ", text, re.M)
    offset = len(found.group(2)) if found else 2
    return offset + 2, offset


def round_trip(text: str) -> str:
    """``text`` read and written again without an edit: what an edit keeps of the rest.

    Examples
    --------
    >>> text = "# a comment\\nstages:\\n  - {id: buy, name: 'Buy'}  # kept\\n"
    >>> round_trip(text) == text
    True
    """
    yaml = _yaml(text)
    out = io.StringIO()
    yaml.dump(yaml.load(text), out)
    return out.getvalue()


def _dumped(yaml: Any, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _groups(original: list[str], old: list[str]) -> list[tuple[list[str], range]]:
    """The lines as written, in groups, each with the lines of ``old`` it became."""
    import difflib

    groups: list[tuple[list[str], range]] = []
    matcher = difflib.SequenceMatcher(None, original, old, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            groups += [([original[a1 + k]], range(b1 + k, b1 + k + 1)) for k in range(a2 - a1)]
        else:
            groups.append((original[a1:a2], range(b1, b2)))
    return groups


def _merged(text: str, before: str, after: str) -> str:
    """``text`` with the lines that differ between ``before`` and ``after`` changed.

    ``before`` is ``text``, or a part of it, as ruamel writes it back, which may
    join a flow mapping written over two lines; such a group of lines is kept as
    written unless the edit touches it; lines of ``text`` that ``before`` lacks
    are kept. The caller checks that the result reads as it should.
    """
    import difflib

    original, old, new = text.splitlines(True), before.splitlines(True), after.splitlines(True)
    groups = _groups(original, old)
    changes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    unchanged = [False] * len(old)
    for tag, i1, i2, _, _ in changes:
        if tag == "equal":
            unchanged[i1:i2] = [True] * (i2 - i1)
    group_of = {line: g for g, (_, lines) in enumerate(groups) for line in lines}
    dropped: dict[int, list[int]] = {}
    for g, (_, lines) in enumerate(groups):
        if not lines:
            dropped.setdefault(lines.start, []).append(g)
    out: list[str] = []
    emitted: set[int] = set()

    def kept_before(position: int) -> None:
        # Lines ruamel dropped (none in `old`) stand where they stood.
        for g in dropped.pop(position, []):
            emitted.add(g)
            out.extend(groups[g][0])

    for tag, i1, i2, j1, j2 in changes:
        if tag != "equal":
            kept_before(i1)
            out.extend(new[j1:j2])
            continue
        for i in range(i1, i2):
            kept_before(i)
            g = group_of[i]
            written, lines = groups[g]
            if all(unchanged[line] for line in lines):
                if g not in emitted:
                    emitted.add(g)
                    out.extend(written)
            else:
                out.append(old[i])
    kept_before(len(old))
    return "".join(out)


_ENTITY_SECTIONS: Final = {
    "raci": "touchpoints",
    "transition-add": "touchpoints",
    "transition-remove": "touchpoints",
    "experience-set": "touchpoints",
    "touchpoint-set": "touchpoints",
    "function-set": "functions",
    "department-set": "departments",
    "opportunity-set": "opportunities",
}


def _entity_of(data: Any, edit: Edit) -> tuple[str, Any] | None:
    """The section and the entry an edit changes, when it changes one entry in place."""
    section = _ENTITY_SECTIONS.get(edit.kind)
    if section is None:
        return None
    for item in _section(data, section):
        if hasattr(item, "get") and item.get("id") == edit.target[0]:
            return section, item
    return None


def safe_data(text: str) -> Any:
    """``text`` read as the map loader reads YAML (plain data, no positions); read once for
    the few texts an edit compares, so treat it as read-only.

    Examples
    --------
    >>> safe_data("a: [1, 2]")
    {'a': [1, 2]}
    """
    return _safe_data(text)


@functools.lru_cache(maxsize=4)
def _safe_data(text: str) -> Any:
    import yaml as pyyaml

    return pyyaml.load(text, Loader=getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader))


def _reads_as(text: str, data: Any) -> bool:
    """Whether ``text`` reads (as the map loader reads YAML) as ruamel's ``data``."""
    import yaml as pyyaml

    try:
        return bool(safe_data(text) == data)
    except pyyaml.YAMLError:
        return False


def _same_data(one: str, other: str) -> bool:
    import yaml as pyyaml

    try:
        return bool(safe_data(one) == safe_data(other))
    except pyyaml.YAMLError:
        return False


def _line_ending(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


class MapText:
    """A map's YAML text and its round-trip data, kept between edits.

    Reading the text with ruamel costs more than the rest of an edit; the data
    read once serves every edit that follows (:meth:`propose`, then
    :meth:`commit` or :meth:`discard`).

    Examples
    --------
    >>> doc = MapText("touchpoints:\\n  - {id: shop, stage: buy}\\n")
    >>> text = doc.propose(Edit("touchpoint-set", ("shop",), "channel", "web"))
    >>> doc.commit(text)
    >>> print(doc.text, end="")
    touchpoints:
      - {id: shop, stage: buy, channel: web}
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._yaml = _yaml(text)
        self._data: Any = None
        self._dumped = ""

    def prepare(self) -> None:
        """Read the text now (it is read at the first edit otherwise)."""
        self._loaded()

    def _loaded(self) -> Any:
        if self._data is None:
            data = self._yaml.load(self.text)
            if not hasattr(data, "insert"):
                raise MapError([Problem("the map is not a YAML mapping; fix the file first")])
            self._data, self._dumped = data, ""
        return self._data

    def propose(self, edit: Edit) -> str:
        """The text with ``edit`` made; the data holds it until :meth:`commit` or
        :meth:`discard`."""
        if edit.kind == RESTORE:
            self._data = None
            return str(edit.value)
        if edit.kind not in _APPLY:
            raise MapError([Problem(f"unknown edit {edit.kind!r}; one of {', '.join(EDIT_KINDS)}")])
        text = self.text.replace("\r\n", "\n").lstrip("\ufeff")
        data = self._loaded()
        entity = _entity_of(data, edit)
        before = "" if entity is None else self._fragment(*entity)
        try:
            _APPLY[edit.kind](data, edit)
        except Exception:
            self.discard()
            raise
        written = None
        if entity is not None:
            # Only the edited entity written out again: the whole map costs far more.
            written = _merged(text, before, self._fragment(*entity))
            if not _reads_as(written, data):
                written = None
        if written is None:
            self._dumped = self._dumped or _dumped(self._yaml, self._yaml.load(self.text))
            after = _dumped(self._yaml, data)
            written = _merged(text, self._dumped, after)
            written = written if _same_data(written, after) else after
        if _line_ending(self.text) == "\r\n":
            written = written.replace("\r\n", "\n").replace("\n", "\r\n")
        if self.text.startswith("\ufeff") and not written.startswith("\ufeff"):
            written = "\ufeff" + written
        return written

    def _fragment(self, section: str, entity: Any) -> str:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        return _dumped(self._yaml, CommentedMap({section: CommentedSeq([entity])}))

    def commit(self, text: str) -> None:
        """Keep the proposed edit: ``text`` is what :meth:`propose` gave."""
        self.text, self._dumped = text, ""  # the whole map written out, when next needed

    def discard(self) -> None:
        """Forget the proposed edit (the text is read again at the next one)."""
        self._data = None


def apply_edit(text: str, edit: Edit) -> str:
    """The map's YAML ``text`` with ``edit`` made, everything else as it was written.

    Raises :class:`~journeygraph.exceptions.MapError` when the edit names
    something the map does not hold or a value of the wrong kind. The result is
    not checked as a map here: the caller loads it, and refuses it if invalid.

    Examples
    --------
    >>> text = "touchpoints:\\n  # the shop\\n  - {id: shop, stage: buy}\\n"
    >>> print(apply_edit(text, Edit("raci", ("shop", "sales", "R"), value=True)), end="")
    touchpoints:
      # the shop
      - {id: shop, stage: buy, owners: {R: sales}}
    """
    return MapText(text).propose(edit)


def inverse(edit: Edit, was: Any) -> Edit:
    """The edit that undoes ``edit``, made where the map held ``was``.

    Examples
    --------
    >>> inverse(Edit("raci", ("shop", "sales", "R"), value=True), False)
    Edit(kind='raci', target=('shop', 'sales', 'R'), field='', value=False, was=True)
    """
    kind = edit.kind
    if kind == "raci":
        return Edit(kind, edit.target, value=was, was=edit.value)
    if kind in ("transition-add", "transition-remove"):
        other = "transition-remove" if kind == "transition-add" else "transition-add"
        return Edit(other, edit.target, was=kind == "transition-add")
    if kind.endswith("-add") and kind in _ADDS:
        return Edit(kind.replace("-add", "-remove"), edit.target, was=True)
    if kind in ("handoff-add", "handoff-remove"):
        return Edit("handoff-remove", edit.target, was=True)
    return Edit(
        kind, edit.target, edit.field, value=was, was=_plain(_typed(edit.field, edit.value))
    )
