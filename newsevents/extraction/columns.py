"""How a column is declared: its name, type and the description that travels in the Parquet file (and
is listed in docs/columns.md); and the column types shared by the datasets and the event types' own columns.
``newsevents.schemas`` assembles the datasets from these."""
from __future__ import annotations

import pyarrow as pa


def column(name: str, typ: pa.DataType, nullable: bool = True, doc: str = "") -> pa.Field:
    """A field whose description travels in the Parquet file (and is listed in docs/columns.md)."""
    return pa.field(name, typ, nullable, metadata={"doc": doc} if doc else None)


AMOUNT_TYPE = pa.struct([
    column("text", pa.string()),
    column("value", pa.float64()),
    column("currency", pa.string()),
    column("usd", pa.float64()),
])
