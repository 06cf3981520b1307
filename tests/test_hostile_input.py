"""Hostile input (issue 18): a generated fuzz of the command line (Typer's CliRunner, in-process) and the file
readers. Every generated input is bad by construction; each must end with exit 2, one line on stderr, no
traceback, within a bounded time. The generator is committed, not a list of cases: hypothesis draws a
command, the option to spoil and a hostile value for that option's kind (quantity, minutes, id, skin type,
file, free text), so a new command or option joins by adding one line to ``COMMANDS``.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from photodose.cli import app
from photodose.errors import PhotodoseInputError

HANG_SECONDS = 20  # a case still running after this is a hang
CASE_SECONDS = 5.0  # a refusal takes well under 1 s once imported; 5 s leaves room for a loaded CI machine

# ---------------------------------------------------------------- hostile values, by the kind of option
EXPRESSIONS = st.sampled_from(["10**10**10 cm", "2**1024 mm", "9**9**9 min", "(1+1) cm", "1e999 cm", "-1e999 cm",
                               "nan cm", "inf cm", "1e400 mW/cm2", "__import__('os') cm", "1 cm cm cm", "cm",
                               "1 cm**999", "1 cm^99", "0x10 cm", "1,5 cm", "--", "1 parsec", "5 kg"])
GARBAGE = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=0, max_size=12)
    .filter(lambda s: not any(ch.isdigit() for ch in s)).map(lambda s: s or " "),
    st.integers(65, 400).map(lambda n: "7" * n + " cm"),   # overlong
    st.integers(65, 400).map(lambda n: "x" * n),
    st.just("\udcff\udcfe cm"),                              # bytes that are not UTF-8, as Python passes them
)
NUMBERS_OUT_OF_RANGE = st.one_of(st.floats(min_value=1e6, max_value=1e300),
                                 st.floats(max_value=-1e-3, min_value=-1e300),
                                 st.sampled_from([float("nan"), float("inf"), float("-inf")]))
BAD_LENGTH = st.one_of(EXPRESSIONS, GARBAGE, NUMBERS_OUT_OF_RANGE.map(lambda v: f"{v!r} km"),
                       st.sampled_from(["-5 cm", "11 m", "15 s", "62 mW/cm2", "15"]))
BAD_MINUTES = st.one_of(EXPRESSIONS, GARBAGE, NUMBERS_OUT_OF_RANGE.map(repr),
                        st.sampled_from(["0", "-20", "1e-9", "25 h", "20 cm", "20 minutes please", "1e999"]))
BAD_IRRADIANCE = st.one_of(EXPRESSIONS, GARBAGE, st.sampled_from(["-5 mW/cm2", "1e9 W/cm2", "5 cm", "5"]))


def _not_a_phototype(text: str) -> bool:
    """True when photodose refuses ``text`` as a phototype (free text can be "I" or " ii ", which are valid)."""
    from photodose.optics.phototypes import normalise_skin_type

    try:
        normalise_skin_type(text)
    except PhotodoseInputError:
        return True
    return False


BAD_SKIN_TYPE = st.one_of(st.sampled_from(["0", "7", "VII", "IIII", "-1", "3.5", "type 9", "", "1e3"]),
                          GARBAGE.filter(_not_a_phototype))
BAD_NAME = st.one_of(st.sampled_from(["", " ", "\udcff", "a\x00b"]), st.integers(201, 600).map(lambda n: "n" * n))


def _bad_id(known: tuple[str, ...]):
    return st.one_of(GARBAGE, st.sampled_from(known).map(lambda k: k[:-1] + "~"), EXPRESSIONS).filter(
        lambda s: s.strip().lower().replace(" ", "_") not in known)


DEVICES = ("generic-panel-660-850", "generic-laser-probe-808", "joovv-solo-3")
SITES = ("knee", "face", "forehead", "thigh")
CONDITIONS = ("knee-osteoarthritis",)
BAD_DEVICE, BAD_SITE, BAD_CONDITION = _bad_id(DEVICES), _bad_id(SITES + ("head", "back")), _bad_id(CONDITIONS)


# ---------------------------------------------------------------- hostile files
def _not_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _deep(n: int, json_like: bool) -> str:
    return "[" * n + "]" * n if json_like else "a:\n" + "".join("  " * i + "- \n" for i in range(1, n))


FILE_CONTENTS = st.one_of(
    st.binary(min_size=1, max_size=64).filter(lambda b: _not_utf8(b)),                 # binary
    st.text(st.sampled_from("caféñü"), min_size=1, max_size=20).map(lambda s: s.encode("latin-1")).filter(_not_utf8),
    st.integers(40, 50_000).map(lambda n: _deep(n, True).encode()),                   # deep JSON
    st.integers(40, 2_000).map(lambda n: ("{" * n + "}" * n).encode()),                # deep YAML flow
    st.integers(4_400, 6_000).map(lambda n: ('{"a": ' + "9" * n + "}").encode()),     # int-digit limit
    st.sampled_from([b"- a\n- b\n", b"null\n", b"42\n", b'"text"\n', b"[]\n", b"", b"\xef\xbb\xbf",
                     b"a: &a [1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b]\n",
                     b"{\"a\": NaN}", b"{\"a\": -NaN}", b"\x00\x00\x00", b"key: [unclosed\n",
                     b"layers: " + b"[{}," * 2000 + b"{}" + b"]" * 1]),
)


SPECIAL_PATHS = st.sampled_from(["{fifo}", "/dev/zero", "{dir}", "{missing}", "/dev/null"])


@st.composite
def bad_file(draw, suffix: str):
    """A path: a hostile file with ``suffix`` written under the test's folder, or a special path."""
    if draw(st.integers(0, 4)) == 0:
        return draw(SPECIAL_PATHS).replace("{fifo}", "{fifo}" + suffix)
    return ("{file}" + suffix, draw(FILE_CONTENTS))


