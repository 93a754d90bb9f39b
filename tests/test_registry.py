from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

from narrascope import registry as registry_module
from narrascope.errors import UnknownNameError
from narrascope.registry import Registry


def test_unknown_names_list_what_is_known():
    with pytest.raises(UnknownNameError, match="no reader named 'pdf'; known: .*html"):
        registry_module.readers.get("pdf")


def test_plugins_come_from_entry_points_and_builtins_win(monkeypatch):
    eps = [EntryPoint("loud", "narrascope.errors:ReadError", "narrascope.widgets"),
           EntryPoint("base", "narrascope.errors:UnknownNameError", "narrascope.widgets")]

    def fake_entry_points(group):
        return [ep for ep in eps if ep.group == group]

    monkeypatch.setattr(registry_module, "entry_points", fake_entry_points)
    widgets: Registry[type] = Registry("widget")
    widgets.register("base")(dict)
    assert widgets.names() == ["base", "loud"]
    assert widgets.get("loud").__name__ == "ReadError"
    assert widgets.get("base") is dict
