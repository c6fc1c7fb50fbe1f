import json
from pathlib import Path

import keras
import pytest

DATA = Path(__file__).parent / "data"


def pytest_report_header(config):
    return f"keras {keras.__version__}, backend {keras.backend.backend()}"


@pytest.fixture(scope="session")
def reference():
    """What the TF.js layers compute (written by make_reference.ts)."""
    return json.loads((DATA / "reference.json").read_text())


@pytest.fixture(autouse=True)
def _fresh_names():
    # Layer names restart at `skip_connection`, `dense`, ... in every test.
    keras.backend.clear_session()
    yield
