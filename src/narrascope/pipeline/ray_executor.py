"""The Ray executor: the same pipeline on a Ray cluster (the ``[ray]`` extra).

Inputs not yet stored become a Ray Dataset of pickled :class:`Input` rows; an actor
pool (``map_batches`` with a callable class) reads them and runs the components - each
actor builds its components once, so models load once per worker - and returns
documents as JSON. The driver receives batches in input order, writes each as a Parquet
shard and loads it into the store in one transaction, exactly as the local executor
does; so both executors store identical results, and a rerun skips inputs already
stored. Ray retries the batches of an actor that dies.

The shards hold the full analysed text, which may be sensitive: they are kept only in an
``output_dir`` the user names; otherwise they go to a temporary directory removed when
the run ends, also when it fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from narrascope import registry
from narrascope.errors import NarrascopeError
from narrascope.model import Document
from narrascope.pipeline.component import Component
from narrascope.pipeline.executor import (
    Executor,
    Progress,
    RunSummary,
    process_batch,
    read_safely,
    store_batch,
)
from narrascope.readers import Input
from narrascope.store.base import Store


def _probe(address: str, timeout: float) -> None:
    """Fail fast when nothing listens at ``address``: ``ray.init`` would retry forever."""
    hostport = address.split("://", 1)[-1].rstrip("/")
    host, _, port = hostport.rpartition(":")
    if not host or not port.isdigit():  # "auto" or a form Ray resolves itself
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as exc:
        raise NarrascopeError(
            f"no Ray cluster answers at {address} ({exc.strerror or exc}); start one there with "
            f"`ray start --head --port={port}`, check the address, or omit --address to run on a local Ray"
        ) from None


class _Analyse:
    """The actor: reads a batch of inputs and runs the components over it."""

    def __init__(self, components: bytes, reader: str | None, options: dict[str, Any] | None) -> None:
        self.components: list[Component] = pickle.loads(components)
        self.reader, self.options = reader, options

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        inputs = [pickle.loads(blob) for blob in batch["input"]]
        read = [r for inp in inputs for r in read_safely(inp, self.reader, self.options)]
        owner = {id(d): inp.key.removesuffix("|partial") for inp, docs in read if not isinstance(docs, str)
                 for d in docs}
        owner_by_id = {d.id: inp.key.removesuffix("|partial") for inp, docs in read
                       if not isinstance(docs, str) for d in docs}
        docs, failures = process_batch(read, self.components)
        by_input: dict[str, list[dict[str, Any]]] = {}
        for doc in docs:
            by_input.setdefault(owner.get(id(doc)) or owner_by_id[doc.id], []).append(doc.to_dict())
        failed = {key: reason for key, _, reason in failures}
        broken: dict[str, list[tuple[str, str, str]]] = {}  # a component that broke on one document
        for key, source, reason in failures:
            if (doc_id := key.rpartition("|")[0]) in owner_by_id:
                broken.setdefault(owner_by_id[doc_id], []).append((key, source, reason))
        return {
            "index": list(batch["index"]),
            "key": [inp.key for inp in inputs],
            "source": [inp.source for inp in inputs],
            "documents": [json.dumps(by_input.get(inp.key, [])) for inp in inputs],
            "failure": [failed.get(inp.key) for inp in inputs],
            "broken": [json.dumps(broken.get(inp.key, [])) for inp in inputs],
        }


@registry.executors.register("ray")
class RayExecutor(Executor):
    """Runs the pipeline on Ray Data; starts a local Ray when ``address`` is None.

    ``actors`` (default: the cluster's CPUs divided by ``cpus_per_actor``) sets the
    pool size; ``cpus_per_actor`` is reserved explicitly for every actor so that the
    pool cannot take the CPUs the driver and Ray Data's own tasks need.
    """

    name = "ray"
    #: seconds to wait for the cluster at ``address`` to answer before giving up
    connect_timeout = 5.0

    def __init__(self, address: str | None = None, batch_size: int = 64, actors: int | None = None,
                 cpus_per_actor: float = 1.0, output_dir: str | None = None) -> None:
        self.address = address
        self.batch_size = batch_size
        self.actors = actors
        self.cpus_per_actor = cpus_per_actor
        self.output_dir = output_dir

    def _connect(self) -> Any:
        try:
            import ray
        except ImportError:
            raise NarrascopeError("the ray executor needs the [ray] extra: pip install 'narrascope[ray]'") from None
        if not ray.is_initialized():
            kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                                      "configure_logging": False}
            if self.address:
                _probe(self.address, self.connect_timeout)
                ray.init(address=self.address, **kwargs)
            else:
                ray.init(num_cpus=os.cpu_count() or 1, **kwargs)
        return ray

    def process(self, inputs: Iterator[Input], store: Store, components: list[Component], summary: RunSummary,
                progress: Progress | None, reader: str | None, reader_options: dict[str, Any] | None) -> None:
        rows = [{"index": i, "input": pickle.dumps(inp)} for i, inp in enumerate(inputs)]
        if rows:
            self._run_rows(rows, store, components, summary, progress, reader, reader_options)

    def _run_rows(self, rows, store, components, summary, progress, reader, options) -> None:  # type: ignore[no-untyped-def]
        ray = self._connect()
        import pyarrow as pa
        import pyarrow.parquet as pq

        ray.data.DataContext.get_current().execution_options.preserve_order = True
        cpus = ray.cluster_resources().get("CPU", 1)
        actors = self.actors or max(1, int(cpus // self.cpus_per_actor))
        blocks = max(1, min(len(rows), (len(rows) + self.batch_size - 1) // self.batch_size))
        ds = ray.data.from_items(rows, override_num_blocks=blocks).map_batches(
            _Analyse, fn_constructor_kwargs={"components": pickle.dumps(components), "reader": reader,
                                             "options": options},
            batch_size=self.batch_size, concurrency=actors, num_cpus=self.cpus_per_actor,
            batch_format="default", max_restarts=-1, max_task_retries=-1)
        with contextlib.ExitStack() as stack:
            # without an output_dir the shards (the full text) live only as long as the run
            out = Path(self.output_dir or stack.enter_context(
                tempfile.TemporaryDirectory(prefix="narrascope-ray-", ignore_cleanup_errors=True)))
            out.mkdir(parents=True, exist_ok=True)
            for n, batch in enumerate(ds.iter_batches(batch_size=self.batch_size, batch_format="pyarrow")):
                pq.write_table(batch, out / f"part-{n:06d}.parquet")
                self._load(pa.Table.to_pylist(batch), store, components, summary)
                if progress:
                    progress(batch.num_rows)

    @staticmethod
    def _load(rows: list[dict[str, Any]], store: Store, components: list[Component], summary: RunSummary) -> None:
        docs = [Document.from_dict(d) for row in rows for d in json.loads(row["documents"])]
        failures = [(row["key"], row["source"], row["failure"]) for row in rows if row["failure"]]
        failures += [(key, source, reason) for row in rows for key, source, reason in json.loads(row["broken"])]
        store_batch(store, docs, [row["key"] for row in rows], failures, components, summary)
