"""The notebooks in notebooks/ run top to bottom in a real Jupyter kernel and are stored without outputs.

Each notebook runs in a fresh ``python3`` kernel (ipykernel's) whose working directory and temporary folder
are test folders, with the checkout first on ``PYTHONPATH`` (so the notebooks exercise this tree, installed or
not) and matplotlib's Agg backend (a notebook that draws says ``%matplotlib inline``, Agg-based too). The
executed notebooks are kept in the test's tmp_path. A failing cell fails the test with its source and its error.
"""

from __future__ import annotations

import ast
import os
import re
import sys
from pathlib import Path

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager
from jupyter_client.kernelspec import NATIVE_KERNEL_NAME, KernelSpecManager, NoSuchKernel
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: Seconds one cell may take (the notebooks take seconds in all).
CELL_TIMEOUT = 120
#: What a notebook must show when run: (media type, at least how many outputs of it).
SHOWS = {"02-network-analysis": ("image/png", 2), "03-views": ("text/html", 5)}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def runs_this_interpreter(argv: list[str]) -> bool:
    """Whether a kernelspec's command starts this interpreter (jupyter_client puts ``sys.executable`` in
    place of a bare ``python``, ``python3`` or ``python3.X``)."""
    if not argv:
        return False
    bare = {"python", f"python{sys.version_info[0]}", "python{}.{}".format(*sys.version_info[:2])}
    return argv[0] in bare or os.path.abspath(argv[0]) == os.path.abspath(sys.executable)


def kernel_manager(spare: Path, name: str = NATIVE_KERNEL_NAME) -> KernelManager:
    """A manager for a kernel running this interpreter: Jupyter's ``name`` kernel when it does (ipykernel's
    ``python3``), else a kernelspec for this interpreter installed under ``spare`` (not in the user's home)."""
    specs = KernelSpecManager()
    try:
        if runs_this_interpreter(specs.get_kernel_spec(name).argv):
            return KernelManager(kernel_name=name, kernel_spec_manager=specs)
    except NoSuchKernel:
        pass
    from ipykernel.kernelspec import install

    folder = Path(install(kernel_name="kg-notebooks", prefix=str(spare)))
    return KernelManager(kernel_name=folder.name,
                         kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(folder.parent)]))


@pytest.fixture
def kernel_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Environment the kernel inherits: this checkout importable, Agg backend, temp files under tmp_path.
    Returns the working directory for the notebook."""
    path = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), *([path] if path else [])]))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    work = tmp_path / "work"
    work.mkdir()
    return work


def execute(nb: nbformat.NotebookNode, work: Path, km: KernelManager, label: str) -> nbformat.NotebookNode:
    """Run every cell of ``nb`` in a new kernel; a failing cell fails the test with its source and error."""
    client = NotebookClient(nb, km=km, timeout=CELL_TIMEOUT, resources={"metadata": {"path": str(work)}})
    try:
        client.execute()
    except CellExecutionError as exc:
        for number, cell in enumerate(nb.cells, 1):
            errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            if cell.cell_type == "code" and errors:
                trace = ANSI.sub("", "\n".join(errors[0].get("traceback", [])))
                pytest.fail(f"{label}: cell {number} failed\n--- source ---\n{cell.source}\n--- error ---\n"
                            f"{exc.ename}: {exc.evalue}\n{trace}", pytrace=False)
        pytest.fail(f"{label}: {ANSI.sub('', str(exc))}", pytrace=False)
    return nb


def test_the_notebooks_are_there() -> None:
    assert [p.name for p in NOTEBOOKS] == ["01-build-and-query.ipynb", "02-network-analysis.ipynb",
                                           "03-views.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path: Path, kernel_env: Path, tmp_path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    execute(nb, kernel_env, kernel_manager(tmp_path / "kernels"), path.name)
    nbformat.write(nb, tmp_path / path.name)  # the executed notebook, to look at when something is off
    media, least = SHOWS.get(path.stem, ("text/plain", 0))
    shown = [o for c in nb.cells for o in c.get("outputs", []) if media in o.get("data", {})]
    assert len(shown) >= least, f"{path.name} shows {len(shown)} {media} outputs, not at least {least}"
    assert not list(kernel_env.iterdir()), "a notebook wrote into its working directory"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_clean(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.cells[0].cell_type == "markdown", "a notebook opens with what the reader will learn"
    for number, cell in enumerate(nb.cells, 1):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {number} has outputs: clear them"
            assert cell.execution_count is None, f"{path.name} cell {number} has an execution count: clear it"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_uses_public_names(path: Path) -> None:
    """No ``_private`` name of kg is imported or reached through a module."""
    nb = nbformat.read(path, as_version=4)
    for number, cell in enumerate(nb.cells, 1):
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(TransformerManager().transform_cell(cell.source))):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "kg":
                names = [*(node.module or "").split("."), *(a.name for a in node.names)]
            elif isinstance(node, ast.Import):
                names = [part for a in node.names if a.name.split(".")[0] == "kg" for part in a.name.split(".")]
            private = [n for n in names if n.startswith("_")]
            assert not private, f"{path.name} cell {number} uses private kg names: {private}"
        assert not re.search(r"\bkg(\.\w+)*\._", cell.source), f"{path.name} cell {number} reaches a private kg name"


def test_kernel_fallback_runs_this_interpreter(kernel_env: Path, tmp_path: Path) -> None:
    """Without a usable ``python3`` kernelspec, a kernel for this interpreter is installed and used."""
    km = kernel_manager(tmp_path / "kernels", name="no-such-kernel")
    assert km.kernel_name == "kg-notebooks"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys\nprint(sys.executable)")])
    execute(nb, kernel_env, km, "fallback kernel")
    assert nb.cells[0].outputs[0]["text"].strip() == sys.executable


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_chart_has_a_legend(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    charts = [c.source for c in nb.cells if c.cell_type == "code" and "plt.subplots" in c.source]
    assert all(".legend(" in source for source in charts), path.name
