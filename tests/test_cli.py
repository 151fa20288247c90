"""The command line's own behaviour: devices, version, help, option names."""
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT

CLI = [sys.executable, "-m", "pipeline.cli"]


def berita(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=300)


def test_auto_device_is_cuda_only_when_torch_sees_a_gpu():
    import torch

    from pipeline.nlp import resolve_device

    assert resolve_device("auto") == ("cuda" if torch.cuda.is_available() else "cpu")
    assert resolve_device("cpu") == "cpu"


def test_cuda_without_a_gpu_is_one_error_line(tmp_path):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a CUDA GPU")
    done = berita("annotate", str(ROOT / "corpus"), "--out", str(tmp_path), "--device", "cuda")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"error: --device cuda: torch {torch.__version__} sees no CUDA GPU; use --device cpu or auto"]
    assert not any(tmp_path.iterdir())


def in_terminal(*args: str) -> str:
    """The command's output as a terminal shows it (a pseudo-terminal: the progress bar only shows in one)."""
    import os
    import pty

    main, child = pty.openpty()
    proc = subprocess.Popen([*CLI, *args], stdin=child, stdout=child, stderr=child, env={**os.environ, "COLUMNS": "120"})
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the command ended and closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    assert proc.wait(timeout=300) == 0
    return b"".join(chunks).decode("utf-8", errors="replace")


def test_progress_bar_counts_to_the_total_and_warnings_print_above_it(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.jsonl").write_text('{"id": "a1", "text": "Armenia bergabung dengan CSTO."}\n\n'
                                    '{"id": "a2", "text": "Georgia keluar dari CSTO."}\n', encoding="utf-8")
    (inputs / "empty.txt").write_text("", encoding="utf-8")
    shown = in_terminal("annotate", str(inputs), "--out", str(tmp_path / "out"), "--processors", "tokenize",
                        "--workers", "1", "--batch-size", "1")
    assert re.search(r"0/3\S* +\S*  0%", shown) and re.search(r"3/3\S* +\S*100%\S* [\d,]+ tokens/s", shown)
    assert "0:00:" in shown  # time left
    assert re.search(r"\x1b\[2Kempty: empty text\r?\n", shown), "the warning must start on a line the bar left"
    assert "failed (the error column of documents.csv says why): empty" in shown


def test_version_names_the_package_libraries_and_models():
    from importlib.metadata import version

    done = berita("--version")
    assert done.returncode == 0
    assert re.fullmatch(rf"berita {version('berita')} \(Stanza {version('stanza')}, spaCy {version('spacy')}, "
                        rf"torch {re.escape(version('torch'))}, models [0-9a-f]{{12}}\)\n", done.stdout)


def test_help_shows_defaults():
    shown = " ".join(berita("annotate", "--help").stdout.split())
    for default in ("(default: 16)", "(default: 1000000)", "(default: auto)", "(default: csv)",
                    "(default tokenize,mwt,pos,lemma,ner;"):
        assert default in shown
    assert "(default: None)" not in shown and "(default: False)" not in shown
    assert "(default: 2)" in " ".join(berita("train", "--help").stdout.split())


@pytest.mark.parametrize("typo, meant", [("--ouput", "--out"), ("--batch-siz", "--batch-size")])
def test_a_mistyped_option_is_named_not_guessed(typo, meant, tmp_path):
    done = berita("annotate", str(ROOT / "corpus"), typo, str(tmp_path))
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == f"berita annotate: error: unknown option {typo} (did you mean {meant}?)"


def test_the_progress_total_counts_what_is_read(tmp_path):
    from pipeline.ingest import count_documents, read_inputs

    (tmp_path / "one.txt").write_text("Satu.", encoding="utf-8")
    (tmp_path / "lines.jsonl").write_text('{"id": "a", "text": "x"}\n\n{"id": "b"}\nnot json\n', encoding="utf-8")
    (tmp_path / "rows.csv").write_text('id,text\nc,"two\nlines"\n\nd,y\n', encoding="utf-8")
    inputs = [tmp_path, tmp_path / "missing.jsonl"]
    assert count_documents(inputs) == len(list(read_inputs(inputs))) == 7


def test_a_reader_that_stops_early_ends_the_command_quietly(corpus_out):
    """``berita roster ... | head -1``: no error message, the exit status a shell gives a process killed by SIGPIPE."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # a reader that has already gone
    try:
        done = subprocess.run([*CLI, "roster", "CSTO", str(corpus_out)], stdout=write_end, stderr=subprocess.PIPE,
                              text=True, timeout=300)
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (141, "")
