"""The scenario format (version 1): a small file of changes laid over a journey map.

A scenario is the redesign a consultant proposes, written as changes to the
as-is map: move a touchpoint's Responsible or Accountable to another function,
declare, drop or rescope a handoff, add or drop a function, move it to another
department or change its FTE, change a touchpoint's volume or handle time, add
or drop a transition. Each change is a mapping with one key, its kind, so that
the file reads as the list of decisions it is.

Examples
--------
>>> s = Scenario.model_validate({
...     "version": 1,
...     "name": "Adviser checks documents",
...     "changes": [{"move_role": {"touchpoint": "check", "role": "R", "to": "adviser"}}],
... })
>>> s.changes[0].kind, s.changes[0].detail.to
('move_role', 'adviser')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from journeygraph.model import (
    Duration,
    Handoff,
    Id,
    JobFunction,
    Number,
    _Model,
    _quoted_number,
)
from journeygraph.roles import Role

if TYPE_CHECKING:
    from journeygraph.io.source import SourceMap

__all__ = [
    "CHANGE_KINDS",
    "SCENARIO_VERSION",
    "AddTransition",
    "Change",
    "ChangeFunction",
    "ChangeTouchpoint",
    "FunctionRef",
    "HandoffRef",
    "MoveRole",
    "RescopeHandoff",
    "Scenario",
]

SCENARIO_VERSION = 1
"""The scenario format's version."""


class MoveRole(_Model):
    """Give a touchpoint's role (R, A, C or I) to another function."""

    touchpoint: Id
    """Id of the touchpoint."""
    role: Role
    """The role moved: ``R``, ``A``, ``C`` or ``I``."""
    from_: Id | None = Field(default=None, alias="from")
    """Id of the function that gives the role up; without it, every function that holds it."""
    to: Id
    """Id of the function that takes the role."""


class HandoffRef(_Model):
    """The declared handoffs from one function to another."""

    from_: Id = Field(alias="from")
    """Id of the function handing over."""
    to: Id
    """Id of the function taking over."""


class RescopeHandoff(HandoffRef):
    """New terms for the declared handoffs from one function to another: only the keys
    given change (``sla: null`` drops the SLA, ``at: []`` covers every transition)."""

    name: str | None = None
    """New name of the procedure."""
    sla: Duration | None = None
    """New SLA: ``4h``, ``2d``, ``1w``."""
    at: list[tuple[Id, Id]] | None = None
    """New transitions ``[from-touchpoint, to-touchpoint]`` the procedure covers."""


class FunctionRef(_Model):
    """A function, by id; written as the id alone or as ``{function: id}``."""

    function: Id
    """Id of the function."""


class ChangeFunction(_Model):
    """Move a function to another department, or change its FTE: only the keys given change
    (``department: null`` takes it out of any department, ``fte: null`` forgets the FTE)."""

    function: Id
    """Id of the function."""
    department: Id | None = None
    """Id of its new department."""
    fte: Number | None = Field(default=None, ge=0.01)
    """Its new number of full-time people."""


class ChangeTouchpoint(_Model):
    """Change a touchpoint's volume or handle time: only the keys given change."""

    touchpoint: Id
    """Id of the touchpoint."""
    volume: Number | None = Field(default=None, ge=0)
    """Customers a month who meet it."""
    handle_minutes: Number | None = Field(default=None, ge=0)
    """Minutes of work per customer for its Responsible functions."""


class AddTransition(_Model):
    """A transition between two touchpoints of the map."""

    from_: Id = Field(alias="from")
    """Id of the touchpoint customers leave."""
    to: Id
    """Id of the touchpoint they go to."""
    weight: Number | None = Field(default=None, gt=0)
    """Relative share of customers taking it (for ``add_transition``)."""


class Change(_Model):
    """One change of a scenario: a mapping with exactly one of these keys."""

    move_role: MoveRole | None = None
    """Give a touchpoint's R, A, C or I to another function."""
    add_handoff: Handoff | None = None
    """Declare a handoff procedure (as in a map's ``handoffs``)."""
    remove_handoff: HandoffRef | None = None
    """Drop the declared handoffs from one function to another."""
    rescope_handoff: RescopeHandoff | None = None
    """Change the SLA, name or covered transitions of declared handoffs."""
    add_function: JobFunction | None = None
    """Add a job function (as in a map's ``functions``)."""
    remove_function: FunctionRef | None = None
    """Drop a function: its roles and handoffs go with it, its opportunities lose their owner."""
    change_function: ChangeFunction | None = None
    """Move a function to another department, or change its FTE."""
    change_touchpoint: ChangeTouchpoint | None = None
    """Change a touchpoint's volume or handle time."""
    add_transition: AddTransition | None = None
    """Add a transition between two touchpoints."""
    remove_transition: AddTransition | None = None
    """Drop a transition between two touchpoints (its ``weight`` is not read)."""

    # Laid over the base model's configuration, which pydantic keeps.
    model_config = ConfigDict(json_schema_extra={"minProperties": 1, "maxProperties": 1})

    @model_validator(mode="before")
    @classmethod
    def _one_kind(cls, value: Any) -> Any:
        if isinstance(value, dict):
            known = [k for k in value if k in cls.model_fields]
            if len(known) > 1:
                raise ValueError(
                    f"holds {len(known)} changes ({', '.join(known)}); "
                    "write each as its own item of the list"
                )
            if not value:
                raise ValueError(f"is empty; write one of {', '.join(CHANGE_KINDS)}")
        return value

    @field_validator("remove_function", mode="before", json_schema_input_type=Id | FunctionRef)
    @classmethod
    def _id_alone(cls, value: Any) -> Any:
        return {"function": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _given(self) -> Change:
        if all(getattr(self, k) is None for k in type(self).model_fields):
            raise ValueError(f"names no change; write one of {', '.join(CHANGE_KINDS)}")
        return self

    @property
    def kind(self) -> str:
        """The key this change was written under, e.g. ``move_role``."""
        return next(k for k in CHANGE_KINDS if getattr(self, k) is not None)

    @property
    def detail(self) -> Any:
        """The change's own model (a :class:`MoveRole`, a ``Handoff``, ...)."""
        return getattr(self, self.kind)


CHANGE_KINDS: tuple[str, ...] = tuple(Change.model_fields)
"""Every kind of change, in the order of the format reference."""


class Scenario(_Model):
    """A to-be scenario: changes applied, in order, to a journey map."""

    version: Annotated[Literal[1], BeforeValidator(_quoted_number)]
    """Format version; always ``1``."""
    name: str | None = None
    """What the redesign is called, e.g. *Agreed handoff from sales to fulfilment*."""
    description: str | None = None
    """Free text: why, and what it should change."""
    changes: list[Change] = Field(min_length=1)
    """The changes, applied in this order."""

    _source: SourceMap | None = PrivateAttr(default=None)

    @property
    def source(self) -> SourceMap | None:
        """Where each part of the scenario was read from, if it was read from a file."""
        return self._source
