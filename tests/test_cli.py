"""The command line's own behaviour: devices, version, help, option names."""
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
