"""The Ray executor under faults and on two nodes (the [ray] extra)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from narrascope.pipeline import Component, get_executor
from narrascope.readers import iter_inputs
from narrascope.store import open_store

ray = pytest.importorskip("ray", reason="the ray executor needs the [ray] extra")
pytestmark = [pytest.mark.ray, pytest.mark.slow]

PAGE = "Report {n}.\n\nPeople in town {n} said the vote of {n} was stolen, and the police detained {n} of them."


class Tired(Component):
    """Writes its process id to ``pid_dir`` and works slowly, so a test can kill it mid-run."""

    name = "tired"
    version = "1"
    layer = "tired"

    def __init__(self, pid_dir: str, seconds: float = 0.05) -> None:
        self.pid_dir = pid_dir
        self.seconds = seconds

    def __call__(self, doc):
        Path(self.pid_dir, str(os.getpid())).touch()
        time.sleep(self.seconds)
        from narrascope.model import Annotation

        doc.annotations.append(Annotation(doc.id, "document", 0, 6, self.layer, "seen", 1.0, self.name, self.version))
        return doc


def _pages(root: Path, count: int) -> Path:
    root.mkdir()
    for n in range(count):
        (root / f"p{n:03d}.txt").write_text(PAGE.format(n=n))
    return root


def _stored(store) -> tuple:
    return ([(d.id, d.source, d.body) for d in store.documents()],
            [(a.id, a.target, a.start, a.end, a.label) for a in store.annotations()])


@pytest.fixture()
def local_ray():
    ray.shutdown()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


def test_a_killed_worker_is_retried_and_nothing_is_lost_or_doubled(tmp_path, local_ray):
    pages = _pages(tmp_path / "pages", 60)
    pids = tmp_path / "pids"
    pids.mkdir()
    killed: list[int] = []

    def kill_first_worker() -> None:
        deadline = time.time() + 120
        while time.time() < deadline and not killed:
            found = [int(p.name) for p in pids.iterdir()]
            if found:
                os.kill(found[0], signal.SIGKILL)
                killed.append(found[0])
            time.sleep(0.05)

    killer = threading.Thread(target=kill_first_worker)
    killer.start()
    with open_store(str(tmp_path / "ray.duckdb")) as store, open_store(str(tmp_path / "ref.duckdb")) as ref:
        summary = get_executor("ray", batch_size=5, actors=2).run(iter_inputs([str(pages)]), store,
                                                                  [Tired(str(pids))])
        killer.join()
        assert killed, "no worker was killed"
        assert summary.ok and store.counts()["documents"] == 60
        get_executor("local").run(iter_inputs([str(pages)]), ref, [Tired(str(tmp_path / "pids"), 0)])
        assert _stored(store) == _stored(ref)


def _ray_cli(*args: str) -> None:
    result = subprocess.run([str(Path(sys.executable).with_name("ray")), *args], capture_output=True, text=True,
                            timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]


def test_the_same_command_runs_on_two_ray_nodes(tmp_path, monkeypatch):
    import secrets
    import tempfile

    ray.shutdown()
    monkeypatch.setenv("RAY_AUTH_MODE", "token")  # both nodes and every client share one token
    monkeypatch.setenv("RAY_AUTH_TOKEN", secrets.token_hex(32))
    pages = _pages(tmp_path / "pages", 20)
    env_port = "6391"
    temp = tempfile.mkdtemp(prefix="nsray", dir="/tmp")  # Ray's socket paths must stay short
    try:
        _ray_cli("start", "--head", "--node-ip-address=127.0.0.1", f"--port={env_port}", "--num-cpus=1",
                 "--include-dashboard=false", f"--temp-dir={temp}", "--disable-usage-stats")
        _ray_cli("start", f"--address=127.0.0.1:{env_port}", "--node-ip-address=127.0.0.1", "--num-cpus=1",
                 "--disable-usage-stats")
        db = tmp_path / "two.duckdb"
        result = subprocess.run([sys.executable, "-m", "narrascope", "analyze", str(pages), "--db", str(db),
                                 "--executor", "ray", "--address", f"127.0.0.1:{env_port}"],
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr[-2000:]
        assert "documents" in result.stderr and "20" in result.stderr
        probe = (f"import ray; ray.init(address='127.0.0.1:{env_port}', log_to_driver=False); "
                 "print(len([n for n in ray.nodes() if n['Alive']]), ray.cluster_resources().get('CPU'))")
        nodes = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
        assert nodes.stdout.split()[-2:] == ["2", "2.0"], nodes.stderr[-2000:]
        with open_store(str(db)) as store, open_store(str(tmp_path / "ref.duckdb")) as ref:
            from narrascope.pipeline.component import default_components, get_component

            defaults = [get_component(name) for name in default_components()]  # what analyze ran
            get_executor("local").run(iter_inputs([str(pages)]), ref, defaults)
            assert _stored(store) == _stored(ref)
    finally:
        ray.shutdown()
        subprocess.run([str(Path(sys.executable).with_name("ray")), "stop", "--force"], capture_output=True,
                       timeout=120)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_address_where_no_cluster_answers_fails_fast_and_says_what_to_do():
    from narrascope.errors import NarrascopeError
    from narrascope.pipeline.ray_executor import RayExecutor

    ray.shutdown()
    port = _free_port()
    started = time.time()
    with pytest.raises(NarrascopeError, match=rf"no Ray cluster answers at 127.0.0.1:{port}.*ray start --head"
                                              r".*omit --address"):
        RayExecutor(address=f"127.0.0.1:{port}")._connect()
    assert time.time() - started < 10 and not ray.is_initialized()


def test_shards_are_kept_only_in_an_output_dir_and_removed_otherwise_even_on_error(tmp_path, monkeypatch,
                                                                                    local_ray):
    import tempfile

    from narrascope.pipeline.ray_executor import RayExecutor

    pages = _pages(tmp_path / "pages", 6)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    component = Tired(str(tmp_path), 0)
    with open_store(str(tmp_path / "a.duckdb")) as store:
        assert get_executor("ray", batch_size=3, actors=1).run(iter_inputs([str(pages)]), store, [component]).ok
        assert store.counts()["documents"] == 6
    assert not list(scratch.glob("narrascope-ray-*"))  # the full text does not linger on disk
    kept = tmp_path / "kept"
    with open_store(str(tmp_path / "b.duckdb")) as store:
        get_executor("ray", batch_size=3, actors=1, output_dir=str(kept)).run(iter_inputs([str(pages)]), store,
                                                                              [component])
    assert len(list(kept.glob("part-*.parquet"))) == 2

    def fail(*args):
        assert list(scratch.glob("narrascope-ray-*/part-*.parquet")), "the shard was not written"
        raise RuntimeError("store broke")

    monkeypatch.setattr(RayExecutor, "_load", staticmethod(fail))
    with open_store(str(tmp_path / "c.duckdb")) as store, pytest.raises(RuntimeError, match="store broke"):
        get_executor("ray", batch_size=3, actors=1).run(iter_inputs([str(pages)]), store, [component])
    assert not list(scratch.glob("narrascope-ray-*"))
