from __future__ import annotations

from narrascope.model import Annotation, Comment, Document
from narrascope.threads.graph import flagged_comments, masked_comments, thread_stats


def _thread(source: str, n_extra: int = 0) -> Document:
    comments = [
        Comment(text="Opening comment", author="ann"),
        Comment(text="Reply to ann", author="bob", depth=1, parent="#1"),
        Comment(text="Another reply to ann", author="cy", depth=1, parent="#1"),
        Comment(text="bob is wrong", author="ann", depth=2, parent="#2"),
        Comment(text="@ann see above", author="bob", refs=["#1"]),
    ] + [Comment(text=f"filler {i}", author="dee") for i in range(n_extra)]
    return Document(source=source, kind="thread", title=source, comments=comments).assign_ids()


def test_thread_statistics_follow_the_reply_graph(store):
    big, small = _thread("big", 3), _thread("small")
    flagged = Annotation(big.comments[3].id, "comment", 0, 12, "toxicity", "offensive", 0.9, "toxicity", "1")
    big.annotations.append(flagged)
    store.write([big, small])
    stats = thread_stats(store)
    assert [t.title for t in stats] == ["big", "small"]
    t = stats[0]
    assert (t.comments, t.authors, t.max_depth, t.replies, t.references) == (8, 4, 2, 3, 1)
    top = t.most_answered[0]
    assert top["comment_id"] == big.comments[0].id and top["answers"] == 3 and top["author"] == "ann"
    assert {"author": "bob", "answers": "ann", "times": 2} in t.answers
    assert t.flagged_by_author == [{"author": "ann", "comments": 2, "flagged": 1, "share": 0.5}]
    assert flagged_comments(store) == {big.comments[3].id: "offensive"}
    assert masked_comments(store, 0.9) == {big.comments[3].id: "offensive"}
    assert masked_comments(store, 0.91) == {}
    assert stats[1].flagged_by_author == []


def test_one_thread_and_empty_store(store):
    assert thread_stats(store) == []
    doc = _thread("only")
    store.write([doc])
    assert [t.document_id for t in thread_stats(store, doc.id)] == [doc.id]


def test_a_thread_says_its_page_language_and_its_comments_languages(store):
    from narrascope.readers import finish

    page = Document(source="ru", kind="article", title="Заява", body="Президент заявил, что выборы прошли честно "
                    "и спокойно.", comments=[
                        Comment(text="Это неправда, выборы были украдены у народа.", author="a"),
                        Comment(text="Это ложь от начала и до конца, все это знают.", author="b"),
                        Comment(text="This is a lie from start to finish, everyone knows it.", author="c"),
                        Comment(text="Жыве!", author="d")])
    store.write(finish([page], {}))
    [t] = thread_stats(store)
    assert (t.language, t.comment_languages) == ("ru", {"ru": 2, "en": 1, "?": 1})
    assert t.to_dict()["comment_languages"] == {"ru": 2, "en": 1, "?": 1}
