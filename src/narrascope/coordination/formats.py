"""A coordination network written out: JSON Lines or CSV (one edge a row), GEXF or GraphML (for Gephi).

CSV cells that a spreadsheet would run as a formula (an author named ``=HYPERLINK(...)``) get a leading ``'``.

GEXF and GraphML carry the nodes with their attributes (``actions``, ``posts``, ``first``, ``last``)
and the edges with ``weight``, ``co_actions``, ``first``, ``last``, ``kind`` and the evidence as a
JSON string; networkx writes them (imported only for these two formats).
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import IO

from narrascope.coordination.network import Network

FORMATS = ("jsonl", "csv", "gexf", "graphml")
#: characters XML 1.0 cannot hold: shown as ``\\xNN`` in GEXF and GraphML
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
CSV_COLUMNS = ("kind", "source", "target", "weight", "co_actions", "first", "last", "evidence")
#: a cell a spreadsheet would run as a formula (as ``narrascope export`` defuses it)
_FORMULA = re.compile(r"^[=+\-@\t\r]")


def _cell(value: object) -> object:
    """A CSV cell that Excel, LibreOffice and Google Sheets show as text: a leading ``'`` before a formula
    start, a NUL as U+2400 (as ``narrascope export`` writes CSV)."""
    if not isinstance(value, str):
        return value
    value = value.replace("\x00", "\u2400")
    return "'" + value if _FORMULA.match(value) else value


def _xml(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def _graph(network: Network):  # type: ignore[no-untyped-def]
    import networkx as nx

    graph = nx.Graph(kind=network.kind, window_seconds=network.window)
    for n in network.nodes:
        graph.add_node(_xml(n.id), label=_xml(n.id), actions=n.actions, posts=n.posts, first=n.first, last=n.last)
    for e in network.edges:
        graph.add_edge(_xml(e.source), _xml(e.target), weight=e.weight, co_actions=e.co_actions, first=e.first,
                       last=e.last, kind=e.kind, evidence=_xml(json.dumps(e.evidence, ensure_ascii=False)))
    return graph


def write_network(network: Network, format: str, out: IO[str]) -> None:
    """Write ``network`` to the text stream ``out`` in ``format`` (one of :data:`FORMATS`)."""
    if format not in FORMATS:
        raise ValueError(f"{format!r} is not a network format; choose one of {', '.join(FORMATS)}")
    if format == "jsonl":
        for e in network.edges:
            out.write(json.dumps(e.to_dict(), ensure_ascii=False) + "\n")
    elif format == "csv":
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for e in network.edges:
            row = e.to_dict()
            row["evidence"] = json.dumps(e.evidence, ensure_ascii=False)
            writer.writerow([_cell(row[c]) for c in CSV_COLUMNS])
    else:
        import networkx as nx

        buffer = io.BytesIO()
        write = nx.write_gexf if format == "gexf" else nx.write_graphml
        write(_graph(network), buffer)
        out.write(buffer.getvalue().decode("utf-8"))
