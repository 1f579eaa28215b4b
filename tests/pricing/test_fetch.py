"""`prices fetch` end to end against a local HTTP server serving a small Price List tree (JSON and CSV)."""

from __future__ import annotations

import csv
import http.server
import io
import json
import re
import threading
import tracemalloc
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

from cloudwright.cli import app
from cloudwright.design.model import Design, Placement, Resource
from cloudwright.errors import InputError
from cloudwright.pricing.engine import price_design
from cloudwright.pricing.fetch import FetchError, _Quiet, _Stage, fetch, list_snapshots, parse_json_offer

BASE = "/offers/v1.0/aws"


def _offer_json(code: str, region: str, published: str, products: dict[str, tuple[dict, str]]) -> dict:
    """An offer file in the official shape: products + OnDemand terms (one dimension per product)."""
    return {
        "formatVersion": "v1.0",
        "disclaimer": "test",
        "offerCode": code,
        "version": published[:10].replace("-", "") + "000000",
        "publicationDate": published,
        "products": {
            sku: {"sku": sku, "productFamily": attrs.pop("productFamily", ""), "attributes": attrs}
            for sku, (attrs, _price) in products.items()
        },
        "terms": {
            "OnDemand": {
                sku: {
                    f"{sku}.JRTCKXETXF": {
                        "offerTermCode": "JRTCKXETXF",
                        "sku": sku,
                        "priceDimensions": {
                            f"{sku}.JRTCKXETXF.6YS6EN2CT7": {
                                "unit": "Hrs",
                                "beginRange": "0",
                                "endRange": "Inf",
                                "description": "test",
                                "pricePerUnit": {"USD": price},
                            }
                        },
                    }
                }
                for sku, (_attrs, price) in products.items()
            }
        },
    }


def _lambda_offer(published: str, gbs: str) -> dict:
    common = {"regionCode": "eu-west-1", "servicecode": "AWSLambda", "productFamily": "Serverless"}
    return _offer_json(
        "AWSLambda",
        "eu-west-1",
        published,
        {
            "LAMBDAREQ": ({**common, "group": "AWS-Lambda-Requests", "usagetype": "EU-Request"}, "0.0000003"),
            "LAMBDAGBS": (
                {**common, "group": "AWS-Lambda-Duration", "usagetype": "EU-Lambda-GB-Second"},
                gbs,
            ),
        },
    )


def _ec2_csv(published: str) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    w.writerow(["FormatVersion", "v1.0"])
    w.writerow(["Disclaimer", "test"])
    w.writerow(["Publication Date", published])
    w.writerow(["Version", "20250301000000"])
    w.writerow(["OfferCode", "AmazonEC2"])
    cols = [
        "SKU",
        "OfferTermCode",
        "RateCode",
        "TermType",
        "PriceDescription",
        "EffectiveDate",
        "StartingRange",
        "EndingRange",
        "Unit",
        "PricePerUnit",
        "Currency",
        "Product Family",
        "serviceCode",
        "Region Code",
        "Instance Type",
        "Operating System",
        "Tenancy",
        "Pre Installed S/W",
        "CapacityStatus",
        "usageType",
    ]
    w.writerow(cols)
    base = ["Compute Instance", "AmazonEC2", "eu-central-1"]
    w.writerow(
        [
            "SKUM5L",
            "JRTCKXETXF",
            "SKUM5L.JRTCKXETXF.6YS6EN2CT7",
            "OnDemand",
            "m5.large",
            "2025-03-01",
            "0",
            "Inf",
            "Hrs",
            "0.115",
            "USD",
            *base,
            "m5.large",
            "Linux",
            "Shared",
            "NA",
            "Used",
            "EUC1-BoxUsage:m5.large",
        ]
    )
    w.writerow(
        [
            "SKUM5L",
            "4NA7Y494T4",
            "SKUM5L.4NA7Y494T4.6YS6EN2CT7",
            "Reserved",
            "1yr",
            "2025-03-01",
            "0",
            "Inf",
            "Hrs",
            "0.07",
            "USD",
            *base,
            "m5.large",
            "Linux",
            "Shared",
            "NA",
            "Used",
            "EUC1-BoxUsage:m5.large",
        ]
    )
    w.writerow(
        [
            "SKUWIN",
            "JRTCKXETXF",
            "SKUWIN.JRTCKXETXF.6YS6EN2CT7",
            "OnDemand",
            "m5.large win",
            "2025-03-01",
            "0",
            "Inf",
            "Hrs",
            "0.207",
            "USD",
            *base,
            "m5.large",
            "Windows",
            "Shared",
            "NA",
            "Used",
            "EUC1-BoxUsage:m5.large",
        ]
    )
    return buf.getvalue()


