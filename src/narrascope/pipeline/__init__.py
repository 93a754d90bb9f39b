"""Components (what analyses a document) and executors (what runs them)."""

from narrascope.pipeline.component import Component, get_component
from narrascope.pipeline.executor import Executor, LocalExecutor, RunSummary, get_executor

__all__ = ["Component", "Executor", "LocalExecutor", "RunSummary", "get_component", "get_executor"]
