"""`dlgrade batch --shard K/N` and `dlgrade merge` (issue 17): three shards graded as separate
processes merge into the gradebook of one run, byte for byte; incomplete or inconsistent sets
are refused with a message in both languages and a nonzero exit."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from autograder.fronts import shards
from helpers import ROOT
from test_batch import STUDENTS, make_class

N = 3


def dlgrade(*args: str, lang: str = "en") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder.fronts.cli", *args, "--lang", lang], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)


def state(gradebook: Path) -> Path:
    return gradebook.parent / ".dlgrade-batch" / gradebook.name


@pytest.fixture(scope="module")
def sharded(tmp_path_factory):
    """The class graded once whole, and once as three shards run side by side (one process each)."""
    base = tmp_path_factory.mktemp("shards")
    folder = make_class(base / "class")
    (folder / "zed").symlink_to(folder / "alice")  # a row the batch cannot grade: "error", no record
    whole = base / "whole" / "gradebook.csv"
    parts = [base / f"shard{k}" / f"gradebook-{k}.csv" for k in range(1, N + 1)]
    runs = [("batch", str(folder), "--out", str(whole), "--jobs", "1")]
    runs += [("batch", str(folder), "--out", str(p), "--jobs", "1", "--shard", f"{k}/{N}")
             for k, p in enumerate(parts, start=1)]
    with ThreadPoolExecutor(2) as pool:
        done = list(pool.map(lambda args: dlgrade(*args), runs))
    for run in done:  # 1: zed's row is an error
        assert run.returncode in (0, 1) and "Traceback" not in run.stderr, run.stderr[-3000:]
    assert "zed,,,zed,0," in whole.read_text()
    return base, whole, parts


def test_merged_gradebook_is_the_single_runs_byte_for_byte(sharded, tmp_path):
    base, whole, parts = sharded
    sizes = [len(json.loads((state(p) / shards.MANIFEST).read_text())["students"]) for p in parts]
    assert sum(sizes) == len(STUDENTS) + 1 and all(sizes)  # each shard graded its slice, none empty
    out = tmp_path / "merged.csv"
    merged = dlgrade("merge", *[str(state(p)) for p in parts], "--out", str(out),
                     "--report", str(tmp_path / "class.html"), "--export", "moodle")
    assert merged.returncode == 0, merged.stderr
    assert out.read_bytes() == whole.read_bytes()
    assert (tmp_path / "class.html").is_file() and (tmp_path / "merged.moodle.csv").is_file()
    # the shards' gradebooks work as well as their folders, in any order
    again = dlgrade("merge", *[str(p) for p in reversed(parts)], "--out", str(tmp_path / "again.csv"))
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "again.csv").read_bytes() == whole.read_bytes()


def test_shard_of_is_stable_as_the_class_grows():
    """A student's shard depends on their key alone (not Python's salted hash(), not the class):
    pinned, since a change would move students between shards of a class being graded."""
    assert [shards.shard_of(k, 3) for k in STUDENTS] == [3, 3, 3, 2, 1, 3]
    assert {shards.shard_of(f"student{i}", 4) for i in range(200)} == {1, 2, 3, 4}
    assert shards.parse("2/3") == shards.Shard(2, 3)
    for bad in ("0/3", "4/3", "3", "a/b", "1/0"):
        with pytest.raises(shards.BadShard):
            shards.parse(bad)


def _copies(parts: list[Path], where: Path) -> list[Path]:
    """The shards' state folders, copied to be spoiled."""
    return [Path(shutil.copytree(state(p), where / f"s{k}")) for k, p in enumerate(parts, start=1)]


def _edit(folder: Path, change) -> None:
    path = folder / shards.MANIFEST
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def _refused(folders: list[Path], tmp_path: Path, english: str, portuguese: str) -> None:
    out = tmp_path / "merged.csv"
    for lang, text in (("en", english), ("pt", portuguese)):
        run = dlgrade("merge", *map(str, folders), "--out", str(out), lang=lang)
        assert run.returncode == 1, run.stderr
        assert text in run.stderr, run.stderr
    assert not out.exists()


def _busiest(folders: list[Path]) -> Path:
    return max(folders, key=lambda f: len(json.loads((f / shards.MANIFEST).read_text())["students"]))


def test_a_missing_shard_is_refused(sharded, tmp_path):
    folders = _copies(sharded[2], tmp_path)
    _refused(folders[:2], tmp_path, "shard(s) 3/3 missing", "falta(m) a(s) parte(s) 3/3")


def test_a_shard_given_twice_is_refused(sharded, tmp_path):
    folders = _copies(sharded[2], tmp_path)
    twin = Path(shutil.copytree(folders[0], tmp_path / "twin"))
    _refused([*folders, twin], tmp_path, "given twice", "dada duas vezes")


def test_a_missing_student_is_refused(sharded, tmp_path):
    folders = _copies(sharded[2], tmp_path)
    _edit(_busiest(folders), lambda d: d["students"].pop())
    _refused(folders, tmp_path, "students in no shard", "alunos da turma em nenhuma parte")


def test_a_missing_or_stale_record_is_refused(sharded, tmp_path):
    folders = _copies(sharded[2], tmp_path)
    busiest = _busiest(folders)
    graded = [e for e in json.loads((busiest / shards.MANIFEST).read_text())["students"] if "error" not in e]
    (busiest / f"{graded[0]['key']}.json").unlink()
    _refused(folders, tmp_path, f"student {graded[0]['key']} has no current record", "não tem registro atual")


def test_a_student_recorded_twice_is_refused(sharded, tmp_path):
    folders = _copies(sharded[2], tmp_path)
    busiest = _busiest(folders)
    entry = json.loads((busiest / shards.MANIFEST).read_text())["students"][0]
    other = next(f for f in folders if f != busiest)
    shutil.copy(busiest / f"{entry['key']}.json", other)
    _edit(other, lambda d: d["students"].append(entry))
    _refused(folders, tmp_path, "recorded twice", "registrado duas vezes")


@pytest.mark.parametrize("field, value, english, portuguese", [
    ("kit", "0" * 20, "different kits or settings", "kits ou configurações diferentes"),
    ("checks", "0" * 20, "different checks", "verificações diferentes"),
    ("of", 4, "not from one split", "não são da mesma divisão"),
    ("class", "0" * 20, "different classes", "turmas diferentes"),
])
def test_inconsistent_shards_are_refused(sharded, tmp_path, field, value, english, portuguese):
    folders = _copies(sharded[2], tmp_path)
    _edit(folders[1], lambda d: d.update({field: value}))
    _refused(folders, tmp_path, english, portuguese)


def test_a_folder_that_is_no_shard_is_refused(sharded, tmp_path):
    base, whole, parts = sharded
    _refused([state(whole), *map(state, parts[1:])], tmp_path, "holds no finished shard", "não contém uma parte terminada")


def test_a_bad_shard_option_is_refused(tmp_path):
    run = dlgrade("batch", str(tmp_path), "--out", str(tmp_path / "g.csv"), "--shard", "4/3")
    assert run.returncode == 2 and "K/N" in run.stderr


def test_a_damaged_shard_account_is_refused(sharded, tmp_path):
    folders = _copies(sharded[2], tmp_path)
    _edit(folders[2], lambda d: d["students"][0].pop("index"))
    _refused(folders, tmp_path, "holds no finished shard", "não contém uma parte terminada")