def _tree(root: Path, *, lambda_published: str = "2025-03-01T00:00:00Z", gbs: str = "0.0000170000") -> None:
    def put(path: str, data: str | bytes) -> None:
        target = root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data if isinstance(data, bytes) else data.encode())

    offers = {}
    for code in ("AWSLambda", "AmazonEC2"):
        offers[code] = {
            "offerCode": code,
            "versionIndexUrl": f"{BASE}/{code}/index.json",
            "currentVersionUrl": f"{BASE}/{code}/current/index.json",
            "currentRegionIndexUrl": f"{BASE}/{code}/current/region_index.json",
        }
    put(f"{BASE}/index.json", json.dumps({"formatVersion": "v1.0", "offers": offers}))
    lam_version = lambda_published[:10].replace("-", "") + "000000"
    put(
        f"{BASE}/AWSLambda/current/region_index.json",
        json.dumps(
            {
                "regions": {
                    "eu-west-1": {
                        "regionCode": "eu-west-1",
                        "currentVersionUrl": f"{BASE}/AWSLambda/{lam_version}/eu-west-1/index.json",
                    }
                }
            }
        ),
    )
    put(
        f"{BASE}/AWSLambda/{lam_version}/eu-west-1/index.json",
        json.dumps(_lambda_offer(lambda_published, gbs)),
    )
    put(
        f"{BASE}/AmazonEC2/current/region_index.json",
        json.dumps(
            {
                "regions": {
                    "eu-central-1": {
                        "regionCode": "eu-central-1",
                        "currentVersionUrl": f"{BASE}/AmazonEC2/20250301000000/eu-central-1/index.json",
                    }
                }
            }
        ),
    )
    put(f"{BASE}/AmazonEC2/20250301000000/eu-central-1/index.csv", _ec2_csv("2025-03-01T00:00:00Z"))


class _Handler(http.server.SimpleHTTPRequestHandler):
    truncate: ClassVar[set[str]] = set()

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path in self.truncate:  # an interrupted transfer: promise more bytes than are sent
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b'{"formatVersion": "v1.0", "offerCode": "AWSLambda", "prod')
            self.wfile.flush()
            self.close_connection = True
            return
        super().do_GET()


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[tuple[str, Path, type[_Handler]]]:
    """A local HTTP server (started by the test) serving the Price List tree; the handler class can break
    transfers."""
    root = tmp_path / "pricelist"
    _tree(root)
    handler: type[_Handler] = type("H", (_Handler,), {"truncate": set()})

    def make(*args, **kwargs):
        return handler(*args, directory=str(root), **kwargs)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", root, handler
    finally:
        httpd.shutdown()
        httpd.server_close()


def _lambda(region: str) -> Design:
    fn = Resource(
        logical_id="Fn",
        type="AWS::Lambda::Function",
        properties={"MemorySize": 1024},
        usage={"monthly_requests": 1_000_000, "request_duration_ms": 1000},
        placement=Placement(region=region),
    )
    return Design(resources=[fn], region=region)


