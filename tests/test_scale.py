"""Batch scale: same output for any number of workers or Dask, resume after SIGKILL."""
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from runs import CLI, reference_run, tables, write_articles

ARTICLES = 120


@pytest.fixture(scope="module")
def articles(tmp_path_factory, shared):
    return write_articles(tmp_path_factory.mktemp("scale") / "articles.jsonl", shared / "corpora", ARTICLES)


@pytest.fixture(scope="module")
def reference(articles, tmp_path_factory):
    return reference_run(articles, tmp_path_factory.mktemp("reference"))


def test_two_workers_give_identical_output(articles, reference, tmp_path):
    subprocess.run([*CLI, str(articles), "--out", str(tmp_path), "--workers", "2", "--batch-size", "7",
                    "--worker-batches", "4", "--quiet"], check=True)
    assert tables(tmp_path) == tables(reference)


def test_pool_replaces_a_worker_after_its_batches():
    from pipeline.annotate import Settings
    from pipeline.run.runner import PoolExecutor

    executor = PoolExecutor(Settings(processors=("tokenize",), worker_batches=1), workers=2)
    try:
        pids = [executor.pool.apply_async(os.getpid).get(timeout=120) for _ in range(3)]
    finally:
        executor.close()
    assert len(set(pids)) == 3


WORKER_FINDS_MODELS = """
from pipeline import nlp
from pipeline.annotate import Settings
from pipeline.run.runner import PoolExecutor


def counts():
    info = nlp.load_pipeline.cache_info()
    return info.hits, info.misses


if __name__ == "__main__":
    executor = PoolExecutor(Settings(processors=("tokenize", "pos"), worker_batches=1), workers=1)
    try:
        infos = [executor.pool.apply_async(counts).get(timeout=120) for _ in range(2)]
    finally:
        executor.close()
    import os
    print(infos, os.environ.get("BERITA_PRELOAD"), os.environ.get("OMP_NUM_THREADS"))
"""


def test_workers_fork_with_the_models_loaded_and_keep_the_setting_to_themselves(tmp_path):
    """Each worker (also the one replacing a retired worker) finds its models loaded by the fork server:
    its only load call is a cache hit, and the miss it inherits happened once, before the fork.  The
    settings made for the fork server (models to preload, threads per worker) stay out of the caller's
    environment."""
    script = tmp_path / "probe.py"
    script.write_text(WORKER_FINDS_MODELS)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300,
                          env={k: v for k, v in os.environ.items() if k not in ("BERITA_PRELOAD", "OMP_NUM_THREADS")})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["[(1,", "1),", "(1,", "1)]", "None", "None"]


INLINE_WORKER_FREEZES = """
import gc
from pipeline.annotate import Settings
from pipeline.run.runner import InlineExecutor

InlineExecutor(Settings(processors=("tokenize", "pos")), own_process=False)
in_a_callers_process = gc.get_freeze_count()
InlineExecutor(Settings(processors=("tokenize", "pos")), own_process=True)
print(in_a_callers_process, gc.get_freeze_count(), len(gc.get_objects()))
"""


def test_a_process_of_berita_alone_keeps_its_loaded_models_out_of_the_garbage_collectors_walks(tmp_path):
    """The objects that exist once the models are loaded are frozen: they live until the process
    ends, and every full collection (and the ones at exit) would otherwise walk them again.  A
    caller's process (the Python API) keeps its collector untouched."""
    script = tmp_path / "probe.py"
    script.write_text(INLINE_WORKER_FREEZES)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    in_a_callers_process, frozen, still_tracked = map(int, done.stdout.split())
    assert in_a_callers_process == 0
    assert frozen > 100_000 > still_tracked


def test_dask_local_cluster_gives_identical_output(articles, reference, tmp_path):
    subprocess.run([*CLI, str(articles), "--out", str(tmp_path), "--dask", "local", "--workers", "2",
                    "--batch-size", "9", "--quiet"], check=True, timeout=600)
    assert tables(tmp_path) == tables(reference)


def _parts(out):
    return sum(1 for _ in (out / ".berita" / "parts").glob("*/*.json")) if (out / ".berita").exists() else 0


def test_sigkill_then_resume_loses_and_duplicates_nothing(articles, reference, tmp_path):
    proc = subprocess.Popen([*CLI, str(articles), "--out", str(tmp_path), "--workers", "1", "--batch-size", "4",
                             "--quiet"], start_new_session=True)
    deadline = time.time() + 300
    while _parts(tmp_path) < 40 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_at = _parts(tmp_path)
    assert 0 < killed_at < ARTICLES, "the run must be killed mid-way"
    assert not (tmp_path / "documents.csv").exists()
    done = subprocess.run([*CLI, str(articles), "--out", str(tmp_path), "--workers", "1", "--quiet"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert tables(tmp_path) == tables(reference)


def test_rerun_skips_finished_documents_and_force_redoes_them(articles, reference, tmp_path):
    shutil.copytree(reference, tmp_path, dirs_exist_ok=True)  # a finished run, without annotating it again
    stamp = {p: p.stat().st_mtime_ns for p in (tmp_path / ".berita" / "parts").glob("*/*.json")}
    subprocess.run([*CLI, str(articles), "--out", str(tmp_path), "--quiet"], check=True)
    assert all(p.stat().st_mtime_ns == t for p, t in stamp.items())
    subprocess.run([*CLI, str(articles), "--out", str(tmp_path), "--quiet", "--force"], check=True)
    assert all(p.stat().st_mtime_ns != t for p, t in stamp.items())
    assert tables(tmp_path) == tables(reference)


def test_threads_per_worker_share_the_cores_unless_told():
    from pipeline.run.runner import threads_per_worker

    cores = os.cpu_count() or 1
    assert threads_per_worker(1) == cores
    assert threads_per_worker(2 * cores) == 1
    assert threads_per_worker(1, wanted=1) == 1


def test_threads_option_sets_torch_threads_and_rejects_zero(tmp_path):
    import torch

    from pipeline.annotate import Settings
    from pipeline.run.runner import InlineExecutor

    before = torch.get_num_threads()
    try:
        InlineExecutor(Settings(threads=1))
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)
    done = subprocess.run([*CLI, "x.txt", "--out", str(tmp_path), "--threads", "0"], capture_output=True, text=True)
    assert done.returncode == 2 and "--threads: expected a whole number >= 1" in done.stderr
