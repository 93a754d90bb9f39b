from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

from narrascope import registry as registry_module
from narrascope.errors import UnknownNameError
from narrascope.registry import PluginLoadError, Registry


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
    with pytest.warns(UserWarning, match="already registered"):
        assert widgets.names() == ["base", "loud"]
    assert widgets.get("loud").__name__ == "ReadError"
    assert widgets.get("base") is dict


def _fake_entry_points(monkeypatch, *eps: EntryPoint) -> None:
    monkeypatch.setattr(registry_module, "entry_points", lambda group: [ep for ep in eps if ep.group == group])


def test_a_plugin_named_like_a_builtin_is_ignored_with_a_warning(monkeypatch):
    _fake_entry_points(monkeypatch, EntryPoint("base", "narrascope.errors:ReadError", "narrascope.widgets"))
    widgets: Registry[type] = Registry("widget")
    widgets.register("base")(dict)
    with pytest.warns(UserWarning, match=r"widget plugin base = narrascope.errors:ReadError.*already registered"):
        assert widgets.names() == ["base"]
    assert widgets.get("base") is dict


def test_a_broken_plugin_is_skipped_and_named_when_asked_for(monkeypatch):
    _fake_entry_points(monkeypatch, EntryPoint("broken", "narrascope_no_such_pkg.nope:X", "narrascope.widgets"),
                       EntryPoint("loud", "narrascope.errors:ReadError", "narrascope.widgets"))
    widgets: Registry[type] = Registry("widget")
    with pytest.warns(UserWarning, match=r"broken = narrascope_no_such_pkg.nope:X.*ModuleNotFoundError"):
        assert widgets.names() == ["loud"]  # the others still load
    assert widgets.get("loud").__name__ == "ReadError"
    with pytest.raises(PluginLoadError, match=r"'broken' is a plugin that failed to load .*ModuleNotFoundError"):
        widgets.get("broken")
    with pytest.raises(UnknownNameError):
        widgets.get("absent")
