"""Writes the golden-test input notebooks (fledge's own fixtures) and, with Jupytext, their py:percent twins.

Run from this folder with the project venv: ../../../.venv/bin/python make_inputs.py
"""
import subprocess
import sys

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

KERNEL = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
          "language_info": {"name": "python", "version": "3.11.4"}}


def basic():
    cells = [
        new_markdown_cell("# Sales forecast\n\nWe load the sales table, clean it and fit a model."),
        new_code_cell("%matplotlib inline\nimport pandas as pd\nimport numpy as np", execution_count=1),
        new_code_cell('DATA = "data/sales.csv"\nSEED = 42', metadata={"tags": ["parameters"]}, execution_count=2),
        new_code_cell("df = pd.read_csv(DATA)\ndf.head()", execution_count=3,
                      outputs=[new_output("execute_result", data={"text/plain": "   a  b\n0  1  2"}, execution_count=3)]),
        new_markdown_cell("## Cleaning"),
        new_code_cell("def clean(frame):\n    return frame.dropna()", execution_count=4),
        new_code_cell("df = clean(df)\n!ls data\nfiles = !ls\ndf.describe?", execution_count=5,
                      metadata={"collapsed": True, "ExecuteTime": {"end_time": "2024-01-01T00:00:00"}}),
        new_code_cell("class Model:\n    def fit(self, x):\n        return self", execution_count=6),
        new_code_cell("", execution_count=None),
        new_raw_cell("This raw cell goes to nbconvert as is.", metadata={"format": "text/restructuredtext"}),
        new_code_cell("%%time\nmodel = Model().fit(df)", execution_count=7,
                      outputs=[new_output("stream", name="stdout", text="CPU times: 1 ms\n")]),
    ]
    return new_notebook(cells=cells, metadata=dict(KERNEL))


def tricky():
    cells = [
        new_code_cell("# %%\nx = 1\n#%% [markdown]\n# In[3]:\n# %matplotlib inline\n# !ls"),
        new_code_cell('s = """\n# %%\n%not_a_magic\n"""\nt = 1'),
        new_markdown_cell("Text with a fence:\n\n```\n# %%\n%%\n```\n\n%% after the fence\n# a heading\n#"),
        new_code_cell("%%bash -e\nls -l\necho 'done'"),
        new_code_cell("%%sql\nSELECT 1"),
        new_code_cell("%%html"),
        new_code_cell("z = 3", metadata={"tags": ["active-ipynb"]}),
        new_code_cell("w = 4", metadata={"title": "a title", "foo": {"b": [1, 2.5, None]}, "u": "é", "n": None}),
        new_code_cell("v = 5", metadata={"title": "x = {weird}", "cell_depth": 2}),
        new_code_cell("x = 1\n"),
        new_code_cell("x = 1\n\n"),
        new_code_cell("\n\nx = 2"),
        new_code_cell("  "),
        new_code_cell("\n"),
        new_markdown_cell(""),
        new_markdown_cell("trailing\n\n"),
        new_code_cell("x = (1 +\n     2)  \\\n\nlast = 'line'"),
        new_code_cell("%time a = \\\n  1\ny = a"),
        new_code_cell("    indented = 1"),
        new_raw_cell(""),
        new_code_cell("def g():\n    return 1"),
        new_code_cell("g()"),
    ]
    return new_notebook(cells=cells, metadata=dict(KERNEL))


def main():
    for name, nb in [("basic", basic()), ("tricky", tricky())]:
        nbformat.write(nb, f"inputs/{name}.ipynb")
    jupytext = sys.argv[1] if len(sys.argv) > 1 else "../../../.venv/bin/jupytext"
    for name in ["basic", "tricky"]:
        subprocess.run([jupytext, "--to", "py:percent", f"inputs/{name}.ipynb", "-o", f"inputs/jupytext_{name}.py"],
                       check=True)


main()
