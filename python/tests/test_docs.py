"""Every example in the docstrings and in README.md runs."""

import doctest
import re
import warnings
from pathlib import Path

import pytest

import tfjs_skip

README = Path(__file__).parent.parent / "README.md"


@pytest.mark.parametrize("cls", tfjs_skip.LAYER_CLASSES, ids=lambda c: c.__name__)
def test_docstring_examples(cls):
    runner = doctest.DocTestRunner()
    globs = {"keras": __import__("keras"), **{c.__name__: c for c in tfjs_skip.LAYER_CLASSES}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # input_shape= on a layer, as the documentation writes it
        for test in doctest.DocTestFinder().find(cls, cls.__name__, module=False, globs=globs):
            runner.run(test)
    assert runner.tries > 0 and runner.failures == 0


@pytest.mark.parametrize("index", range(len(re.findall(r"```python\n", README.read_text()))))
def test_readme_python_blocks(index):
    code = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)[index]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        exec(compile(code, f"README.md block {index}", "exec"), {"tfjs_skip": tfjs_skip})
