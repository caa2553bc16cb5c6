"""What a Spark cluster's executors call when boardroom reads a register
there (``boardroom analyse --engine spark``): not an API.

Each call reads one bucket of statements with boardroom's own reader (the
one definition of control decides each hop, as on one machine) and returns
its rows, tagged, for the cluster to number and join. The Spark engine
names this function in the command it sends, so the executors need this
package installed (``pip install boardroom``), and nothing else.
"""

from __future__ import annotations

import pyarrow as pa

from . import _native


def read_bucket(table: pa.Table) -> pa.Table:
    """One bucket's statements (``line``, ``value``, ``routed``, with the
    options ``as_of`` and ``fallback`` as columns) to its rows."""
    if table.num_rows == 0:
        return pa.table({"tag": pa.array([], pa.string()), "row": pa.array([], pa.string())})
    as_of = table.column("as_of")[0].as_py()
    fallback = bool(table.column("fallback")[0].as_py())
    tags, rows = _native.spark_bucket(
        table.column("line").to_pylist(),
        table.column("value").to_pylist(),
        table.column("routed").to_pylist(),
        as_of,
        fallback,
    )
    return pa.table({"tag": pa.array(tags, pa.string()), "row": pa.array(rows, pa.string())})
