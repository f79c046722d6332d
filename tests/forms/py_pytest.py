#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: pytest's report of failing assertions on each value
# (pytest.main in this process, the values read from the environment by
# the test module): a list holding the value, whose repr pytest cuts to
# its two ends around "..." ('sk_test_4eC...q8wVb2XyZ'), the value
# against itself changed at its end, and the short summary that cuts each
# failure's first line at the terminal's width (80 columns here).
import os
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ of the rewritten module
os.environ["COLUMNS"] = "80"
# pytest cuts nothing when CI or BUILD_NUMBER is set: not wanted here
os.environ.pop("CI", None)
os.environ.pop("BUILD_NUMBER", None)
import pytest  # noqa: E402

MODULE = '''
import os
import pytest

NAMES = os.environ["FORMS_NAMES"].split(",")


@pytest.mark.parametrize("name", NAMES)
def test_in_list(name):
    value = os.environ[name]
    assert [value, 1] == [value, 2]


@pytest.mark.parametrize("name", NAMES)
def test_changed_end(name):
    value = os.environ[name]
    assert value == value[:-1] + "!"
'''

print("FORMS-MARKER py_pytest", flush=True)
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "test_values.py")
    with open(path, "w") as f:
        f.write(MODULE)
    status = pytest.main(["-q", "-l", "-p", "no:cacheprovider", "--rootdir", d, path])
# every test fails: that is the report
sys.exit(0 if status == pytest.ExitCode.TESTS_FAILED else 1)
