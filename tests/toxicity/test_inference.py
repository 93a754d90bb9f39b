from __future__ import annotations

import pytest

from narrascope.toxicity.inference import spans_from_tokens, unsupported_reason


def test_spans_cover_whole_words_and_merge_neighbours():
    text = "you dumb idiots, really"
    offsets = [(0, 3), (4, 8), (9, 13), (13, 15), (15, 16), (17, 23)]
    probs = [0.1, 0.9, 0.2, 0.8, 0.0, 0.1]
    assert spans_from_tokens(text, offsets, probs, 0.5) == [(4, 15)]
    assert spans_from_tokens(text, offsets, probs, 0.95) == []


def test_unsupported_inputs_say_why():
    assert unsupported_reason("   ") == "empty comment"
    assert "language" in unsupported_reason("Das ist ein ganz normaler deutscher Kommentar über die Politik der "
                                            "Regierung in Berlin und die Wahlen im nächsten Jahr.")
    assert unsupported_reason("Это совершенно обычный комментарий о политике правительства") is not None
    assert unsupported_reason("This is a perfectly ordinary English comment about the budget.") is None
    assert unsupported_reason("😀😀😀") is None
    # short non-English comments of the shared threads: a Cyrillic word, a Polish sentence of 39 letters
    assert unsupported_reason("Венера!") == "not English: the toxicity model reads English only"
    assert unsupported_reason("Polskie uczelnie przyjmują ich bez egzaminów.") == (
        "language 'pl': the toxicity model reads en only")
    assert unsupported_reason("Who is Moro?") is None and unsupported_reason("idiot") is None


def test_bad_inputs_are_scored_or_marked_never_crash(shipped_model):
    texts = ["", "😀" * 40, "word " * 20000, "Die Regierung hat heute ein neues Gesetz über die Rente beschlossen.",
             "lone \ud800 surrogate", "ok", "idiot", "x" * 100_000]
    results = shipped_model.predict(texts)
    assert len(results) == len(texts)
    assert results[0].label is None and results[0].unsupported
    assert results[3].label is None and "language" in results[3].unsupported
    # one word is scored like any comment ("idiot" is offensive, its span the word); 100,000 letters of
    # one "word" are windowed and scored, never an error
    assert [r.label for r in results] == [None, "normal", "normal", None, "normal", "normal", "offensive", "normal"]
    # a comment labelled normal shows only the spans the head is sure of: on the odd "lone \ud800 surrogate"
    # the head marks "lone" and "surrogate" at the ordinary 0.40 (model version 2), below its normal threshold
    assert [r.spans for r in results] == [[], [], [], [], [], [], [(0, 5)], []]
    scored = [r for r in results if r.label is not None]
    assert [sum(r.scores.values()) for r in scored] == pytest.approx([1.0] * 6, abs=1e-3)


def test_insult_scores_more_toxic_than_thanks(shipped_model):
    insult, thanks = shipped_model.predict(["you are a disgusting stupid idiot", "Thank you for the clear article."])
    assert insult.scores["normal"] < thanks.scores["normal"]
    assert thanks.label == "normal" and thanks.spans == []
    assert insult.label in ("hatespeech", "offensive") and insult.spans == [(21, 33)]  # "stupid idiot"


def test_a_slur_quoted_in_counter_speech_is_a_span_the_analyst_sees_on_a_comment_labelled_normal(shipped_model):
    """Two real posts of HateXplain (Mathew et al. 2021, CC BY 4.0; all three annotators said normal) that
    name a slur to reject it: labelled normal, and the slur is still reported as a toxic span."""
    texts = ["just do not say nigger", "<user> basically made a towelhead joke about punjabi ppl 😐"]
    results = shipped_model.predict(texts)
    assert [r.label for r in results] == ["normal", "normal"]
    assert [[texts[i][s:e] for s, e in r.spans] for i, r in enumerate(results)] == [["nigger"], ["towelhead"]]
    assert [r.spans for r in results] == [[(16, 22)], [(24, 33)]]
    assert [r.target for r in results] == [None, None]  # no targeted group is named for a normal comment


@pytest.mark.xfail(strict=True, reason="model v2 calls insults of individuals and of groups nobody protects "
                   "hatespeech (abuse of individuals 0.583 on the functional test templates): issue 22 is open")
def test_insults_of_a_person_or_of_cafe_owners_are_offensive_not_hatespeech(shipped_model):
    texts = ["you are a disgusting stupid idiot", "Café owners are idiots"]
    assert [r.label for r in shipped_model.predict(texts)] == ["offensive", "offensive"]


