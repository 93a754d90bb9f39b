"""Run by the Label Studio SDK's own interpreter (see test_labelstudio.py): validates a labeling config and
tasks with ``label_studio_sdk.label_interface.LabelInterface``, the validator Label Studio's server runs on
imported predictions, and prints the errors of each as JSON."""

import json
import sys

from label_studio_sdk.label_interface import LabelInterface

config = open(sys.argv[1], encoding="utf-8").read()
tasks = json.load(open(sys.argv[2], encoding="utf-8"))
interface = LabelInterface(config)
interface.validate()  # raises on a config Label Studio would refuse
report = {"objects": {o.name: o.value_name for o in interface.objects if o.value_is_variable}, "tasks": []}
for task in tasks:
    report["tasks"].append({
        "data": interface.validate_task({"data": task["data"]}),  # with annotations it calls itself wrongly (2.1.2)
        "data_types": {o.value_name: type(task["data"].get(o.value_name)).__name__ for o in interface.objects
                       if o.value_is_variable},
        "predictions": [interface.validate_prediction(p, return_errors=True) for p in task["predictions"]],
        "annotations": [interface.validate_prediction(a, return_errors=True) for a in task["annotations"]],
        "annotations_valid": [interface.validate_annotation(a) for a in task["annotations"]],
    })
print(json.dumps(report))
