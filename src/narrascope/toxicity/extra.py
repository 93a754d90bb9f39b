"""More training data for the toxicity model: public hate-speech sets read as partial labels.

None of these sets uses HateXplain's three classes, so each post carries the classes it may
belong to (``Example.allowed``) instead of a distribution: a Stormfront sentence annotated
``hate`` may only be ``hatespeech``; one annotated ``noHate`` may be ``offensive`` or ``normal``.
Training maximises the probability of the allowed classes together, so a set never teaches a
line between offence and normal talk that it did not draw.

The sets live outside the repository, one folder each under the directory given to
``narrascope train toxicity --extra DIR`` (each is optional; see the model card for where to get
them, their licences and sizes):

- ``stormfront/``: de Gibert et al. 2018, a clone of github.com/Vicomtech/hate-speech-dataset
  (CC BY-SA 3.0): ``annotations_metadata.csv`` and ``all_files/*.txt``;
- ``ethos/``: Mollas et al. 2022, ``Ethos_Dataset_Binary.csv`` from
  github.com/intelligence-csd-auth-gr/Ethos-Hate-Speech-Dataset (GPL-3.0);
- ``toxigen/``: Hartvigsen et al. 2022, the ``prompts/*.txt`` of github.com/microsoft/TOXIGEN
  (MIT): human-curated implicit hate (``hate_*``) and benign statements (``neutral_*``) about 13
  groups;
- ``davidson``: the shared data's ``toxicity/davidson2017`` tweets, toxic against normal (and, with
  ``--davidson-offensive``, the tweets all raters called offensive language as offensive only);
- ``claimbuster``: not a folder here but ``checkworthy/claimbuster_crowdsourced.csv`` of the
  shared data, read for debate sentences that name a group: ordinary political talk about
  nations, faiths and migrants, which the issue needs the model to leave alone.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from narrascope.toxicity.data import LABELS, Example

HATE = (LABELS.index("hatespeech"),)
TOXIC = (LABELS.index("hatespeech"), LABELS.index("offensive"))
NOT_HATE = (LABELS.index("offensive"), LABELS.index("normal"))
NORMAL = (LABELS.index("normal"),)
OFFENSIVE = (LABELS.index("offensive"),)

GROUP_WORDS = re.compile(
    r"\b(immigrants?|migrants?|refugees?|muslims?|islam\w*|jews?|jewish|christians?|blacks?|"
    r"african[- ]americans?|hispanics?|latinos?|mexicans?|asians?|chinese|arabs?|women|gays?|lesbians?|"
    r"russians?|ukrainians?|poles|polish|germans?|minorit\w+|religio\w+|races?|racial)\b", re.I)


def load_stormfront(directory: str | Path) -> list[Example]:
    """Stormfront forum sentences: ``hate`` may only be hatespeech, ``noHate`` is not hatespeech.

    Sentences labelled ``relation`` (hateful only with their neighbours) or ``idk/skip`` are left out.
    """
    root = Path(directory)
    out = []
    with open(root / "annotations_metadata.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            allowed = {"hate": HATE, "noHate": NOT_HATE}.get(row["label"])
            path = root / "all_files" / f"{row['file_id']}.txt"
            if allowed is None or not path.exists():
                continue
            text = path.read_text(encoding="utf-8", errors="replace").strip()
            if text:
                out.append(Example(f"stormfront-{row['file_id']}", text, "stormfront", allowed=allowed))
    return out


def load_ethos(path: str | Path) -> list[Example]:
    """ETHOS binary comments: at least half the raters saying hate → toxic, none → normal.

    ETHOS's "hate" includes insults that HateXplain would call offensive, so it may be either.
    Comments between (some raters, not half) are left out.
    """
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh, delimiter=";")):
            share = float(row["isHate"])
            allowed = TOXIC if share >= 0.5 else NORMAL if share == 0.0 else None
            if allowed and row["comment"].strip():
                out.append(Example(f"ethos-{i}", row["comment"].strip(), "ethos", allowed=allowed))
    return out


def load_toxigen(directory: str | Path) -> list[Example]:
    """ToxiGen's prompt statements, each once: ``hate_*`` files hatespeech, ``neutral_*`` normal."""
    out, seen = [], set()
    for path in sorted(Path(directory).glob("*.txt")):
        kind = path.name.split("_", 1)[0]
        allowed = {"hate": HATE, "neutral": NORMAL}.get(kind)
        if allowed is None:
            continue
        for line in path.read_text(encoding="utf-8", errors="replace").replace("\\n", "\n").splitlines():
            text = line.strip().removeprefix("- ").strip()
            if len(text) > 3 and text not in seen:
                seen.add(text)
                out.append(Example(f"toxigen-{len(seen)}", text, "toxigen", allowed=allowed))
    return out


def load_debates(path: str | Path) -> list[Example]:
    """US presidential debate sentences (ClaimBuster) that name a group: ordinary talk, normal."""
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            text = row["Text"].strip()
            if len(text) > 20 and GROUP_WORDS.search(text):
                out.append(Example(f"debate-{row['Sentence_id']}", text, "debates", allowed=NORMAL))
    return out


def load_davidson_partial(path: str | Path, offensive_when_unanimous: bool = False) -> list[Example]:
    """Davidson et al. 2017 tweets by their raters' majority: ``neither`` normal, the rest toxic.

    Its line between hate and offence is not HateXplain's (its "hate" is 6 % of tweets and a TF-IDF
    model trained on both lost macro-F1), so only toxic against normal is taught; with
    ``offensive_when_unanimous`` a tweet every rater called offensive language (none hate, none
    neither) may only be ``offensive``: the offence-not-hate signal the other sets lack.
    """
    from narrascope.toxicity.data import load_davidson

    out = []
    for post in load_davidson(path):
        allowed = NORMAL if post.hard_label == LABELS.index("normal") else TOXIC
        if offensive_when_unanimous and post.label and post.label[LABELS.index("offensive")] == 1.0:
            allowed = OFFENSIVE
        out.append(Example(post.id, post.text, "davidson", allowed=allowed))
    return out


def load_extra(directory: str | Path | None, shared: str | Path | None = None,
               davidson_offensive: bool = False) -> list[Example]:
    """Every set found under ``directory`` and, under the shared data ``shared``, the debates and Davidson
    (``davidson_offensive``: see :func:`load_davidson_partial`'s ``offensive_when_unanimous``)."""
    out: list[Example] = []
    if directory:
        root = Path(directory)
        if (root / "stormfront" / "annotations_metadata.csv").exists():
            out += load_stormfront(root / "stormfront")
        if (root / "ethos" / "Ethos_Dataset_Binary.csv").exists():
            out += load_ethos(root / "ethos" / "Ethos_Dataset_Binary.csv")
        if (root / "toxigen").is_dir():
            out += load_toxigen(root / "toxigen")
    debates = Path(shared) / "checkworthy" / "claimbuster_crowdsourced.csv" if shared else None
    if debates and debates.exists():
        out += load_debates(debates)
    davidson = Path(shared) / "toxicity" / "davidson2017" / "labeled_data_train.csv" if shared else None
    if davidson and davidson.exists():
        out += load_davidson_partial(davidson, offensive_when_unanimous=davidson_offensive)
    return out
