"""Importing the staffing maths and the CLI stays light."""

from __future__ import annotations

import subprocess
import sys


def test_light_imports() -> None:
    code = (
        "import sys, kefu.wfm.erlang, kefu.wfm.cli; "
        "heavy = {'numpy', 'statsmodels', 'ortools', 'simpy', 'openpyxl', 'pandas'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
