"""The journey customers actually took: the observed flow, in DuckDB or Spark.

Imports `journeygraph.evidence.reading` and `journeygraph.evidence.statistics`,
never `journeygraph.evidence.conformance`.
"""
