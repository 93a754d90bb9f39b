"""Toxic and hateful comments: labels (hatespeech, offensive, normal), toxic spans, targeted groups.

``inference.ToxicityModel`` scores texts with the shipped int8 ONNX model; ``component``
annotates comments in the pipeline; ``blend`` mixes an n-gram model's class scores into the
network's, and the multilingual e5 head's, where a model directory asks for it (``blend_training``
builds one, ``blend_grid`` the version 5 grid of two weights); ``training`` and
``export`` rebuild the model (``[train]`` extra); ``evaluation`` scores it the way the benchmarks do.
"""
