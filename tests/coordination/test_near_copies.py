from __future__ import annotations

import numpy as np

from narrascope.coordination.near_copies import NO_SIGNATURE, local_map, near_copy_groups, signatures

PASTE = "The election was stolen by the elites and the newspapers are hiding it from all of us"


def test_light_edits_join_and_strangers_do_not():
    texts = [PASTE, PASTE + "!!", "Unrelated thought about the harbour and the weather today",
             PASTE.replace("us", "you"), "hi", ""]
    groups = near_copy_groups(texts, threshold=0.5)
    assert groups.tolist()[4:] == [-1, -1]  # too short to compare
    assert groups[0] == groups[1] == groups[3] and groups[2] != groups[0]
    strict = near_copy_groups(texts, threshold=0.99)
    assert strict[0] == strict[1] and strict[3] != strict[0]


def test_signatures_are_the_same_on_every_run_and_in_every_batch():
    texts = [PASTE, "one two three four five six", "short"]
    whole = signatures(texts)
    assert (whole == signatures(texts[:1] + texts[1:], chunk=1)).all()
    assert whole[2, 0] == NO_SIGNATURE and whole[0, 0] != NO_SIGNATURE
    assert whole.dtype == np.uint32 and whole.shape == (3, 64)


def test_a_custom_band_map_sees_every_band():
    seen = []

    def spy(sig, rows, threshold, bands):
        seen.extend(bands)
        return local_map(sig, rows, threshold, bands)

    groups = near_copy_groups([PASTE, PASTE + " indeed"], threshold=0.6, band_map=spy)
    assert groups[0] == groups[1] and seen == list(range(len(seen))) and len(seen) >= 5
