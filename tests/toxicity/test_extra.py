from __future__ import annotations

from pathlib import Path

from narrascope.toxicity.data import LABELS, Example
from narrascope.toxicity.extra import load_debates, load_ethos, load_extra, load_stormfront, load_toxigen


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _sets(root: Path) -> Path:
    _write(root / "stormfront" / "annotations_metadata.csv",
           "file_id,user_id,subforum_id,num_contexts,label\n1_1,7,9,0,hate\n1_2,7,9,0,noHate\n"
           "1_3,7,9,1,relation\n1_4,7,9,0,idk/skip\n1_5,7,9,0,noHate\n")
    _write(root / "stormfront" / "all_files" / "1_1.txt", "They are all vermin .\n")
    _write(root / "stormfront" / "all_files" / "1_2.txt", "Nice weather in Ohio today .")
    _write(root / "stormfront" / "all_files" / "1_3.txt", "Them too .")
    _write(root / "stormfront" / "all_files" / "1_4.txt", "Hmm .")
    # 1_5 has no text file: left out, not an error
    _write(root / "ethos" / "Ethos_Dataset_Binary.csv",
           "comment;isHate\nWomen are a joke;1.0\nI love my dog;0.0\nSome say so;0.166666\nGo away all of you;0.5\n")
    _write(root / "toxigen" / "hate_x_1k.txt", "- group x are snakes\\n- group x steal\\n-\n- group x steal\\n-\n")
    _write(root / "toxigen" / "neutral_x_1k.txt", "- group x cook well\\n-\n")
    _write(root / "toxigen" / "other.txt", "- ignored\\n-\n")
    return root


def test_stormfront_keeps_hate_and_no_hate_as_partial_labels(tmp_path):
    posts = load_stormfront(_sets(tmp_path) / "stormfront")
    assert [(p.id, p.text, p.allowed) for p in posts] == [
        ("stormfront-1_1", "They are all vermin .", (LABELS.index("hatespeech"),)),
        ("stormfront-1_2", "Nice weather in Ohio today .", (LABELS.index("offensive"), LABELS.index("normal")))]
    assert posts[0].hard_label == 0 and posts[1].hard_label is None and posts[0].label is None


def test_ethos_half_the_raters_make_it_toxic_none_make_it_normal(tmp_path):
    posts = load_ethos(_sets(tmp_path) / "ethos" / "Ethos_Dataset_Binary.csv")
    assert [(p.text, p.allowed) for p in posts] == [("Women are a joke", (0, 1)), ("I love my dog", (2,)),
                                                    ("Go away all of you", (0, 1))]


def test_toxigen_statements_once_each_by_file_kind(tmp_path):
    posts = load_toxigen(_sets(tmp_path) / "toxigen")
    assert [(p.text, p.allowed) for p in posts] == [("group x are snakes", (0,)), ("group x steal", (0,)),
                                                    ("group x cook well", (2,))]


def test_debates_keep_sentences_that_name_a_group(tmp_path):
    path = _write(tmp_path / "checkworthy" / "claimbuster_crowdsourced.csv",
                  "Sentence_id,Text,Speaker\n1,We must secure the border for all immigrants and citizens.,A\n"
                  "2,I think we've seen a deterioration of values.,B\n3,Muslims.,C\n")
    posts = load_debates(path)
    assert [(p.id, p.allowed, p.hard_label) for p in posts] == [("debate-1", (2,), 2)]


def test_load_extra_reads_what_is_there(tmp_path):
    root = _sets(tmp_path / "extra")
    _write(tmp_path / "shared" / "checkworthy" / "claimbuster_crowdsourced.csv",
           "Sentence_id,Text,Speaker\n5,Women deserve equal pay for equal work.,A\n")
    got = load_extra(root, tmp_path / "shared")
    # no Davidson file under this shared folder
    assert [p.source for p in got] == ["stormfront"] * 2 + ["ethos"] * 3 + ["toxigen"] * 3 + ["debates"]
    assert load_extra(tmp_path / "empty", None) == []


def test_a_soft_label_decides_over_a_partial_one():
    post = Example("x", "t", "hatexplain", [0.2, 0.5, 0.3], allowed=(0,))
    assert post.hard_label == 1


def test_davidson_teaches_toxic_against_normal_only(tmp_path):
    from narrascope.toxicity.extra import load_davidson_partial

    path = _write(tmp_path / "d.csv", ",count,hate_speech,offensive_language,neither,class,tweet\n"
                  "0,3,0,0,3,2,nice day\n1,3,2,1,0,0,you people are trash\n2,3,0,3,0,1,shut up\n")
    got = [(p.id, p.text, p.allowed) for p in load_davidson_partial(path)]
    assert got == [("davidson-0", "nice day", (2,)), ("davidson-1", "you people are trash", (0, 1)),
                   ("davidson-2", "shut up", (0, 1))]


def test_davidson_offensive_keeps_unanimous_offence_apart_from_hate(tmp_path):
    from narrascope.toxicity.extra import load_davidson_partial

    path = _write(tmp_path / "d.csv", ",count,hate_speech,offensive_language,neither,class,tweet\n"
                  "0,3,0,0,3,2,nice day\n1,3,2,1,0,0,you people are trash\n2,3,0,3,0,1,shut up\n"
                  "3,3,1,2,0,1,go away loser\n4,6,0,6,0,1,what a clown\n")
    got = [(p.id, p.allowed) for p in load_davidson_partial(path, offensive_when_unanimous=True)]
    # only the tweets every rater called offensive language (3 of 3, 6 of 6) are offensive only
    assert got == [("davidson-0", (2,)), ("davidson-1", (0, 1)), ("davidson-2", (1,)), ("davidson-3", (0, 1)),
                   ("davidson-4", (1,))]
