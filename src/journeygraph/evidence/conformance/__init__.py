"""The observed journey against the map: the comparison, the log checks' context.

The top room of `journeygraph.evidence`, with the log checks
(`journeygraph.evidence.rules`): it may import every other room.
"""