def test_long_text_windows_see_the_insult_at_the_end(shipped_model):
    text = "The council met on Tuesday to discuss the budget. " * 200 + "You are a disgusting stupid idiot."
    short = shipped_model.predict(["The council met on Tuesday to discuss the budget. " * 200])[0]
    long = shipped_model.predict([text])[0]
    assert long.scores["normal"] < short.scores["normal"]
    # the shipped model: the insult lowers "normal" but, diluted by 10,000 characters, is labelled normal;
    # its span is still reported, so the analyst sees the insult in a comment that is not masked
    assert long.label == "normal" and long.spans == [(10021, 10033)]
    assert text[10021:10033] == "stupid idiot"


def test_a_comments_scores_do_not_depend_on_the_comments_scored_with_it(shipped_model):
    """int8 activations are quantised per model call: by default each window is a call of its own."""
    comment = "People like you are vermin and should get out of this country."
    others = ["Thanks!", "What a stupid, ignorant article. " * 30, "I disagree with the mayor on taxes."]
    alone = shipped_model.predict([comment])[0]
    among = shipped_model.predict(others + [comment])[-1]
    assert among.scores == alone.scores and among.spans == alone.spans and among.label == alone.label


def test_two_threads_give_the_same_scores_as_one(shipped_model):
    from narrascope.toxicity.inference import ToxicityModel

    texts = ["you are a disgusting stupid idiot", "Thank you for the clear article.", "vermin, all of them " * 200]
    two = ToxicityModel(threads=2).predict(texts)
    assert [(r.scores, r.spans) for r in two] == [(r.scores, r.spans) for r in shipped_model.predict(texts)]


def test_full_width_text_is_read_as_latin_and_spans_index_the_original(shipped_model):
    text = "ＹＯＵ ＦＵＣＫＩＮＧ ＩＤＩＯＴ you dumb ass"
    assert unsupported_reason(text) is None
    [r] = shipped_model.predict([text])
    assert r.label in ("hatespeech", "offensive"), r
    found = [text[s:e] for s, e in r.spans]
    assert r.spans == [(4, 17), (22, 30)] and found == ["ＦＵＣＫＩＮＧ ＩＤＩＯＴ", "dumb ass"]
    ascii_r = shipped_model.predict(["YOU FUCKING IDIOT you dumb ass"])[0]
    assert r.scores == ascii_r.scores  # the model read the same words


def test_model_text_maps_every_character_back():
    from narrascope.toxicity.inference import model_text, original_offsets

    text = "ﬁne ＩＤＩＯＴ"  # a ligature grows (ﬁ -> fi), full-width letters change
    normal, origin = model_text(text)
    assert normal == "fine IDIOT"
    assert original_offsets([(0, 4), (5, 10)], origin) == [(0, 3), (4, 9)]
    assert text[4:9] == "ＩＤＩＯＴ"
    assert model_text("plain ascii") == ("plain ascii", None)


def test_a_span_does_not_end_inside_a_grapheme(shipped_model):
    text = "you are a stupid c\u0301unt and an idiot"
    assert spans_from_tokens(text, [(10, 16), (17, 18), (19, 22)], [0.9, 0.9, 0.9], 0.5) == [(10, 22)]
    [r] = shipped_model.predict([text])
    assert r.label in ("hatespeech", "offensive"), r
    assert r.spans == [(10, 22), (30, 35)]  # "stupid c\u0301unt" with its accent, and "idiot"
    assert [text[s:e] for s, e in r.spans] == ["stupid c\u0301unt", "idiot"]


def test_model_card_states_the_diluted_insult_it_measured(shipped_model):
    """The model card's limit: benign words around a short insult in one window turn it normal."""
    from narrascope.toxicity.inference import MODEL_DIR

    card = (MODEL_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "Short insults inside long comments are missed" in card
    before = ("The council met on Tuesday evening to discuss the harbour budget, the ferry schedule and the new "
              "parking rules for the old town.")
    after = ("The minutes of the meeting will be published next week on the website together with the budget "
             "tables and the list of speakers.")
    padded_text = f"{before} you stupid fucking idiot {after}"
    alone, padded = shipped_model.predict(["you stupid fucking idiot", padded_text])
    assert alone.label == "offensive" and padded.label == "normal"
    # the label misses it; the span, reported whatever the label, still shows it
    # (the head is sure of both words, not of "fucking")
    assert [padded_text[s:e] for s, e in padded.spans] == ["stupid", "idiot"]
