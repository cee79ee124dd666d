"""The Cypher files shipped with journeygraph (``cypher/`` in a checkout).

Each file starts with a comment that says what it answers, its parameters
(``$name``) and the columns it returns; `Query` reads that header so that the
linter, the tests and ``journeygraph neo4j query`` all know a query's
parameters without running it.

Examples
--------
>>> q = query("audit/dead-end")
>>> q.parameters, q.returns
(('journey', 'revision'), ('entities',))
>>> [q.name for q in queries("explore")][:2]
['explore/coverage-matrix', 'explore/department-touchpoints']
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from journeygraph.exceptions import JourneyGraphError

__all__ = [
    "Query",
    "folder",
    "names",
    "parse_parameters",
    "queries",
    "query",
    "statements",
    "used_parameters",
]

_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class Query:
    """One Cypher file: its text and what its header declares.

    Attributes
    ----------
    name
        The path inside ``cypher/`` without ``.cypher``, e.g. ``audit/loop``.
    text
        The whole file.
    answers
        The header's ``Answers:`` sentence.
    parameters
        The names declared on the ``Parameters:`` line(s), in order.
    returns
        The column names declared on the ``Returns:`` line(s), in order.
    browser
        The ``Browser:`` line: a Neo4j Browser command (``:params {...}``) that
        sets example values of the parameters (on the B2B example), so that the
        query can be pasted and run as it is.
    phrase
        The ``Phrase:`` line of a Bloom search phrase (``bloom/``), its
        parameters written ``$name``.
    """

    name: str
    text: str
    answers: str
    parameters: tuple[str, ...]
    returns: tuple[str, ...]
    browser: str = ""
    phrase: str = ""

    @property
    def path(self) -> str:
        """Where the file is, relative to the ``cypher`` folder."""
        return f"{self.name}.cypher"


def folder() -> Traversable:
    """The installed ``cypher`` folder."""
    return resources.files("journeygraph").joinpath("cypher")


def query(name: str) -> Query:
    """The shipped query ``name`` (e.g. ``audit/loop``)."""
    return parse(name, folder().joinpath(f"{name}.cypher").read_text(encoding="utf-8"))


def queries(group: str) -> Iterator[Query]:
    """The shipped queries of a group (``audit``, ``explore``, ``sync``, ``bloom``, ``gds``,
    ``migrate``)."""
    files = sorted(
        (path for path in folder().joinpath(group).iterdir() if path.name.endswith(".cypher")),
        key=lambda path: path.name,
    )
    for path in files:
        yield parse(f"{group}/{Path(path.name).stem}", path.read_text(encoding="utf-8"))


def names() -> list[str]:
    """The names of every shipped query, ``schema`` included.

    Examples
    --------
    >>> "audit/loop" in names() and "schema" in names()
    True
    """
    found = ["schema"]
    for group in ("audit", "explore", "sync", "bloom", "gds", "migrate"):
        found += [q.name for q in queries(group)]
    return found


def used_parameters(text: str) -> list[str]:
    """The ``$parameters`` the query text uses (comments left out), in order.

    Examples
    --------
    >>> used_parameters("// $old\\nMATCH (n {id: $id}) RETURN n LIMIT $limit")
    ['id', 'limit']
    """
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    return list(dict.fromkeys(_PARAMETER.findall(body)))


def parse(name: str, text: str) -> Query:
    """A query with its header read.

    Examples
    --------
    >>> q = parse("x", "// Answers: all.\\n// Parameters: $a (id), $b.\\n"
    ...           "// Returns: id, name.\\nMATCH (n) RETURN n.id AS id, n.name AS name")
    >>> q.answers, q.parameters, q.returns
    ('all.', ('a', 'b'), ('id', 'name'))
    """
    header: dict[str, str] = {}
    current = None
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        body = line[2:].strip()
        match = re.match(r"(Answers|Phrase|Parameters|Browser|Returns):\s*(.*)", body)
        if match:
            current = match.group(1)
            header[current] = match.group(2)
        elif current and body and line.startswith("//   "):
            header[current] += " " + body
        else:
            current = None
    parameters = tuple(dict.fromkeys(_PARAMETER.findall(header.get("Parameters", ""))))
    returns = header.get("Returns", "").strip()
    columns = () if returns.startswith("nothing") else _columns(returns)
    answers = header.get("Answers", "")
    return Query(
        name,
        text,
        answers,
        parameters,
        columns,
        header.get("Browser", ""),
        header.get("Phrase", ""),
    )


def _columns(declared: str) -> tuple[str, ...]:
    # Column names are the words before a parenthesis, comma or the end, at the
    # top level of the sentence: "entities (the id), touchpoints (how many)".
    depth, top = 0, []
    for char in declared:
        depth += char == "("
        if depth == 0:
            top.append(char)
        depth -= char == ")" and depth > 0
    # The list ends at the first full stop; what follows explains it.
    listed = re.split(r"\.(?:\s|$)", "".join(top))[0]
    names = []
    for part in re.split(r",|\band\b", listed):
        word = part.strip()
        if re.fullmatch(r"[a-z_][a-z0-9_]*", word):
            names.append(word)
    return tuple(names)


def statements(text: str) -> list[str]:
    """The statements of a file of several, split on ``;`` at line ends, comments dropped.

    Examples
    --------
    >>> statements("// a comment\\nRETURN 1;\\n\\nRETURN 2;\\n")
    ['RETURN 1', 'RETURN 2']
    """
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    return [s.strip() for s in re.split(r";\s*$", body, flags=re.MULTILINE) if s.strip()]


_PARAM = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(:?=)(.*)", re.DOTALL)


def parse_parameters(given: list[str]) -> dict[str, Any]:
    """``name=text`` as a string, ``name:=json`` as a JSON value (number, list, ...).

    Examples
    --------
    >>> parse_parameters(["journey=b2b-saas", "limit:=5", "ids:=[\\"a\\", \\"b\\"]"])
    {'journey': 'b2b-saas', 'limit': 5, 'ids': ['a', 'b']}
    """
    values: dict[str, Any] = {}
    for item in given:
        match = _PARAM.fullmatch(item)
        if match is None:
            raise JourneyGraphError(
                f"--param {item!r}: write name=text, or name:=json for numbers, booleans and lists"
            )
        name, kind, raw = match.groups()
        if kind == ":=":
            try:
                values[name] = json.loads(raw)
            except json.JSONDecodeError as e:
                raise JourneyGraphError(
                    f"--param {name}: {raw!r} is not JSON ({e.msg} at column {e.colno}); "
                    f"for text write {name}={raw}"
                ) from None
        else:
            values[name] = raw
    return values