def test_fetch_json_and_csv_offers_and_price_from_the_snapshot(server, tmp_path: Path) -> None:
    url, _root, _h = server
    cache = tmp_path / "cloudwright-cache"
    res = fetch(["eu-west-1"], ["AWSLambda"], source_url=url, cache=cache)
    assert [(s.offer_code, s.region, s.publication_date, s.rows) for s in res.snapshots] == [
        ("AWSLambda", "eu-west-1", "2025-03-01T00:00:00Z", 2)
    ]
    res = fetch(["eu-central-1"], ["AmazonEC2"], source_url=url, cache=cache, fmt="csv")
    assert res.snapshots[0].rows == 2  # m5.large Linux + Windows on demand; the Reserved row is not on-demand
    assert [s.publication_date for s in list_snapshots(cache)] == ["2025-03-01T00:00:00Z"] * 2

    est = price_design(_lambda("eu-west-1"))
    lines = {li.description: li for li in est.resources[0].line_items}
    req = next(li for d, li in lines.items() if "equest" in d)
    assert req.unit_price == Decimal("0.0000003")
    assert "fetched snapshot 2025-03-01" in req.price_source and req.price_date == "2025-03-01"
    vm = Resource(logical_id="Vm", type="AWS::EC2::Instance", properties={"InstanceType": "m5.large"})
    vm.placement.region = "eu-central-1"
    vm_est = price_design(Design(resources=[vm], region="eu-central-1"))
    hours = vm_est.resources[0].line_items[0]
    assert hours.unit_price == Decimal("0.115") and "fetched snapshot" in hours.price_source
    # EBS is in the same service: a fetched service replaces the built-in rows, so a missing row says so
    assert all("built-in catalogue" not in li.note for li in vm_est.resources[0].line_items)


def test_interrupted_fetch_leaves_the_previous_snapshot_in_use(server, tmp_path: Path) -> None:
    url, root, handler = server
    cache = tmp_path / "cloudwright-cache"
    fetch(["eu-west-1"], ["AWSLambda"], source_url=url, cache=cache)
    # a newer publication whose transfer breaks off part-way
    _tree(root, lambda_published="2025-04-01T00:00:00Z", gbs="0.0000999999")
    handler.truncate.add(f"{BASE}/AWSLambda/20250401000000/eu-west-1/index.json")
    with pytest.raises(FetchError, match="interrupted"):
        fetch(["eu-west-1"], ["AWSLambda"], source_url=url, cache=cache)
    assert [s.publication_date for s in list_snapshots(cache)] == ["2025-03-01T00:00:00Z"]
    assert not any((cache / "prices" / ".staging").iterdir())
    est = price_design(_lambda("eu-west-1"))
    assert all("2025-03-01" in li.price_date for li in est.resources[0].line_items if li.unit_price)
    # once the transfer works, the newer snapshot is used
    handler.truncate.clear()
    fetch(["eu-west-1"], ["AWSLambda"], source_url=url, cache=cache)
    assert [s.publication_date[:10] for s in list_snapshots(cache)] == ["2025-03-01", "2025-04-01"]
    est = price_design(_lambda("eu-west-1"))
    assert {li.price_date for li in est.resources[0].line_items if li.unit_price} == {"2025-04-01"}


def test_offer_data_is_validated(tmp_path: Path) -> None:
    stage = _Stage(tmp_path / "s.sqlite")
    bad = _lambda_offer("2025-03-01T00:00:00Z", "-1")
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    with pytest.raises(InputError, match="price out of range"):
        parse_json_offer(path, stage, _Quiet(), "AWSLambda eu-west-1")
    nan = json.dumps(_lambda_offer("2025-03-01T00:00:00Z", "NaN"))
    path.write_text(nan)
    with pytest.raises(InputError, match=r"price out of range|not a number"):
        parse_json_offer(path, _Stage(tmp_path / "t.sqlite"), _Quiet(), "x")
    doc = _lambda_offer("2025-03-01T00:00:00Z", "0.1")
    doc["products"]["../../etc"] = doc["products"].pop("LAMBDAREQ")
    path.write_text(json.dumps(doc))
    with pytest.raises(InputError, match="not an identifier"):
        parse_json_offer(path, _Stage(tmp_path / "u.sqlite"), _Quiet(), "x")


