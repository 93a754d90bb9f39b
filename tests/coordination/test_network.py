"""Coordination networks built from posts: co-actions, weights, the window, evidence, clusters."""

from __future__ import annotations

import numpy as np

from narrascope.coordination.actions import Post, to_actions
from narrascope.coordination.clusters import cluster_signals, find_clusters
from narrascope.coordination.generated import generate
from narrascope.coordination.network import build_network, estimate_window, iso

T0 = 1_714_564_800.0  # 2024-05-01T12:00:00Z
SLOGAN = "Vote no on the harbour deal, the council sold our port to foreign investors behind our backs"


def _campaign(members, threads, text=SLOGAN, spacing=20.0, start=T0):
    return [Post(f"{m}-{t}", f"d{t}", m, start + t * 86400 + k * spacing, text + ("" if k % 2 else " today"))
            for t in range(threads) for k, m in enumerate(members)]


def test_authors_posting_one_text_together_again_and_again_are_joined():
    posts = _campaign(["a", "b", "c"], threads=4)
    posts.append(Post("a-again", "d0", "a", T0 + 5, SLOGAN))  # within the same episode: no extra co-action
    posts += [Post(f"o{k}", f"d{k}", f"someone{k}", T0 + k * 3600, f"my own thoughts number {k} on this")
              for k in range(4)]
    network = build_network(to_actions("co-text", posts), window=120, min_weight=3)
    assert [(e.source, e.target, e.weight, e.co_actions) for e in network.edges] == [
        ("a", "b", 4.0, 4), ("a", "c", 4.0, 4), ("b", "c", 4.0, 4)]
    ab = network.edges[0]
    assert ab.first == "2024-05-01T12:00:00Z" and ab.last == "2024-05-04T12:00:20Z"
    assert [x["ids"] for x in ab.evidence] == [["a-0", "b-0"], ["a-1", "b-1"], ["a-2", "b-2"], ["a-3", "b-3"]]
    assert ab.evidence[1] == {"shared": SLOGAN + " today", "ids": ["a-1", "b-1"], "documents": ["d1", "d1"],
                              "times": ["2024-05-02T12:00:00Z", "2024-05-02T12:00:20Z"]}
    assert [(n.id, n.actions) for n in network.nodes] == [("a", 5), ("b", 4), ("c", 4)]
    assert network.window_note == "window: 120 s (given)"
    # a and c are 40 s apart: a 30 s window keeps only the neighbours
    narrow = build_network(to_actions("co-text", posts), window=30, min_weight=3)
    assert [(e.source, e.target) for e in narrow.edges] == [("a", "b"), ("b", "c")]


def test_a_text_that_everybody_uses_counts_for_little():
    posts = [Post(f"p{d}-{k}", f"d{d}", f"u{k}", T0 + d * 86400 + k, "Thanks for sharing this with us")
             for d in range(5) for k in range(30)]
    actions = to_actions("co-text", posts)
    assert build_network(actions, window=60, min_weight=3).edges == []
    weak = build_network(actions, window=60, min_weight=1, common_above=10)
    edge = next(e for e in weak.edges if (e.source, e.target) == ("u0", "u1"))
    assert edge.co_actions == 5 and edge.weight == round(5 * 10 / 30, 3)


def test_links_are_compared_normalised_and_texts_around_them_do_not_matter():
    link = ["https://www.news.example/story/?utm_source=a", "http://news.example/story", "https://news.example/story/#c"]
    posts = [Post(f"{m}{t}", f"d{t}", m, T0 + t * 86400 + k, f"look {k} {t} {link[k]} wow")
             for t in range(3) for k, m in enumerate("xyz")]
    network = build_network(to_actions("co-link", posts), window=10, min_weight=3)
    assert [(e.source, e.target, e.co_actions) for e in network.edges] == [("x", "y", 3), ("x", "z", 3), ("y", "z", 3)]
    assert network.edges[0].evidence[0]["shared"] == "news.example/story"


def test_the_window_is_estimated_from_the_quickest_runs():
    key = np.array([0, 0, 1, 1, 1, 2, 2, 3, 3])
    author = np.array([0, 1, 0, 1, 2, 0, 1, 2, 2])
    time = np.array([0, 30, 100, 160, 700, 1000, 1500, 5000, 5001], dtype=float)
    # runs with two authors: key 0 (30 s to its median), key 1 (60 s), key 2 (500 s); key 3 is one author
    assert estimate_window(key, author, time, quantile=0.5) == (60.0, 3)
    assert estimate_window(key, author, time, quantile=0.0) == (30.0, 3)
    # a key repeated days apart is several runs, not one slow one
    days = np.array([0, 40, 86400, 86440], dtype=float)
    assert estimate_window(np.zeros(4, dtype=int), np.array([0, 1, 0, 1]), days) == (40.0, 2)
    network = build_network(to_actions("co-text", _campaign(["a", "b", "c"], threads=4)), window="auto")
    assert network.window == 20.0 and network.window_note.startswith("window auto: 20 s")


def test_bad_posts_leave_an_empty_network_with_notes():
    nameless = [Post("1", "d", None, T0, SLOGAN), Post("2", "d", " ", T0, SLOGAN)]
    timeless = [Post("3", "d", "a", None, SLOGAN), Post("4", "d", "b", float("nan"), SLOGAN)]
    network = build_network(to_actions("co-text", nameless + timeless))
    assert network.edges == [] and network.nodes == []
    assert network.notes == ["2 posts without an author left out (a network joins named authors)",
                             "2 posts without a time left out (a co-action is two actions within the window)",
                             "0 named author(s) with a time: no pair can act together, the network is empty"]
    alone = build_network(to_actions("co-text", [Post(str(i), "d", "solo", T0, SLOGAN) for i in range(5)]))
    assert alone.edges == [] and alone.notes[-1].startswith("1 named author(s)")
    same_second = [Post(f"{m}{t}", f"d{t}", m, T0 + t * 86400, SLOGAN) for t in range(3) for m in "abc"]
    tied = build_network(to_actions("co-text", same_second), window="auto")
    assert tied.window == 1.0 and [(e.source, e.target, e.co_actions) for e in tied.edges] == [
        ("a", "b", 3), ("a", "c", 3), ("b", "c", 3)]


