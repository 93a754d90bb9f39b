"""Five invented pages shaped like the real seed pages: partisan articles, long and short threads.

The densest article (technique spans per 1,000 characters of body) has 3 comments; the page with
the most comments (24) has the sparsest article, and the most technique spans once its comments'
spans are counted: a ranking by raw spans would put it first, the density ranking last.
Technique spans and toxicity labels are stored as their components store them (exact offsets);
claims and narratives come from the real components.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

DENSE = ("The so-called opposition is a gang of bloodthirsty thugs paid by foreign masters. "
         "Every sensible citizen already knows the truth. Either you stand with the nation or you stand with "
         "the traitors. No true patriot would question our soldiers. It is what it is. "
         "Unemployment doubled in the two years after the election.")
SPARSE = ("Officials in Minsk met suppliers on Tuesday to discuss fuel prices for households this winter. " * 6
          + "The ministry said sanctions have made imports more expensive. Critics answered that the figures are "
            "disputed. A spokesman refused to comment on the colour revolution claims. "
          + "The meeting ended without a statement about the border or the harbour strike. " * 4)
UNTITLED = ("Lukashenka told parliament that Belorussia will never bow to the West. Observers in the capital "
            "expect Tsikhanouskaya to answer from Vilnius next week. The vote on the new security law is set "
            "for Friday, and the opposition says the harbour strike will go on. ") * 2
UNDATED = ("The puppets of the West keep lying about the color revolution they planned. Their media spread "
           "rumours every day, and their agents provoke the police. The border stays closed until order is back.")
FORUM = "Thread: what happened on the square last night? Post your pictures and what you saw."

#: (page key, phrase, technique, span score, technique confidence)
SPANS = [
    ("dense", "a gang of bloodthirsty thugs", "Loaded_Language", 0.41, 0.97),
    ("dense", "so-called opposition", "Name_Calling,Labeling", 0.33, 0.93),
    ("dense", "Every sensible citizen already knows the truth", "Bandwagon,Reductio_ad_hitlerum", 0.27, 0.71),
    ("dense", "Either you stand with the nation or you stand with the traitors", "Black-and-White_Fallacy", 0.35,
     0.9),
    ("dense", "No true patriot would question our soldiers", "Flag-Waving", 0.3, 0.95),
    ("dense", "It is what it is", "Thought-terminating_Cliches", 0.22, 0.88),
    ("sparse", "made imports more expensive", "Causal_Oversimplification", 0.19, 0.62),
    ("sparse", "the figures are disputed", "Doubt", 0.24, 0.91),
    ("untitled", "will never bow to the West", "Flag-Waving", 0.29, 0.84),
    ("undated", "The puppets of the West", "Name_Calling,Labeling", 0.38, 0.96),
    ("undated", "keep lying", "Loaded_Language", 0.31, 0.9),
]
START = datetime(2020, 8, 16, 19, 0)


def sparse_comments() -> list[dict]:
    """24 comments: ordinary ones, each carrying one technique span, and one hateful comment with a toxic span."""
    out = [{"author": f"reader{i % 9}", "text": f"Prices went up again in our town, what a disgrace number {i}.",
            "posted": (START + timedelta(hours=3 * i)).isoformat(), "depth": 0} for i in range(23)]
    out.append({"author": "angryman", "text": "These vermin should be thrown out of the country, all of them.",
                "posted": (START + timedelta(hours=70)).isoformat(), "depth": 0})
    return out


def forum_comments() -> list[dict]:
    """Four comments over the first day, then 17 in 16 minutes of the next evening (a burst), then two
    spread over two more days."""
    out = [{"author": f"early{i}", "text": f"Quiet so far, hour {4 * i}.", "depth": 0,
            "posted": (START + timedelta(hours=5 * i)).isoformat()} for i in range(4)]
    evening = START + timedelta(days=1, hours=1)
    out += [{"author": f"witness{i % 6}", "text": f"I was there at 20:{i:02d}, police everywhere.",
             "posted": (evening + timedelta(minutes=i)).isoformat(), "depth": 0} for i in range(17)]
    out += [{"author": "latecomer", "text": f"Only saw it on the news, day {d}.",
             "posted": (START + timedelta(days=d, hours=5)).isoformat(), "depth": 0} for d in (2, 3)]
    return out


def pages() -> list[dict]:
    return [
        {"source": "https://truth-front.example/gang", "outlet": "truth-front.example", "kind": "article",
         "title": "The truth about the so-called opposition", "published": "2020-08-17T08:00:00Z", "body": DENSE,
         "comments": [{"author": "ivan", "text": "Well said.", "depth": 0},
                      {"author": "olga", "text": "Finally someone says it.", "depth": 0},
                      {"author": "petr", "text": "Where is the proof?", "depth": 1}]},
        {"source": "https://eastern-courier.example/fuel", "outlet": "eastern-courier.example", "kind": "article",
         "title": "Fuel prices talks in Minsk", "published": "2020-08-18T10:00:00Z", "body": SPARSE,
         "comments": sparse_comments()},
        {"source": "https://baltic-voice.example/news/7", "outlet": "baltic-voice.example", "kind": "article",
         "title": "", "published": "2020-08-19T09:00:00Z", "body": UNTITLED,
         "comments": [{"author": f"user{i}", "text": f"Comment {i} on the vote.", "depth": 0} for i in range(5)]},
        {"source": "https://puppet-watch.example/lies", "outlet": "puppet-watch.example", "kind": "article",
         "title": "They keep lying", "body": UNDATED, "comments": []},
        {"source": "https://square-forum.example/t/1", "outlet": "square-forum.example", "kind": "thread",
         "title": "What happened on the square last night", "published": "2020-08-16T18:30:00Z", "body": FORUM,
         "comments": forum_comments()},
    ]


def build(db: str, directory: Path) -> None:
    """Analyse the five pages into ``db`` (claims, narratives) and store technique and toxicity labels."""
    import duckdb

    from narrascope.corpus import Corpus

    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "seed.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in pages()), encoding="utf-8")
    with Corpus(db) as corpus:
        corpus.analyze([str(path)], components=["narratives", "claims"])
        from narrascope.coordination import detect

        detect(corpus.store)
    con = duckdb.connect(db)
    ids = dict(con.execute("SELECT outlet, id FROM documents").fetchall())
    key = {"dense": "truth-front.example", "sparse": "eastern-courier.example", "untitled": "baltic-voice.example",
           "undated": "puppet-watch.example"}
    bodies = {k: con.execute("SELECT body FROM documents WHERE id = ?", [ids[v]]).fetchone()[0]
              for k, v in key.items()}
    for n, (page, phrase, technique, score, confidence) in enumerate(SPANS):
        start = bodies[page].index(phrase)
        con.execute("INSERT INTO annotations VALUES (?, ?, 'document', ?, ?, 'techniques', ?, ?, 'techniques', "
                    "'minilm-ptc-20261204', ?)", [f"seed-t{n}", ids[key[page]], start, start + len(phrase), technique,
                                                  score, json.dumps({"technique_score": confidence})])
    sparse = ids[key["sparse"]]
    comments = con.execute("SELECT id, text FROM comments WHERE document_id = ? ORDER BY position",
                           [sparse]).fetchall()
    for n, (cid, text) in enumerate(comments[:23]):  # one span per ordinary comment: 23 spans in comments
        start = text.index("what a disgrace")
        con.execute("INSERT INTO annotations VALUES (?, ?, 'comment', ?, ?, 'techniques', 'Loaded_Language', 0.3, "
                    "'techniques', 'minilm-ptc-20261204', ?)", [f"seed-ct{n}", cid, start, start + 15,
                                                                json.dumps({"technique_score": 0.8})])
    for doc_id, in con.execute("SELECT id FROM documents").fetchall():
        for component in ("techniques", "toxicity"):
            con.execute("INSERT INTO runs SELECT ?, ?, 'seed' WHERE NOT EXISTS (SELECT 1 FROM runs WHERE "
                        "document_id = ? AND component = ?)", [doc_id, component, doc_id, component])
    for cid, text in con.execute("SELECT id, text FROM comments").fetchall():
        if "vermin" in text:
            start = text.index("vermin")
            scores = json.dumps({"scores": {"hatespeech": 0.93, "offensive": 0.05, "normal": 0.02}, "target": None})
            con.execute("INSERT INTO annotations VALUES (?, ?, 'comment', 0, ?, 'toxicity', 'hatespeech', 0.93, "
                        "'toxicity', '1', ?)", [f"tox-{cid}", cid, len(text), scores])
            con.execute("INSERT INTO annotations VALUES (?, ?, 'comment', ?, ?, 'toxicity', 'toxic_span', 0.93, "
                        "'toxicity', '1', ?)", [f"span-{cid}", cid, start, start + 6,
                                                json.dumps({"label": "hatespeech"})])
        else:
            con.execute("INSERT INTO annotations VALUES (?, ?, 'comment', 0, ?, 'toxicity', 'normal', 0.9, "
                        "'toxicity', '1', NULL)", [f"tox-{cid}", cid, len(text)])
    con.close()