def test_cli_fetch_show_and_bad_input(server, tmp_path: Path) -> None:
    url, _root, _h = server
    runner = CliRunner()
    cache = str(tmp_path / "cloudwright-cache")
    ok = runner.invoke(
        app,
        [
            "prices",
            "fetch",
            "--region",
            "eu-west-1",
            "--service",
            "AWSLambda",
            "--source-url",
            url,
            "--cache-dir",
            cache,
        ],
    )
    assert ok.exit_code == 0, ok.output
    assert "AWSLambda eu-west-1: 2 price rows (published 2025-03-01T00:00:00Z)" in ok.stdout
    shown = runner.invoke(app, ["prices", "show", "--cache-dir", cache])
    assert (
        shown.exit_code == 0 and "AWSLambda eu-west-1: published 2025-03-01T00:00:00Z, 2 rows" in shown.stdout
    )
    for args, needle in (
        (["--region", "zz-fake-9", "--service", "AWSLambda"], "unknown Region"),
        (["--region", "eu-west-1", "--service", "NoSuchService"], "not a Price List service code"),
        (["--region", "eu-west-1", "--service", "../x"], "not an identifier"),
    ):
        bad = runner.invoke(app, ["prices", "fetch", *args, "--source-url", url, "--cache-dir", cache])
        assert bad.exit_code == 2 and needle in bad.output, bad.output
        assert "Traceback" not in bad.output
    down = runner.invoke(
        app,
        [
            "prices",
            "fetch",
            "--region",
            "eu-west-1",
            "--source-url",
            "http://127.0.0.1:9",
            "--cache-dir",
            cache,
        ],
    )
    assert down.exit_code == 2 and "cannot reach the Price List" in down.output


@pytest.mark.slow
def test_bounded_memory_on_a_large_offer_file(tmp_path: Path) -> None:
    """A ~13 MB offer file is parsed with a small Python heap (``json.load`` would need over 100 MB)."""
    path = tmp_path / "big.json"
    n = 4_500
    with open(path, "w") as fh:
        fh.write(
            '{"formatVersion":"v1.0","offerCode":"AmazonEC2","version":"1","publicationDate":"2025-03-01T00:00:00Z",'
        )
        fh.write('"products":{')
        for i in range(n):
            attrs = {
                "regionCode": "eu-west-1",
                "instanceType": f"x{i}.large",
                "operatingSystem": "Linux",
                "tenancy": "Shared",
                "usagetype": f"EU-BoxUsage:x{i}.large",
                "description": "padding " * 300,
            }
            fh.write(
                ("," if i else "")
                + json.dumps(f"SKU{i}")
                + ":"
                + json.dumps({"sku": f"SKU{i}", "productFamily": "Compute Instance", "attributes": attrs})
            )
        fh.write('},"terms":{"OnDemand":{')
        for i in range(n):
            term = {
                f"SKU{i}.T": {
                    "priceDimensions": {
                        f"SKU{i}.T.R": {
                            "unit": "Hrs",
                            "beginRange": "0",
                            "endRange": "Inf",
                            "description": "d" * 50,
                            "pricePerUnit": {"USD": "0.1"},
                        }
                    }
                }
            }
            fh.write(("," if i else "") + json.dumps(f"SKU{i}") + ":" + json.dumps(term))
        fh.write("}}}")
    size = path.stat().st_size
    assert size > 12_000_000
    stage = _Stage(tmp_path / "stage.sqlite")
    tracemalloc.start()
    try:
        parse_json_offer(path, stage, _Quiet(), "big")
        count = sum(1 for _ in stage.rows())
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        stage.close()
    assert count == n
    assert peak < size / 10, f"peak {peak} bytes for a {size}-byte file"


def test_only_fetch_touches_the_network() -> None:
    pricing = Path(__file__).parents[2] / "src" / "cloudwright" / "pricing"
    net = re.compile(r"^\s*(import|from)\s+(urllib|http\.client|socket|httpx|requests)\b", re.M)
    users = sorted(p.name for p in pricing.rglob("*.py") if net.search(p.read_text(encoding="utf-8")))
    assert users == ["fetch.py"]
