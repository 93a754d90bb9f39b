"""Analysts' corrections to Label Studio and back.

``config`` writes the labeling config (every layer's labels, read from the component registry),
``tasks`` turns corrected texts into Label Studio tasks (the model's regions as predictions, each
analyst's decisions as one annotation, the full correction history in the task data) and
``results`` reads Label Studio's own JSON export back into corrections, so that work done there
returns to narrascope (``narrascope import labelstudio``).
"""
