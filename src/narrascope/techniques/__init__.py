"""Propaganda techniques at span level (SemEval-2020 Task 11 / PTC).

One small token-tagging model (all-MiniLM-L6-v2 fine-tuned, run as int8 ONNX) finds the
words that use a technique (span identification, SI) and names the technique of a given span
(technique classification, TC). Modules: ``data`` (PTC files), ``inference`` (onnxruntime,
no torch), ``component`` (pipeline component ``techniques``), ``training`` and ``export``
(``[train]`` extra), ``eval`` (the official SI and TC scores), ``cli`` (commands).
"""

from __future__ import annotations

#: the 14 technique labels of SemEval-2020 Task 11, exact strings, sorted
TECHNIQUES: tuple[str, ...] = (
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
)