def test_clusters_summarise_members_what_they_shared_and_where():
    posts = _campaign(["a", "b", "c"], threads=4) + _campaign(["p", "q", "r", "s"], threads=3,
                                                              text="Buy the miracle cure today at the corner shop "
                                                                   "before the government bans it forever",
                                                              start=T0 + 3600)
    network = build_network(to_actions("co-text", posts), window=120, min_weight=3)
    clusters = find_clusters(network)
    assert [c.members for c in clusters] == [["p", "q", "r", "s"], ["a", "b", "c"]]
    abc = clusters[1]
    assert abc.co_actions == 12 and abc.weight == 12.0 and abc.first == iso(T0) and abc.last == iso(T0 + 3 * 86400 + 40)
    assert sorted(d for d, _ in abc.places) == ["d0", "d1", "d2", "d3"]
    assert abc.shared == [(SLOGAN + " today", 8), (SLOGAN, 4)]  # each co-action shows its source's own words
    signal = cluster_signals(clusters, network.window)[1]
    assert signal.kind == "network_cluster" and signal.authors == ["a", "b", "c"]
    assert len(signal.comment_ids) == 12 and signal.evidence["network"] == "co-text"
    assert signal.evidence["edges"] == [["a", "b", 4.0], ["a", "c", 4.0], ["b", "c", 4.0]]


def _clusters(corpus, kinds=("co-text", "co-link")):
    posts = [Post(str(i), str(corpus.thread[i]), corpus.author[i], float(corpus.time[i]), corpus.text[i])
             for i in range(len(corpus))]
    return [c for kind in kinds for c in find_clusters(build_network(to_actions(kind, posts))) if len(c.members) >= 3]


def test_planted_groups_are_found_in_a_generated_corpus_and_nothing_in_its_background():
    corpus = generate(15_000, groups=5, seed=3)
    found = _clusters(corpus)
    planted = {a for g in corpus.groups for a in g}
    flagged = {a for c in found for a in c.members}
    assert len(flagged & planted) / len(flagged) >= 0.9 and len(flagged & planted) / len(planted) >= 0.9
    assert sorted(c.members for c in found) == sorted(corpus.groups)
    assert _clusters(generate(15_000, groups=0, seed=4), ("co-text", "co-link")) == []


def test_two_authors_who_act_everywhere_meet_by_chance_and_are_no_pair():
    posts = []
    for k in range(200):  # both answer 200 comments; 5 times within a minute of each other
        posts += [Post(f"h1-{k}", "d", "heavy1", T0 + k * 3600, f"parent{k}"),
                  Post(f"h2-{k}", "d", "heavy2", T0 + k * 3600 + (30 if k < 5 else 1800), f"parent{k}")]
    for k in range(5):  # two light accounts: every one of their answers together
        posts += [Post(f"l1-{k}", "d", "light1", T0 + 500 + k * 3600, f"other{k}"),
                  Post(f"l2-{k}", "d", "light2", T0 + 510 + k * 3600, f"other{k}")]
    network = build_network(to_actions("co-reply", posts), window=60, min_weight=3)
    assert [(e.source, e.target, e.co_actions) for e in network.edges] == [("light1", "light2", 5)]
    assert network.notes == ["1 pairs of weight 3 or more left out: their co-actions are under 5% of their actions, "
                             "as happens by chance to authors who act everywhere"]
    everyone = build_network(to_actions("co-reply", posts), window=60, min_weight=3, min_share=0)
    assert [(e.source, e.target) for e in everyone.edges] == [("heavy1", "heavy2"), ("light1", "light2")]


def test_authors_who_never_act_together_give_no_edge():
    posts = [Post("1", "d", "a", T0, SLOGAN), Post("2", "d", "b", T0 + 86400, SLOGAN)]
    network = build_network(to_actions("co-text", posts), window=60, min_weight=1)
    assert network.edges == [] and network.notes == ["no two authors acted together with weight 1 or more within 60 s"]


def test_a_weak_bridge_does_not_merge_two_groups():
    from narrascope.coordination.network import Edge, Network

    def clique(members, weight):
        return [Edge("co-text", a, b, weight, int(weight), "2024-05-01T12:00:00Z", "2024-05-02T12:00:00Z")
                for k, a in enumerate(members) for b in members[k + 1:]]

    left, right = [f"l{k}" for k in range(7)], [f"r{k}" for k in range(7)]
    edges = clique(left, 9.0) + clique(right, 8.0) + [Edge("co-text", "l0", "r0", 3.0, 3, "x", "y")]
    clusters = find_clusters(Network("co-text", 60, "", [], edges))  # one component of 14: split by Louvain
    assert [c.members for c in clusters] == [left, right]
    assert clusters[0].co_actions == 21 * 9 and clusters[0].first == "2024-05-01T12:00:00Z"
    small = find_clusters(Network("co-text", 60, "", [], clique(left[:3], 5.0) + clique(right[:3], 5.0)
                                  + [Edge("co-text", "l0", "r0", 3.0, 3, "x", "y")]))
    assert [c.members for c in small] == [left[:3] + right[:3]]  # a component of 6 is kept whole
