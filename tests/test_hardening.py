"""Regression tests for hostile input, hostile environments and interrupted outputs.

Every case is a clean exit 2 with one line naming the key, the value or the path — never a traceback,
never a hang, never a half-written output.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from budgets import examples
from cloudwright.cli import app
from cloudwright.errors import HostError, InputError
from cloudwright.inputs import MAX_ALIAS_EXPANSION, SIZE_CAPS, parse_document, read_input
from cloudwright.outputs import write_file, write_set
from cloudwright.units import LARGEST, SMALLEST, money, round_money

OFFER = Path(__file__).parent / "pricing" / "fixtures" / "offers" / "AWSLambda-eu-west-1.json"
BOMB = "".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n',
        *(f"{c}: &{c} [{','.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)),
    ]
)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cloudwright-home"
    monkeypatch.setenv("CLOUDWRIGHT_HOME", str(home))
    return home


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    exc = result.exception
    assert exc is None or isinstance(exc, SystemExit), f"traceback: {exc!r}"
    return result.exit_code, result.stderr.strip()


def one_line_error(code: int, err: str, *needles: str) -> None:
    assert code == 2, err
    assert err.startswith("error:") and "\n" not in err and "Traceback" not in err, err
    assert len(err) < 400, err
    for needle in needles:
        assert needle in err, (needle, err)


@pytest.fixture(scope="module")
def _designed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One design's outputs for the module; each test gets its own copy (:func:`template`)."""
    root = tmp_path_factory.mktemp("hardening-design")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CLOUDWRIGHT_HOME", str(root / "cloudwright-home"))
        code, err = run(
            "design",
            "--expected-users",
            "100",
            "--requests-per-second",
            "1",
            "-o",
            str(root / "out"),
            "-f",
            "json",
        )
    assert code == 0, err
    return root / "out"


@pytest.fixture
def template(tmp_path: Path, _designed: Path) -> Path:
    out = shutil.copytree(_designed, tmp_path / "out")
    return Path(out) / "template.yaml"


# --------------------------------------------------------------------------------------------------
# bounded reading
# --------------------------------------------------------------------------------------------------
def test_alias_bomb_is_refused_with_a_short_message(tmp_path: Path, template: Path) -> None:
    assert len(BOMB.encode()) < 400
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB)
    code, err = run("design", str(path))
    one_line_error(code, err, "bomb.yaml:", "alias", f"{MAX_ALIAS_EXPANSION:,}")
    for args in (
        ["estimate", str(path)],
        ["review", str(path)],
        ["import", str(path)],
        ["validate", str(path), "--no-checkov"],
        ["deploy", str(path)],
    ):
        code, err = run(*args)
        one_line_error(code, err, "alias")
    for option in ("--usage-file", "--price-book"):
        code, err = run("estimate", str(template), option, str(path))
        one_line_error(code, err, "alias", option)


def test_alias_bomb_parse_is_fast_and_small_aliases_still_work() -> None:
    # a bound on work, not wall-clock: the check is one pass over the events of a 400-byte document
    with pytest.raises(InputError, match="alias"):
        parse_document(BOMB, source="bomb.yaml")
    doc = parse_document("base: &b {x: 1}\ncopy: *b\n")
    assert doc == {"base": {"x": 1}, "copy": {"x": 1}}


@pytest.mark.parametrize(
    "command",
    [
        ["design", "{}"],
        ["estimate", "{}"],
        ["review", "{}"],
        ["usage", "{}"],
        ["import", "{}"],
        ["validate", "{}", "--no-checkov"],
        ["deploy", "{}"],
        ["prices", "import", "{}", "--home", "HOME"],
    ],
)
def test_a_fifo_is_refused_at_once(tmp_path: Path, command: list[str]) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    args = [a.replace("{}", str(fifo)).replace("HOME", str(tmp_path / "h")) for a in command]
    code, err = run(*args)
    one_line_error(code, err, "FIFO")


