"""Clusters of a coordination network: authors joined by strong edges, and what they did together.

A cluster is a connected component of the edges at or above the network's weight threshold; a
component of more than ``split_above`` authors is split into Louvain communities (networkx), so
that one weak bridge does not merge two groups. Each cluster is summarised with its members, what
they shared most, when, and in which threads or channels, and becomes a ``network_cluster`` signal.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from narrascope.coordination.network import Edge, Network
from narrascope.coordination.signals import Signal


@dataclass
class Cluster:
    """Authors who acted together, with the edges that join them and a summary of their evidence."""

    kind: str
    members: list[str]
    edges: list[Edge]
    weight: float
    co_actions: int
    first: str
    last: str
    shared: list[tuple[str, int]] = field(default_factory=list)  # (what, co-actions) most first
    places: list[tuple[str, int]] = field(default_factory=list)  # (thread or channel, co-actions)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "members": self.members, "size": len(self.members), "weight": self.weight,
                "co_actions": self.co_actions, "first": self.first, "last": self.last,
                "shared": [{"what": w, "co_actions": n} for w, n in self.shared],
                "places": [{"document": d, "co_actions": n} for d, n in self.places],
                "edges": [[e.source, e.target, e.weight] for e in self.edges]}


def _components(edges: list[Edge]) -> list[list[str]]:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for e in edges:
        parent[find(e.source)] = find(e.target)
    groups: dict[str, list[str]] = defaultdict(list)
    for x in list(parent):
        groups[find(x)].append(x)
    return [sorted(g) for g in groups.values()]


def _split(members: list[str], edges: list[Edge]) -> list[list[str]]:
    import networkx as nx

    graph = nx.Graph()
    graph.add_weighted_edges_from((e.source, e.target, e.weight) for e in edges)
    return [sorted(c) for c in nx.community.louvain_communities(graph, weight="weight", seed=1) if len(c) > 1]


def find_clusters(network: Network, split_above: int = 12, min_size: int = 2, top: int = 5) -> list[Cluster]:
    """Clusters of ``network`` with at least ``min_size`` members, largest (then heaviest) first."""
    out = []
    components = _components(network.edges)
    home = {m: n for n, component in enumerate(components) for m in component}
    by_component: dict[int, list[Edge]] = defaultdict(list)
    for e in network.edges:
        by_component[home[e.source]].append(e)
    for n, component in enumerate(components):
        edges = by_component[n]
        parts = _split(component, edges) if len(component) > split_above else [component]
        for part in parts:
            if len(part) < min_size:
                continue
            members = set(part)
            mine = [e for e in edges if e.source in members and e.target in members]
            shared: Counter[str] = Counter()
            places: Counter[str] = Counter()
            for e in mine:
                for item in e.evidence:
                    shared[item["shared"]] += 1
                    if not e.places:  # an edge made without its places: its evidence's
                        places.update(set(item["documents"]))
                places.update(e.places)
            out.append(Cluster(network.kind, part, mine, round(sum(e.weight for e in mine), 3),
                               sum(e.co_actions for e in mine), min(e.first for e in mine),
                               max(e.last for e in mine), shared.most_common(top), places.most_common(top)))
    return sorted(out, key=lambda c: (-len(c.members), -c.weight, c.members))


def mask_flagged(items: list[dict[str, Any]], flagged: dict[str, str], show: bool = False,
                 option: str = "--show-flagged") -> None:
    """Hide the shared text of co-actions (``{"shared", "ids", ...}``) whose posts the toxicity layer
    flagged (``flagged``: post id -> label), as every view of flagged text does unless ``show``."""
    from narrascope.toxicity.masking import mask

    for item in items:
        label = next((flagged[i] for i in item.get("ids", []) if i in flagged), None)
        item["shared"] = mask(item["shared"], label, show, option)


def mask_cluster(evidence: dict[str, Any], flagged: dict[str, str], show: bool = False,
                 option: str = "--show-flagged") -> None:
    """:func:`mask_flagged` for a stored cluster's evidence: its co-actions and its summary of what was shared."""
    from narrascope.toxicity.masking import mask

    labels = {item["shared"]: flagged[i] for item in evidence.get("co_actions_shown", [])
              for i in item.get("ids", []) if i in flagged}
    mask_flagged(evidence.get("co_actions_shown", []), flagged, show, option)
    for x in evidence.get("shared", []):
        x["what"] = mask(x["what"], labels.get(x["what"]), show, option)


def cluster_signals(clusters: list[Cluster], window: float) -> list[Signal]:
    """One ``network_cluster`` signal per cluster: members as authors, evidence ids as comments."""
    signals = []
    for c in clusters:
        ids = sorted({i for e in c.edges for item in e.evidence for i in item["ids"]})
        docs = sorted({d for e in c.edges for item in e.evidence for d in item["documents"]}
                      | {d for e in c.edges for d in e.places})
        summary = (f"{len(c.members)} authors acted together {c.co_actions} times ({c.kind}, window {window:g} s) "
                   f"in {len(docs)} threads or channels, from {c.first} to {c.last}")
        evidence = {"network": c.kind, "window_seconds": window, **c.to_dict(),
                    "co_actions_shown": [{"source": e.source, "target": e.target, **item}
                                         for e in c.edges for item in e.evidence]}
        signals.append(Signal("network_cluster", c.weight, summary, ids, c.members, docs, evidence))
    return signals