# ---------------------------------------------------------------- the commands: argv template, spoilable slots
# Each entry: (argv with {slot} placeholders, {slot: (good value, hostile strategy)}).
DB = "{db}"
COMMANDS = [
    (["irradiance", "{device}", "--distance", "{distance}"],
     {"device": ("generic-panel-660-850", BAD_DEVICE), "distance": ("15 cm", BAD_LENGTH)}),
    (["irradiance", "generic-panel-660-850", "--area", "{area}"], {"area": ("20 cm x 20 cm", BAD_LENGTH)}),
    (["irradiance", "generic-panel-660-850", "--curve", "{curve}"],
     {"curve": ("1 cm..60 cm", st.one_of(BAD_LENGTH, BAD_LENGTH.map(lambda v: f"{v}..{v}"),
                                         st.just("0 cm..0 cm"), st.just("60 cm..1 cm")))}),
    (["irradiance", "{file}"], {"file": (None, bad_file(".yaml"))}),
    (["device", "add", "{file}"], {"file": (None, st.one_of(bad_file(".yaml"), bad_file(".toml")))}),
    (["device", "claims", "--distance", "{distance}"], {"distance": ("30 cm", BAD_LENGTH)}),
    (["calibrate", "generic-panel-660-850", "--reading", "{reading}"],
     {"reading": (None, st.one_of(BAD_LENGTH.map(lambda v: f"{v}=62 mW/cm2"),
                                  BAD_IRRADIANCE.map(lambda v: f"15 cm={v}"),
                                  st.just("15 cm=62 mW/cm2=5"), GARBAGE))}),
    (["safety", "device", "{device}", "--distance", "{distance}", "--minutes", "{minutes}", "--site", "{site}",
      "--skin-type", "{skin}"],
     {"device": ("generic-laser-probe-808", BAD_DEVICE), "distance": ("10 cm", BAD_LENGTH),
      "minutes": ("10", BAD_MINUTES), "site": ("thigh", BAD_SITE), "skin": ("III", BAD_SKIN_TYPE)}),
    (["safety", "screen", "--answers", "{file}", "--site", "knee"], {"file": (None, bad_file(".yaml"))}),
    (["profile", "add", "{name}", "--skin-type", "{skin}", "--db", DB],
     {"name": ("pat-{case}", BAD_NAME), "skin": ("4", BAD_SKIN_TYPE)}),
    (["profile", "add", "pat-{case}", "--answers", "{file}", "--db", DB], {"file": (None, bad_file(".json"))}),
    (["profile", "add", "pat-{case}", "--fat", "{fat}", "--db", DB],
     {"fat": (None, st.one_of(BAD_LENGTH.map(lambda v: f"knee={v}"), BAD_SITE.map(lambda s: f"{s}=8 mm")))}),
    (["mc", "{file}", "--photons", "1000"], {"file": (None, bad_file(".json"))}),
    (["mc", "tests/data/sample.mci", "--photons", "{photons}"],
     {"photons": (None, st.one_of(GARBAGE, st.sampled_from(["inf", "nan", "-1", "0", "1e300", "2**64", "1.5"])))}),
    (["fast", "{file}"], {"file": (None, st.one_of(bad_file(".json"), bad_file(".mci")))}),
    (["import", "{file}", "--db", DB], {"file": (None, bad_file(".json"))}),
    (["log", "plan", "{file}", "--db", DB, "--profile", "fuzz"], {"file": (None, bad_file(".json"))}),
    (["log", "session", "--site", "{site}", "--device", "{device}", "--distance", "{distance}",
      "--minutes", "{minutes}", "--db", DB, "--profile", "fuzz"],
     {"site": ("knee", BAD_SITE), "device": ("generic-panel-660-850", BAD_DEVICE),
      "distance": ("15 cm", BAD_LENGTH), "minutes": ("10", BAD_MINUTES)}),
    (["plan", "--device", "{device}", "--condition", "{condition}", "--site", "{site}", "--distance",
      "{distance}", "--skin-type", "{skin}"],
     {"device": ("generic-panel-660-850", BAD_DEVICE), "condition": ("knee-osteoarthritis", BAD_CONDITION),
      "site": ("knee", BAD_SITE), "distance": ("15 cm", BAD_LENGTH), "skin": ("III", BAD_SKIN_TYPE)}),
    (["stack", "{site}", "--nm", "850", "--skin-type", "{skin}"],
     {"site": ("knee", BAD_SITE), "skin": ("III", BAD_SKIN_TYPE)}),
]


