"""The workshop: a live journey map that a room edits together in the browser.

``journeygraph serve MAP...`` (the optional extra ``journeygraph[serve]``) runs
:func:`serve`; :func:`~journeygraph.serve.app.create_app` is the web app,
:mod:`~journeygraph.serve.document` the edits made to a map's text, and
:mod:`~journeygraph.serve.session` one map served to a room.
"""

from __future__ import annotations

from journeygraph.serve.run import serve

__all__ = ["serve"]
