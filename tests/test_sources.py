"""Primary sources only (issue 13, item 5): nothing in the package or its output points to internal notes, the
"seed documents" or a file-system path, and every citation key resolves in the one bibliography.

The grep covers every file of the package (code, data, templates; not compiled caches) and the JSON and text
output of the runs a person sees: a demo knee plan, a transcranial plan, a laser plan, the demo's HTML report,
contraindication screening and a PHQ-9 entry with item 9 above 0 (in a temporary PHOTODOSE_HOME).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from photodose.bibliography import UNSOURCED, bibliography
from photodose.cli import main

PACKAGE = Path(__file__).parents[1] / "photodose"
FORBIDDEN = re.compile(r"pbm_facts|seed document|/work/|shared/reference", re.IGNORECASE)
SKIP_DIRS = {"__pycache__"}
SKIP_SUFFIXES = {".pyc", ".nbi", ".nbc"}  # compiled caches (numba writes its build path into them)

KNEE = ["plan", "--device", "generic-panel-660-850", "--condition", "knee-osteoarthritis"]
TPBM = ["plan", "--device", "generic-headset-810", "--condition", "depression-transcranial"]
LASER = ["plan", "--device", "generic-laser-probe-808", "--condition", "lateral-epicondylitis", "--goggles"]


def package_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*") if p.is_file() and not SKIP_DIRS & set(p.parts)
                  and p.suffix not in SKIP_SUFFIXES)


def forbidden_hits(text: str, where: str) -> list[str]:
    return [f"{where}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}" for m in FORBIDDEN.finditer(text)]


def test_the_grep_finds_what_it_looks_for():
    # the oracle itself: each forbidden form is caught, in any case; a bibliography key is not
    for bad in ("see pbm_facts.md s.4", "Seed Documents: 4-60", "/work/shared/x.md", "shared/reference/notes.md"):
        assert forbidden_hits(bad, "x"), bad
    assert not forbidden_hits("WALT 2010 (walt2010); photodose assumption (unsourced)", "x")


def test_no_package_file_cites_notes_seed_documents_or_a_path():
    files = package_files()
    assert len(files) > 100 and any(p.suffix == ".yaml" for p in files) and any(p.suffix == ".html" for p in files)
    hits = [h for p in files
            for h in forbidden_hits(p.read_bytes().decode("utf-8", "replace"), str(p.relative_to(PACKAGE.parent)))]
    assert not hits, "\n".join(hits)


def _run(capsys, args) -> str:
    try:
        main(list(args))
        code = 0
    except SystemExit as stop:
        code = stop.code or 0
    out, err = capsys.readouterr()
    assert code == 0, f"{args}: exit {code}: {err}"
    return out + err


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PHOTODOSE_HOME", str(tmp_path))
    monkeypatch.delenv("PHOTODOSE_DB", raising=False)
    return tmp_path


@pytest.mark.parametrize("args", [KNEE, TPBM, LASER], ids=["knee-panel", "tpbm-headset", "laser-probe"])
def test_demo_plans_json_and_text_cite_no_notes(home, capsys, args):
    as_json = _run(capsys, args + ["--json"])
    doc = json.loads(as_json)
    text = _run(capsys, args)
    hits = forbidden_hits(as_json, "json") + forbidden_hits(text, "text")
    assert not hits, "\n".join(hits)
    keys = {c["key"] if isinstance(c, dict) else c for c in doc.get("citations") or []}  # keys or {key, text}
    assert keys and keys <= set(bibliography()), keys - set(bibliography())


def test_demo_html_report_cites_no_notes(home, capsys):
    out = _run(capsys, ["demo", "--out", str(home / "demo"), "--json"])
    pages = sorted((home / "demo").glob("*.html"))
    assert pages
    hits = forbidden_hits(out, "demo json") + [h for page in pages
                                                for h in forbidden_hits(page.read_text(encoding="utf-8"), page.name)]
    assert not hits, "\n".join(hits)


def test_screening_and_phq9_item_9_output_cite_no_notes(home, capsys):
    from photodose.safety.screening import load_questionnaire

    answers = home / "answers.yaml"
    answers.write_text(yaml.safe_dump({"answers": {q.id: True for q in load_questionnaire().questions}}))
    screen = ["safety", "screen", "--answers", str(answers), "--site", "forehead", "--transcranial"]
    out = _run(capsys, screen + ["--json"]) + _run(capsys, screen)
    _run(capsys, ["profile", "add", "me"])
    phq9 = ["log", "outcome", "phq9", "--items", "1,1,1,1,1,1,1,1,2", "--profile", "me"]
    logged = _run(capsys, phq9 + ["--json"])
    alert = json.loads(logged)["alerts"][0]
    out += logged + _run(capsys, phq9)
    hits = forbidden_hits(out, "output")
    assert not hits, "\n".join(hits)
    # the item-9 alert: what to do, and nothing else
    assert "item 9" in alert and alert.endswith("contact your local emergency number or a crisis line now.")
    assert "unsourced" not in alert and "photodose" not in alert


def _citation_lists(node, where: str):
    """(where, key) for every entry of a `citations` / `*_citations` list in a YAML tree."""
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(k, str) and (k == "citations" or k.endswith("_citations")) and isinstance(v, list):
                yield from ((f"{where}.{k}", key) for key in v)
            else:
                yield from _citation_lists(v, f"{where}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _citation_lists(v, f"{where}[{i}]")


CODE_CITATIONS = re.compile(r"""["']?citations["']?\s*[:=]\s*[\[(]([^\]\)]*)[\])]""")
CODE_CITE = re.compile(r"""\bcit(?:e|ation)\(\s*["']([A-Za-z0-9_]+)["']""")


def test_every_citation_key_in_the_package_resolves_in_the_bibliography():
    known = set(bibliography())
    used = []
    for p in package_files():
        rel = str(p.relative_to(PACKAGE.parent))
        if p.suffix in (".yaml", ".yml") and p.name != "bibliography.yaml":
            used += list(_citation_lists(yaml.safe_load(p.read_text(encoding="utf-8")), rel))
        elif p.suffix == ".py":
            text = p.read_text(encoding="utf-8")
            for m in CODE_CITATIONS.finditer(text):
                used += [(rel, k) for k in re.findall(r"""["']([A-Za-z0-9_]+)["']""", m.group(1))]
            used += [(rel, k) for k in CODE_CITE.findall(text)]
    assert len(used) > 30  # protocols, instruments and code all cite
    missing = [f"{where}: {key}" for where, key in used if key not in known]
    assert not missing, "\n".join(missing)


def test_bibliography_entries_are_checkable_and_say_where_they_were_checked():
    for key, c in bibliography().items():
        assert c.verified_by.strip() and not forbidden_hits(c.verified_by, key), key
        assert c.authors.strip() and c.title.strip() and c.journal.strip() and 1900 < c.year < 2100, key
    assert UNSOURCED == "photodose assumption (unsourced)"


def test_remission_thresholds_are_those_of_star_d():
    # Trivedi et al. 2006 / Rush et al. 2006 (STAR*D): remission = QIDS-SR16 <= 5, HAM-D17 <= 7
    from photodose.outcomes.change import is_remission
    from photodose.outcomes.instruments import get_instrument

    assert is_remission("qids16", 5) and not is_remission("qids16", 6)
    assert is_remission("hamd17", 7) and not is_remission("hamd17", 8)
    for inst in ("qids16", "hamd17"):
        src = get_instrument(inst).remission_source
        assert "STAR*D" in src and "unsourced" not in src.lower() and "unverified" not in src.lower()


def test_evidence_grades_early_and_mixed_say_they_are_photodoses():
    from photodose.protocols import list_protocols

    graded = [p for p in list_protocols() if p.evidence.level in ("early", "mixed")]
    assert {p.id for p in graded} >= {"depression-transcranial", "cognition-transcranial", "skin-rejuvenation"}
    for p in graded:
        assert p.evidence.label == f"{p.evidence.level} (photodose's grading)"
        assert "photodose's own grading" in p.evidence.statement
        assert p.evidence.model_dump()["label"] == p.evidence.label


def test_overdose_bounds_are_labelled_photodose_defaults_not_huang():
    from photodose.planning.safety_link import DEFAULT_BOUNDS_SOURCE
    from photodose.safety.overdose import SOURCE

    for text in (SOURCE, DEFAULT_BOUNDS_SOURCE):
        assert "photodose assumption (unsourced)" in text and "not published" in text
        assert "more is not better" in text