@st.composite
def hostile_case(draw):
    """(argv template, {slot: value}, files {name: bytes}): one command with one or more slots spoiled."""
    template, slots = draw(st.sampled_from(COMMANDS))
    names = list(slots)
    required_bad = [n for n in names if slots[n][0] is None]
    spoiled = set(required_bad) or {draw(st.sampled_from(names))}
    values, files = {}, {}
    for name in names:
        good, bad = slots[name]
        if name in spoiled or good is None:
            value = draw(bad)
            if isinstance(value, tuple):  # a file to write: (path template, bytes)
                files[value[0]] = value[1]
                value = value[0]
            values[name] = value
        else:
            values[name] = good
    return template, values, files


class Hang(BaseException):
    """Raised by the alarm: a case ran past ``HANG_SECONDS`` (a BaseException, so no handler swallows it)."""


@contextlib.contextmanager
def _alarm(seconds: int, argv):
    """Interrupt the case after ``seconds`` (SIGALRM also interrupts a blocking open() of a FIFO)."""
    def on_alarm(_signum, _frame):
        raise Hang(f"no answer after {seconds} s: {argv!r}")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def fuzz_folder(tmp_path_factory):
    """A folder with a journal holding profile 'fuzz', a FIFO, a folder, and room for the hostile files."""
    folder = tmp_path_factory.mktemp("hostile")
    db = str(folder / "journal.sqlite")
    result = CliRunner().invoke(app, ["profile", "add", "fuzz", "--db", db])
    assert result.exit_code == 0, result.output
    (folder / "adir").mkdir()
    for suffix in (".yaml", ".json", ".toml", ".mci"):
        os.mkfifo(folder / f"fifo{suffix}")
    previous = os.environ.get("PHOTODOSE_HOME")
    os.environ["PHOTODOSE_HOME"] = str(folder / "home")  # a device that got through would land here, not at home
    yield folder
    if previous is None:
        os.environ.pop("PHOTODOSE_HOME", None)
    else:
        os.environ["PHOTODOSE_HOME"] = previous


_CASE_NUMBERS = itertools.count()