def test_a_fifo_as_usage_file_or_price_book_is_refused(template: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for option in ("--usage-file", "--price-book"):
        code, err = run("estimate", str(template), option, str(fifo))
        one_line_error(code, err, "FIFO", option)


def test_fifo_never_blocks_a_real_process(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    proc = subprocess.run(
        [sys.executable, "-m", "cloudwright", "design", str(fifo)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "FIFO" in proc.stderr and "Traceback" not in proc.stderr


def test_dev_zero_and_directories_are_refused() -> None:
    code, err = run("design", "/dev/zero")
    one_line_error(code, err, "character device")
    code, err = run("estimate", "/tmp")
    one_line_error(code, err, "directory")


def test_files_over_the_size_cap_are_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:  # sparse: nothing is written, the size is what counts
        fh.truncate(SIZE_CAPS["requirements file"] + 1)
    code, err = run("design", str(big))
    one_line_error(code, err, "limit is 1 MiB")
    with pytest.raises(InputError, match="limit"):
        read_input(big, what="usage file")


def test_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bin.yaml"
    path.write_bytes(b"name: \xff\xfe\n")
    code, err = run("design", str(path))
    one_line_error(code, err, "UTF-8")


# --------------------------------------------------------------------------------------------------
# requirement documents
# --------------------------------------------------------------------------------------------------
def test_duplicate_keys_are_refused_naming_the_key_and_lines(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text("expected_users: 10\nrequests_per_second: 5\nexpected_users: 20\n")
    code, err = run("design", str(path))
    one_line_error(code, err, "dup.yaml:3:1", "duplicate key 'expected_users'", "first at line 1")
    path = tmp_path / "dup.json"
    path.write_text('{"expected_users": 10, "expected_users": 20}')
    code, err = run("design", str(path))
    one_line_error(code, err, "duplicate key 'expected_users'")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("budget_monthly_usd: 2.2e-308\n", "budget_monthly_usd"),
        ("budget_monthly_usd: -1\n", "budget_monthly_usd"),
        ("budget_monthly_usd: .nan\n", "budget_monthly_usd"),
        ("expected_users: 10000000001\n", "expected_users"),
        ("requests_per_second: .inf\n", "requests_per_second"),
        ("requests_per_second: 10000001\n", "requests_per_second"),
        ("data_size_gb: true\n", "data_size_gb"),
        ("team_size: '1e400'\n", "team_size"),
        ('{"budget_monthly_usd": NaN}', "NaN"),
        ("region: zz-fake-9\n", "region"),
    ],
)
def test_out_of_bounds_numbers_are_refused_with_file_line_and_key(
    tmp_path: Path, text: str, key: str
) -> None:
    path = tmp_path / "req.yaml"
    path.write_text("name: edge\n" + text if not text.startswith("{") else text)
    code, err = run("design", str(path))
    one_line_error(code, err, key, "req.yaml")
    if not text.startswith("{"):
        assert "req.yaml:2:1" in err, err


def test_extreme_but_valid_requirements_design_with_finite_totals() -> None:
    code, err = run(
        "design",
        "--expected-users",
        "10000000000",
        "--requests-per-second",
        "10000000",
        "--data-size-gb",
        "1000000000",
        "--budget-monthly-usd",
        "0.01",
        "-f",
        "json",
    )
    assert code == 0, err


@pytest.mark.parametrize("region", ["zz-fake-9", "us-east-99", "../eu-west-1"])
def test_unknown_regions_are_refused_everywhere(template: Path, region: str) -> None:
    for args in (
        ["design", "--expected-users", "5", "--region", region],
        ["estimate", str(template), "--region", region],
        ["import", str(template), "--region", region],
        ["deploy", str(template), "--region", region],
        ["prices", "show", "AWS::Lambda::Function", "--region", region],
        ["prices", "import", str(OFFER), "--region", region],
    ):
        code, err = run(*args)
        one_line_error(code, err, "region", "Region")


# --------------------------------------------------------------------------------------------------
# money formatting
# --------------------------------------------------------------------------------------------------
@settings(max_examples=examples(300), deadline=None)
@given(
    st.decimals(min_value=SMALLEST, max_value=LARGEST, allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.integers(0, 6),
)
def test_money_is_total_over_the_documented_range(value: Decimal, negative: bool, places: int) -> None:
    v = -value if negative else value
    text = money(v, places)
    assert Decimal(text.replace(",", "")) == round_money(v, places)


def test_money_formats_far_outside_the_range_without_raising() -> None:
    for v in ("2.2e-308", "1e30", "9" * 60, "-1e40"):
        assert money(Decimal(v))
    assert money(Decimal("NaN")) == "unknown"


# --------------------------------------------------------------------------------------------------
# prices import
# --------------------------------------------------------------------------------------------------
def _offer(tmp_path: Path, mutate) -> Path:  # type: ignore[no-untyped-def]
    doc = json.loads(OFFER.read_text())
    mutate(doc)
    path = tmp_path / "offer.json"
    path.write_text(json.dumps(doc))
    return path


def _first_dimension(doc: dict) -> dict:  # type: ignore[type-arg]
    terms = doc["terms"]["OnDemand"]
    sku = sorted(terms)[0]
    term = next(iter(terms[sku].values()))
    return next(iter(term["priceDimensions"].values()))


@pytest.mark.parametrize(
    ("mutate", "needle"),
    [
        (lambda d: d.__setitem__("offerCode", "../../evil"), "offerCode"),
        (lambda d: d.__setitem__("offerCode", "a/b"), "offerCode"),
        (
            lambda d: next(iter(d["products"].values()))["attributes"].__setitem__("regionCode", "../../x"),
            "regionCode",
        ),
        (lambda d: _first_dimension(d)["pricePerUnit"].__setitem__("USD", "NaN"), "pricePerUnit.USD"),
        (
            lambda d: _first_dimension(d)["pricePerUnit"].__setitem__("USD", "-149998442.80"),
            "pricePerUnit.USD",
        ),
        (lambda d: _first_dimension(d)["pricePerUnit"].__setitem__("USD", "Infinity"), "pricePerUnit.USD"),
        (lambda d: d.__setitem__("products", [1]), "products"),
        (lambda d: d["terms"].__setitem__("OnDemand", "x"), "terms.OnDemand"),
    ],
)
def test_prices_import_refuses_bad_offer_files_and_writes_nothing(
    tmp_path: Path, _isolated_home: Path, mutate, needle: str
) -> None:  # type: ignore[no-untyped-def]
    path = _offer(tmp_path, mutate)
    code, err = run("prices", "import", str(path), "--home", str(_isolated_home))
    one_line_error(code, err, needle)
    assert not _isolated_home.exists() or not any(p.is_file() for p in _isolated_home.rglob("*"))
    assert not (tmp_path.parent / "evil.json").exists()


def test_prices_import_writes_inside_the_data_folder(tmp_path: Path, _isolated_home: Path) -> None:
    code, err = run("prices", "import", str(OFFER), "--home", str(_isolated_home))
    assert code == 0, err
    files = [p for p in _isolated_home.rglob("*") if p.is_file()]
    assert files and all(p.resolve().is_relative_to(_isolated_home.resolve()) for p in files)
    assert not [p for p in files if p.name.startswith(".")]  # no temporary files left


# --------------------------------------------------------------------------------------------------
# outputs
# --------------------------------------------------------------------------------------------------
def test_output_to_a_directory_a_file_or_an_unwritable_place_is_one_line(
    template: Path, tmp_path: Path
) -> None:
    code, err = run("estimate", str(template), "-o", str(tmp_path))
    one_line_error(code, err, "directory")
    code, err = run("design", "--expected-users", "5", "-o", str(template))
    one_line_error(code, err, "not a directory")
    code, err = run("estimate", str(template), "-o", str(template / "x.json"))
    one_line_error(code, err, "--output")
    code, err = run("estimate", str(template), "-o", "/proc/cloudwright-test/x.json")
    one_line_error(code, err)


def test_a_full_disk_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, template: Path) -> None:
    real = os.fdopen

    def full(fd, *args, **kwargs):  # type: ignore[no-untyped-def]
        fh = real(fd, *args, **kwargs)

        def write(_data: bytes) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        fh.write = write  # type: ignore[method-assign]
        return fh

    monkeypatch.setattr("cloudwright.outputs.os.fdopen", full)
    code, err = run("estimate", str(template), "-o", str(tmp_path / "est.json"))
    one_line_error(code, err, "No space left on device")
    assert not list(tmp_path.glob(".est.json*"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_one_line(tmp_path: Path, template: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        code, err = run("estimate", str(template), "-o", str(ro / "x.json"))
        one_line_error(code, err, "Permission denied")
    finally:
        ro.chmod(stat.S_IRWXU)


def test_write_set_failing_part_way_leaves_previous_outputs_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_set(out, {"a.txt": "old a", "b.txt": "old b"})
    calls = {"n": 0}
    real = Path.write_bytes

    def flaky(self: Path, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # an interrupt while the new set is being written
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", flaky)
    with pytest.raises(KeyboardInterrupt):
        write_set(out, {"a.txt": "new a", "b.txt": "new b"})
    assert (out / "a.txt").read_text() == "old a" and (out / "b.txt").read_text() == "old b"
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "b.txt"]  # no temporary folder left


def test_design_output_interrupted_while_rendering_keeps_the_old_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    code, err = run("design", "--expected-users", "100", "-o", str(out), "-f", "json")
    assert code == 0, err
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def boom(_result: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr("cloudwright.render._html", boom)
    CliRunner().invoke(app, ["design", "--expected-users", "5000", "-o", str(out), "-f", "json"])
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_concurrent_write_sets_never_mix(tmp_path: Path) -> None:
    out = tmp_path / "out"
    names = [f"f{i}.txt" for i in range(20)]
    errors: list[BaseException] = []

    def writer(tag: str) -> None:
        try:
            for _ in range(15):
                write_set(out, {n: tag * 1000 for n in names}, owned=names)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(t,)) for t in "xy"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    contents = {(out / n).read_text() for n in names}
    assert len(contents) == 1  # every file from the same run
    assert sorted(p.name for p in out.iterdir()) == sorted(names)


def test_write_file_refuses_a_directory_and_reports_os_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="directory"):
        write_file(tmp_path, "x")
    with pytest.raises((HostError, InputError)):
        write_file("/proc/cloudwright-test/x", "x")


# --------------------------------------------------------------------------------------------------
# environment
# --------------------------------------------------------------------------------------------------
def test_deploy_to_an_endpoint_that_does_not_answer_is_one_line(template: Path) -> None:
    with socket.socket() as s:  # a port that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, err = run("deploy", str(template), "--endpoint-url", f"http://127.0.0.1:{port}")
    one_line_error(code, err, "cannot reach", str(port))


def test_deploy_to_aws_without_credentials_is_one_line(
    template: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    code, err = run("deploy", str(template), "--target", "aws", "--yes")
    one_line_error(code, err, "credentials")


def test_deploy_serve_refuses_a_busy_port_at_once(template: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        started = time.monotonic()
        code, err = run("deploy", str(template), "--serve", "--port", str(port))
        assert time.monotonic() - started < 120  # a guard against hanging, not a timing assertion
    one_line_error(code, err, "--port", str(port))
    code, err = run("deploy", str(template), "--serve", "--port", "70000")
    one_line_error(code, err, "--port")


# --------------------------------------------------------------------------------------------------
# docs
# --------------------------------------------------------------------------------------------------
def test_docs_list_the_bounds_of_every_numeric_field_and_the_size_caps() -> None:
    from cloudwright.requirements import numeric_bounds

    text = (Path(__file__).resolve().parents[1] / "docs" / "requirements.md").read_text(encoding="utf-8")
    table = text.split("## Derived figures")[0]
    rows = {
        line.split("|")[1].strip().strip("`"): line for line in table.splitlines() if line.startswith("| `")
    }
    for name, bounds in numeric_bounds().items():
        assert bounds and bounds in rows[name], (name, bounds)
    for what, cap in SIZE_CAPS.items():
        if what != "file":
            assert f"{cap // (1024 * 1024)} MiB" in text, what


def test_depends_on_cycles_are_refused_naming_the_cycle(template: Path, tmp_path: Path) -> None:
    from cloudwright.design.cfn_import import parse_template

    doc = parse_template(template.read_text())
    ids = sorted(doc["Resources"])[:3]
    for a, b in zip(ids, ids[1:] + ids[:1], strict=True):
        doc["Resources"][a]["DependsOn"] = [b]
    path = tmp_path / "cycle.json"
    path.write_text(json.dumps(doc))
    for command in ("estimate", "import", "review"):
        code, err = run(command, str(path))
        one_line_error(code, err, "circular dependency between resources", ids[0])
    doc["Resources"][ids[0]]["DependsOn"] = ids[0]
    path.write_text(json.dumps(doc))
    code, err = run("estimate", str(path))
    one_line_error(code, err, f"{ids[0]} → {ids[0]}")


def test_find_cycle() -> None:
    from cloudwright.cfn.cycles import find_cycle

    assert find_cycle({"a": ["b"], "b": ["c"], "c": []}) is None
    assert find_cycle({"a": ["b"], "b": ["a"]}) == ["a", "b", "a"]
    chain = {f"n{i}": [f"n{i + 1}"] for i in range(5000)}
    assert find_cycle(chain) is None
    chain["n5000"] = ["n0"]
    assert find_cycle(chain) is not None


def test_deploy_refuses_an_undeclared_parameter(template: Path) -> None:
    code, err = run("deploy", str(template), "--param", "Nope=1")
    one_line_error(code, err, "--param", "Nope", "Environment")


@pytest.mark.parametrize("value", ["nan", "inf", "-1"])
def test_estimate_hours_per_month_must_be_finite_and_in_range(template: Path, value: str) -> None:
    code, err = run("estimate", str(template), "--hours-per-month", value)
    one_line_error(code, err, "hours")
