"""The course's language everywhere: every message in Portuguese and English, nothing mixed.

- the tables: every key in both languages with the same placeholders, every key the code says
  exists, every check of the catalogue has its Portuguese title;
- what a student or an instructor reads, in Portuguese (``--lang pt``, the course's default) holds
  no English catalogue string, and in English no Portuguese one: ``dlgrade grade`` (terminal and
  ``--format json``), ``dlgrade check``, a notebook's ``check()``, Gradescope's results.json, a
  batch's console, feedback.txt and results.json. The catalogue strings are taken from the
  tables themselves (the fixed parts of each template, long enough to be distinctive), so the
  test keeps up as keys are added;
- locale names are accepted, an unknown language is refused with the list.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.core.checks import catalogue
from autograder.core.i18n import CATALOGUES, EN, PT, TITLES, language_of
from autograder.core.messages import say, title
from helpers import ROOT

SAMPLE = ROOT / "autograder" / "samples" / "student"
DISTINCTIVE = 12  # shorter fixed parts (", expected ", "Total: ") prove nothing
# keys whose text is the same in both languages, and why
SAME_IN_BOTH = {
    "notebook_check_line": "'pt' abbreviates points and pontos alike",
    "summary_total": "'Total' is Portuguese too",
    "exception": "the exception's own words",
    "title_unknown": "a check name no title matches is shown as it is",
}


def _fields(template: str) -> set[tuple[str, str | None]]:
    return {(name, conversion) for _, name, _, conversion in string.Formatter().parse(template) if name is not None}


def _fixed_parts(template: str) -> list[str]:
    return [text.strip() for text, _, _, _ in string.Formatter().parse(template) if text.strip()]


def catalogue_strings(language: str) -> set[str]:
    """The distinctive fixed parts of ``language``'s templates that no template of the other
    language shares (formulas, code and names are shared: they prove nothing)."""
    table = CATALOGUES[language]
    others = [t for lang, other in CATALOGUES.items() if lang != language for t in other.values()]
    found = set()
    for template in table.values():
        for part in _fixed_parts(template):
            if len(part) >= DISTINCTIVE and re.search(r"[^\W\d_]{3}", part) and not any(part in o for o in others):
                found.add(part)
    return found


def foreign(text: str, language: str) -> list[str]:
    """The catalogue strings of the other language found in ``text`` (whitespace-insensitive)."""
    other = "en" if language == "pt" else "pt"
    flat = " ".join(text.split())
    return sorted(s for s in catalogue_strings(other) if " ".join(s.split()) in flat)


# -- the tables ------------------------------------------------------------------------------------

def lacking(tables: dict[str, dict[str, str]]) -> list[str]:
    """``key: language`` for every key a table lacks that another has, and placeholder mismatches."""
    keys = set().union(*tables.values())
    problems = [f"{key}: no {language}" for key in sorted(keys) for language, table in tables.items()
                if key not in table]
    for key in sorted(keys):
        fields = {language: _fields(table[key]) for language, table in tables.items() if key in table}
        if len({frozenset(f) for f in fields.values()}) > 1:
            problems.append(f"{key}: placeholders differ {fields}")
    return problems


def test_every_message_in_both_languages():
    assert lacking(CATALOGUES) == []
    # the check itself fails on a key without a language, and on a placeholder that differs
    assert lacking({"en": {"a": "x", "b": "y"}, "pt": {"a": "x"}}) == ["b: no pt"]
    assert any("placeholders differ" in p for p in lacking({"en": {"a": "{n}"}, "pt": {"a": "{m}"}}))


def test_portuguese_is_not_english():
    same = sorted(k for k in EN if PT[k] == EN[k] and k not in SAME_IN_BOTH and not k.startswith("title:"))
    assert same == [], f"untranslated: {same}"
    titles = sorted(english for english, portuguese in TITLES.items() if english == portuguese)
    assert titles == [], f"untranslated titles: {titles}"


def test_every_key_the_code_says_exists():
    said = set()
    for path in (ROOT / "autograder").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        said |= set(re.findall(r"\bsay\(\s*\"([a-z0-9_]+)\"", text))
        said |= set(re.findall(r"\"(hint_[a-z0-9_]+)\"", text))
    assert said and sorted(said - set(EN)) == []


def test_every_check_of_the_catalogue_has_its_portuguese_title():
    names = {c.name for e in catalogue() for c in e.checks}
    untitled = sorted(n for n in names if title(n).key == "title_unknown")
    assert untitled == [], f"checks with no entry in autograder/core/titles.json: {untitled}"
    for name in names:
        english, portuguese = title(name).text("en"), title(name).text("pt")
        assert english == name, (name, english)
        assert portuguese != english, f"{name!r} is shown untranslated in Portuguese"
    # templated titles read the exercise's own name back: a new activation needs no entry
    assert title("matches finite differences of softsign").text("pt") == \
        "confere com as diferenças finitas de softsign"
    # a fixed title no check uses is stale (a templated one waits for new exercises: "parameter {name}")
    unused = sorted(e for e in TITLES if "{" not in e and not any(title(n).key == "title:" + e for n in names))
    assert unused == [], f"titles no check uses: {unused}"


def test_catalogue_strings_are_distinctive():
    english, portuguese = catalogue_strings("en"), catalogue_strings("pt")
    assert len(english) > 150 and len(portuguese) > 150
    assert "the derivative of tanh is 1 - tanh(z)²." in " ".join(english)
    assert not english & portuguese
    # the detector sees a sentence of the other language, even wrapped over lines
    assert foreign("Dica: Looks like 1 - σ(z)², the slide's typo:\n the derivative of tanh is 1 - tanh(z)².", "pt")
    assert foreign(say("call_timeout").text("pt"), "en") and not foreign(say("call_timeout").text("pt"), "pt")


def test_language_names():
    assert language_of("pt_BR") == language_of("pt-PT.UTF-8") == language_of("PT") == "pt"
    assert language_of("en_US.UTF-8") == "en" and language_of(None, "pt") == "pt"
    with pytest.raises(ValueError, match=r"'fr_FR'.*en, pt"):
        language_of("fr_FR")


# -- what a student or an instructor reads ------------------------------------------------------------

def _dlgrade(*args: str, lang_env: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DLGRADE_LANG"}
    env["COLUMNS"] = "120"
    if lang_env:
        env["DLGRADE_LANG"] = lang_env
    return subprocess.run([sys.executable, "-m", "autograder", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=900, env=env)


def _unmarked(markdown: str) -> str:
    """Markdown's backslash escapes and strong emphasis removed, entities unescaped (results.json's
    rows are Markdown): the words a student reads."""
    import html

    return html.unescape(re.sub(r"\\(.)", r"\1", markdown.replace("**", "")))


def _strings(value) -> str:
    """Every string of a JSON value, one per line."""
    if isinstance(value, dict):
        return "\n".join(_strings(v) for v in value.values())
    if isinstance(value, list):
        return "\n".join(_strings(v) for v in value)
    return value if isinstance(value, str) else ""


@pytest.mark.parametrize("language", ["pt", "en"])
def test_grade_report_in_one_language(language):
    done = _dlgrade("grade", str(SAMPLE), "--lang", language)
    assert done.returncode == 0, done.stderr[-2000:]
    assert foreign(done.stdout, language) == []
    hint = say("hint_label", hint=say("hint_tanh_grad_sigmoid")).text(language)
    assert " ".join(hint.split()) in " ".join(done.stdout.split())  # the positive control
    assert title("values (float64)").text(language) in done.stdout


@pytest.mark.parametrize("language", ["pt", "en"])
def test_grade_json_in_one_language(language):
    done = _dlgrade("grade", str(SAMPLE), "--format", "json", "--lang", language)
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(done.stdout)
    text = _unmarked(_strings(results))  # the Markdown rows as a student reads them
    assert foreign(text, language) == []
    names = {t["name"] for t in results["tests"]}
    assert f"activations.tanh_grad: {say('gradescope_row_public').text(language)}" in names
    assert title("matches finite differences of tanh").text(language) in text
    assert say("hint_label", hint=say("hint_r2_missing_one_minus")).text(language) in text


def test_the_course_language_is_the_default():
    default = _dlgrade("grade", str(SAMPLE))
    assert default.stdout == _dlgrade("grade", str(SAMPLE), "--lang", "pt_BR").stdout
    assert say("failures_title").text("pt") in default.stdout and foreign(default.stdout, "pt") == []
    from_environment = _dlgrade("grade", str(SAMPLE), lang_env="en_US.UTF-8")
    assert from_environment.stdout == _dlgrade("grade", str(SAMPLE), "--lang", "en").stdout
    assert foreign(_dlgrade("--help").stdout, "pt") == []
    english_help = " ".join(_dlgrade("grade", "--help", "--lang", "en").stdout.split())
    assert say("help_grade_path").text("en") in english_help and foreign(english_help, "en") == []


def test_an_unknown_language_is_refused_with_the_list():
    for args in (("grade", str(SAMPLE), "--lang", "fr"), ("check", str(SAMPLE), "--lang", "de_DE"),
                 ("release", "--out", "/nonexistent/release", "--lang", "es")):
        done = _dlgrade(*args)
        assert done.returncode == 2, (args, done.stderr)
        assert re.search(r"'(fr|de_DE|es)'.*en, pt", done.stderr), done.stderr
    assert "en, pt" in _dlgrade("grade", str(SAMPLE), lang_env="klingon").stderr


@pytest.mark.parametrize("language", ["pt", "en"])
def test_self_check_in_one_language(language):
    done = _dlgrade("check", str(SAMPLE), "--lang", language)
    assert done.returncode == 1, done.stderr[-2000:]
    assert foreign(done.stdout + done.stderr, language) == []
    assert say("selfcheck_title", path="").text(language).strip() in done.stdout


@pytest.mark.parametrize("language", ["pt", "en"])
def test_notebook_check_in_one_language(language, capsys, monkeypatch):
    from autograder.fronts.notebook import check

    monkeypatch.setenv("DLGRADE_LANG", language)
    namespace = {"np": __import__("numpy")}
    exec("def sigmoid(z):\n    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))\n"
         "def tanh_grad(z):\n    return 1 - sigmoid(z) ** 2\n"
         "def relu(z):\n    while True:\n        pass\n", namespace)
    assert check("activations.tanh_grad", namespace["tanh_grad"], public_only=False) < 6.5
    assert check("activations.relu", namespace["relu"]) == 0
    assert check("activations.no_such_function", namespace) == 0
    out = capsys.readouterr().out
    assert foreign(out, language) == []
    assert say("call_timeout").text(language) in out
    assert title("values (float64)").text(language) in out


@pytest.mark.parametrize("language", ["pt", "en"])
def test_gradescope_results_in_the_zips_language(language, tmp_path, monkeypatch):
    from autograder.fronts import gradescope

    monkeypatch.delenv("DLGRADE_LANG", raising=False)
    root = tmp_path / "autograder"
    (root / "source").mkdir(parents=True)
    (root / "source" / gradescope.CONFIG_NAME).write_text(json.dumps({"language": language}))
    (root / "submission").mkdir()
    for module in ("activations", "losses", "metrics"):
        (root / "submission" / f"{module}.py").write_bytes((SAMPLE / f"{module}.py").read_bytes())
    gradescope.run(root)
    results = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    assert results["score"] > 0 and foreign(_unmarked(_strings(results)), language) == []
    public = [t for t in results["tests"] if t["visibility"] == "visible"]
    assert say("gradescope_summary_public", score=f"{sum(t['score'] for t in public):g}",
               max=f"{sum(t['max_score'] for t in public):g}").text(language) in _unmarked(results["output"])
    fallback = gradescope.run_autograder(language)
    assert say("internal_error").text(language) in fallback and foreign(fallback, language) == []


def test_batch_console_and_feedback_in_portuguese(tmp_path):
    classroom = tmp_path / "class"
    classroom.mkdir()
    shutil.copytree(SAMPLE, classroom / "ana")
    done = _dlgrade("batch", str(classroom), "--out", str(tmp_path / "notas.csv"), "--feedback",
                    str(tmp_path / "feedback"), "--jobs", "1", "--lang", "pt")
    assert done.returncode == 0, done.stderr[-2000:]
    assert say("batch_students", count=1, folder=classroom).text("pt") in done.stderr
    feedback = (tmp_path / "feedback" / "ana" / "feedback.txt").read_text(encoding="utf-8")
    results = json.loads((tmp_path / "feedback" / "ana" / "results.json").read_text(encoding="utf-8"))
    for text in (done.stderr, feedback, _unmarked(_strings(results))):
        assert foreign(text, "pt") == []
    assert say("hint_label", hint="").text("pt").strip() in feedback


def test_an_english_release_speaks_english_by_default(tmp_path):
    """`dlgrade release --lang en`: English stubs, notebooks, README and check.py, and a
    self-check whose default is the release's language (no DLGRADE_LANG), not the course's."""
    from autograder.core.bank import Bank
    from autograder.fronts import assign

    out = tmp_path / "hw1-en"
    done = _dlgrade("release", "--out", str(out), "--lang", "en")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    english = assign.render(ROOT, "en")
    for name in ("activations.py", "losses.py", "metrics.py", "notebooks/metrics.ipynb"):
        assert (out / name).read_text(encoding="utf-8") == english[name], name
    templates = ROOT / "autograder" / "templates" / "release" / "en"
    for name in ("README.md", "check.py"):
        assert (out / name).read_bytes() == (templates / name).read_bytes(), name
    assert Bank(out / "autograder" / "data" / "public.bank", writable=False).release == {"language": "en"}
    env = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home()), "COLUMNS": "120", "PYTHONDONTWRITEBYTECODE": "1"}
    checked = subprocess.run([sys.executable, "check.py"], cwd=out, env=env, capture_output=True, text=True,
                             timeout=600)
    assert checked.returncode == 1, checked.stderr[-2000:]
    assert say("not_implemented").text("en") in checked.stdout and foreign(checked.stdout, "en") == []
    portuguese = subprocess.run([sys.executable, "check.py", "--lang", "pt", "-k", "sigmoid"], cwd=out,
                                env=env, capture_output=True, text=True, timeout=600)
    assert say("not_implemented").text("pt") in portuguese.stdout and foreign(portuguese.stdout, "pt") == []
