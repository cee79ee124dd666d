"""Figures over a log's journeys: Markov expectations, throughput and waits.

Imports only `journeygraph.evidence.reading` (the tables it queries).
"""
