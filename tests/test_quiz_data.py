"""Quiz data at scale: the bank's version is the same hash however it is computed, and a large
bank's quiz pages carry their settings while the questions go to one data file per module."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from generator.load import load_library
from generator.render import quizzes as q
from generator.scenarios import load_bank
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import write_department  # noqa: E402


def reference_version(library, bank) -> str:
    """The answer key's version as it is defined: one payload, dumped with sorted keys."""
    payload = {
        "questions": [q.question_data(x) for x in bank.questions],
        "clauses": {c: q.clause_entry(library, c) for x in bank.questions for c in x.clauses},
        "revisions": q.order_revisions(library, bank.questions),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def test_bank_version_of_the_bundled_bank_is_the_defined_hash():
    library = load_library(ROOT)
    bank = load_bank(ROOT, library)
    assert q.bank_version(library, bank) == reference_version(library, bank)
    q.forget()


def test_large_bank_version_and_data_files(tmp_path: Path):
    write_department(tmp_path, q.INLINE_MODULES_MAX + 1, scenarios=(q.INLINE_MODULES_MAX + 1) * 4)
    library = load_library(tmp_path)
    bank = load_bank(tmp_path, library)
    version = q.bank_version(library, bank)
    assert version == reference_version(library, bank)

    from generator.render.pages import PageRenderer
    import datetime as dt

    folder = tmp_path / "docs" / "training"
    folder.mkdir(parents=True)
    written = q.write_quiz_pages(library, bank, folder, PageRenderer(dt.date(2026, 1, 1)))
    files = sorted(p.name for p in (tmp_path / "docs" / "assets" / "quizzes").iterdir())
    assert files == sorted([f"{m.id}.js" for m in bank.modules] + ["final.js"])
    for quiz in written:
        page = (folder / f"{quiz.id}.md").read_text(encoding="utf-8")
        data = json.loads(page.split('data-rollcall="quiz-data">', 1)[1].split("</script>", 1)[0])
        assert data["questions"] == [] and "version" not in data  # it comes with the questions
        script = (tmp_path / "docs" / "assets" / "quizzes" / f"{data['load']['key']}.js").read_text(encoding="utf-8")
        prefix = f'(window.RollcallQuizData = window.RollcallQuizData || {{}})["{data["load"]["key"]}"] = '
        assert script.startswith(prefix)
        shared = json.loads(script[len(prefix):].rstrip().rstrip(";"))
        full = q.quiz_data(library, quiz, version)
        assert shared == {"version": version, "digest": data["load"]["digest"], "questions": full["questions"], "clauses": full["clauses"]}
        assert shared["digest"] == q.data_digest(full["questions"], full["clauses"])
    q.forget()


def test_editing_one_module_changes_only_its_quiz_pages_and_the_final_test(tmp_path: Path):
    """The bank's version changes with any edit, but it lives in the data files: the other
    modules' pages stay as they were, so `rollcall serve` converts only the changed ones."""
    import datetime as dt

    from generator.render.pages import PageRenderer

    write_department(tmp_path, q.INLINE_MODULES_MAX + 1, scenarios=(q.INLINE_MODULES_MAX + 1) * 4)

    def pages(folder: Path) -> dict[str, str]:
        library = load_library(tmp_path)
        bank = load_bank(tmp_path, library)
        (folder / "training").mkdir(parents=True)
        q.write_quiz_pages(library, bank, folder / "training", PageRenderer(dt.date(2026, 1, 1)))
        q.forget()
        return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in folder.rglob("*.*")}

    before = pages(tmp_path / "before")
    module = tmp_path / "scenarios" / "go-101.yaml"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace("  situation: >-\n    ", "  situation: >-\n    Meanwhile, ", 1), encoding="utf-8")
    after = pages(tmp_path / "after")

    changed = {name for name in before if before[name] != after[name]}
    changed_pages = {name for name in changed if name.endswith(".md")}
    assert {"training/go-101.md", "training/go-101-practice.md"} <= changed_pages
    assert changed_pages <= {"training/go-101.md", "training/go-101-practice.md", "training/final.md"}
    # every data file names the new version of the bank
    assert {name for name in before if name.endswith(".js")} <= changed
