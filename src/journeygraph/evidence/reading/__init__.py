"""Reading event logs into DuckDB: CSV, Parquet, XES and OCEL 2.0, within their limits.

The lowest room of `journeygraph.evidence`: it imports none of the others.
`log.read_log` is the one entry; `xes` and `ocel` turn those formats into the
rows it loads, `guard` and `limits` bound what a read may cost, `names` maps
a log's names to the map's ids, and `tables` names the DuckDB tables every
room queries.
"""
