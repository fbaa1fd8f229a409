"""scikit-learn's own metric tests, run against reference/ and solutions/ within the contract.

The installed scikit-learn ships its tests (``sklearn/metrics/tests/test_classification.py``,
``test_regression.py``, ``test_common.py``). ``tests/sklearn_contract/plugin.py`` runs them with
``sklearn.metrics.<name>`` replaced by the kit's function for every metric of the contract; a
call outside the contract (a keyword such as sample_weight, multilabel or string data,
average='samples', ...: the plugin's ``RULE``, decided by inspecting each call) skips its test.
Both the reference and the worked solutions must pass every test that ran, a good number of
tests must run, and the borders the contract writes down (``autograder.contract.BORDERS``)
are among them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from helpers import ROOT

FILES = ("test_classification", "test_regression", "test_common")
SUMMARY = re.compile(r"kit metrics \(([^)]*)\): (\d+) ran, (\d+) passed, (\d+) failed; (\d+) skipped out of contract")
AT_LEAST = 60  # tests that call a contract metric within the contract (about 90 with scikit-learn 1.9)


def run_sklearn_tests(target: str, tmp_path, *selection: str) -> tuple[subprocess.CompletedProcess, tuple]:
    """pytest on scikit-learn's metric test files with the plugin, from a neutral folder."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "sklearn_contract.plugin",
         "--kit-metrics", target, "-W", "ignore", "--pyargs",
         *[f"sklearn.metrics.tests.{name}" for name in FILES], *selection],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=1200)
    found = SUMMARY.search(done.stdout)
    assert found, done.stdout[-3000:] + done.stderr[-3000:]
    return done, tuple(int(n) for n in found.groups()[1:])


@pytest.mark.parametrize("target", ["reference", "solutions"])
def test_sklearn_metric_tests_pass_within_the_contract(target, tmp_path, capsys):
    done, (ran, passed, failed, outside) = run_sklearn_tests(target, tmp_path)
    with capsys.disabled():  # the count, in the suite's own output (CI's log)
        print(f"\nscikit-learn's metric tests against {target}/: {ran} ran, {passed} passed, {failed} failed; "
              f"{outside} skipped out of contract")
    failures = [line for line in done.stdout.splitlines() if line.startswith("kit metrics failed:")]
    assert failed == 0 and done.returncode == 0, "\n".join(failures) + "\n" + done.stdout[-4000:]
    assert ran >= AT_LEAST and passed == ran and outside > 0, done.stdout[-2000:]


def test_a_kit_that_broadcasts_a_column_fails_them(tmp_path):
    """The negative control: the solutions' accuracy_score as it was, comparing an (N, 1) y_pred
    with an (N,) y_true by broadcasting (0.52 where scikit-learn gives 1.0), fails
    scikit-learn's test of 1-D formats."""
    source = (ROOT / "solutions" / "metrics.py").read_text(encoding="utf-8")
    checked = "    y_true, y_pred = _vectors(y_true, y_pred, classes=True)\n    return np.mean(y_true == y_pred)"
    broken = source.replace(checked, "    return np.mean(np.asarray(y_true) == np.asarray(y_pred))")
    assert broken != source
    (tmp_path / "metrics.py").write_text(broken, encoding="utf-8")
    done, (ran, passed, failed, _) = run_sklearn_tests(str(tmp_path / "metrics.py"), tmp_path,
                                                       "-k", "format_invariance_with_1d_vectors")
    assert failed >= 1 and ran > passed, done.stdout[-3000:]
    assert "test_format_invariance_with_1d_vectors[accuracy_score]" in done.stdout