def run_case(folder, template, values, files) -> tuple[int, str, str, float]:
    """Write the case's files, run it in-process, return (exit code, stdout, stderr, seconds)."""
    subst = {"db": str(folder / "journal.sqlite"), "fifo": str(folder / "fifo"), "dir": str(folder / "adir"),
             "missing": str(folder / "missing" / "x.json"), "file": str(folder / "case"),
             "case": str(next(_CASE_NUMBERS))}
    for path_template, content in files.items():
        (folder / ("case" + path_template.removeprefix("{file}"))).write_bytes(content)
    def expand(text: str) -> str:
        for key, path in subst.items():
            text = text.replace("{" + key + "}", path)
        return text

    argv = [expand(values[part[1:-1]]) if part[1:-1] in values else expand(part) for part in template]
    start = time.perf_counter()
    with _alarm(HANG_SECONDS, argv):
        result = CliRunner().invoke(app, argv, catch_exceptions=True)
    seconds = time.perf_counter() - start
    return result.exit_code, result.stdout, result.stderr, seconds, argv, result


def _assert_refused(case, folder):
    code, out, err, seconds, argv, result = run_case(folder, *case)
    shown = f"argv={argv!r}\nexit={code}\nstderr={err!r}\nexception={result.exception!r}"
    assert result.exception is None or isinstance(result.exception, SystemExit), shown
    assert code == 2, shown
    assert "Traceback" not in err + out, shown
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: "), shown
    assert seconds < CASE_SECONDS, shown


@pytest.mark.slow  # real processes or many cases: a few seconds each; CI runs it
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(case=hostile_case())
def test_every_generated_bad_command_line_is_one_line_exit_2(case, fuzz_folder):
    _assert_refused(case, fuzz_folder)


@pytest.mark.slow
@settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=hostile_case())
def test_a_thousand_generated_bad_command_lines_are_refused(case, fuzz_folder):
    _assert_refused(case, fuzz_folder)


# ---------------------------------------------------------------- the file reader itself
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(content=FILE_CONTENTS, suffix=st.sampled_from([".json", ".yaml", ".toml"]))
def test_the_one_reader_refuses_hostile_files_quickly(tmp_path_factory, content, suffix):
    from photodose.inputs import load_document

    path = tmp_path_factory.mktemp("reader") / f"f{suffix}"
    path.write_bytes(content)
    start = time.perf_counter()
    try:
        doc = load_document(path, "file")
    except PhotodoseInputError as exc:
        assert "\n" not in str(exc)
    else:  # a few generated files are well-formed (a list, null): they parse to small plain data
        assert doc is None or isinstance(doc, (list, dict, int, str, float))
    assert time.perf_counter() - start < 2.0


def test_the_one_reader_refuses_special_files_without_blocking(tmp_path):
    from photodose.inputs import read_bytes

    os.mkfifo(tmp_path / "fifo.yaml")
    for path, why in [(tmp_path / "fifo.yaml", "regular file"), ("/dev/zero", "regular file"), (tmp_path, "folder"),
                      (tmp_path / "none.yaml", "existing")]:
        with pytest.raises(PhotodoseInputError, match=why):
            read_bytes(path, "answers")
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 1001)
    with pytest.raises(PhotodoseInputError, match="at most 1,000 bytes"):
        read_bytes(big, "answers", max_bytes=1000)


def test_a_yaml_alias_bomb_is_refused_before_it_expands(tmp_path):
    from photodose.inputs import load_document

    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]  # 9**10 nodes
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines))
    start = time.perf_counter()
    with pytest.raises(PhotodoseInputError, match="anchors or aliases"):
        load_document(path, "file")
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("text", ["10**10**10 cm", "2**1024 mm", "9" * 300 + " cm", "1e999 cm", "nan cm"])
def test_a_quantity_is_a_number_and_a_unit_never_an_expression(text):
    from photodose.units import parse_length_mm

    start = time.perf_counter()
    with pytest.raises(PhotodoseInputError):
        parse_length_mm(text, "distance")
    assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize("text,minutes", [("20", 20.0), ("20 min", 20.0), ("20min", 20.0), ("1 h", 60.0),
                                          ("90 s", 1.5), ("1.5 hours", 90.0)])
def test_minutes_are_typed_as_people_type_them(text, minutes):
    from photodose.units import parse_minutes

    assert parse_minutes(text, "--minutes") == pytest.approx(minutes)
