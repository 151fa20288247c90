"""Runs that are interrupted (Ctrl-C, with one and two workers) or that meet a second run into their folder."""
import os
import signal
import subprocess
import sys
import time

import pytest

from runs import CLI, reference_run, tables, write_articles


@pytest.fixture(scope="module")
def articles(tmp_path_factory, shared):
    return write_articles(tmp_path_factory.mktemp("articles") / "articles.jsonl", shared / "corpora", 40)


@pytest.fixture(scope="module")
def reference(articles, tmp_path_factory):
    return reference_run(articles, tmp_path_factory.mktemp("reference"))


def _ctrl_c_as_in_a_terminal() -> None:
    """Ctrl-C stops the run as it does in a terminal, even when the suite itself runs in the background
    (a shell starts background jobs with SIGINT ignored, and a child would inherit that)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(articles, out, workers: int) -> subprocess.Popen:
    """A run in its own process group (as a terminal starts it), once it has saved its first document."""
    proc = subprocess.Popen([*CLI, str(articles), "--out", str(out), "--workers", str(workers), "--batch-size", "2",
                             "--quiet"], start_new_session=True, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_ctrl_c_as_in_a_terminal)
    parts = out / ".berita" / "parts"
    while proc.poll() is None and not any(parts.glob("*/*.json")):
        time.sleep(0.1)
    assert proc.poll() is None, proc.stderr.read()
    return proc


@pytest.mark.parametrize("workers", [1, 2])
def test_ctrl_c_stops_with_one_line_and_the_same_command_resumes(articles, reference, tmp_path, workers):
    proc = _start(articles, tmp_path, workers)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole process group
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and len(stderr.splitlines()) == 1, stderr
    assert stderr.startswith("interrupted: ") and "resume with the same command" in stderr
    assert not (tmp_path / "documents.csv").exists()
    done = subprocess.run([*CLI, str(articles), "--out", str(tmp_path), "--workers", str(workers), "--quiet"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert tables(tmp_path) == tables(reference)


def test_a_second_run_into_the_same_folder_is_refused_and_the_first_is_unharmed(articles, reference, tmp_path):
    first = _start(articles, tmp_path, 1)
    os.kill(first.pid, signal.SIGSTOP)  # holds the folder, deterministically, while the second run tries
    try:
        second = subprocess.run([*CLI, str(articles), "--out", str(tmp_path), "--workers", "1", "--quiet"],
                                capture_output=True, text=True)
    finally:
        os.kill(first.pid, signal.SIGCONT)
    assert second.returncode == 2
    assert second.stderr.startswith("error: ") and len(second.stderr.splitlines()) == 1, second.stderr
    assert f"pid {first.pid}" in second.stderr and "in use" in second.stderr
    _, stderr = first.communicate(timeout=600)
    assert first.returncode == 0, stderr
    assert tables(tmp_path) == tables(reference)


def test_a_killed_run_leaves_no_lock_behind(tmp_path):
    from pipeline.io.lock import exclusive

    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom pipeline.io.lock import exclusive\n"
                               f"with exclusive({str(tmp_path)!r}):\n    print('locked', flush=True)\n"
                               "    time.sleep(3600)"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "locked\n"
    holder.kill()
    holder.wait()
    assert (tmp_path / ".berita" / "lock").exists()
    with exclusive(tmp_path):
        pass
