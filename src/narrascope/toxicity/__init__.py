"""Toxic and hateful comments: labels (hatespeech, offensive, normal), toxic spans, targeted groups.

``inference.ToxicityModel`` scores texts with the shipped int8 ONNX model; ``component``
annotates comments in the pipeline; ``training`` and ``export`` rebuild the model
(``[train]`` extra); ``evaluation`` scores it the way the benchmarks do.
"""
