"""Strict schemas for the pricing inputs: usage files (cloudwright's and infracost's) and price books.

Every value is checked before anything reads it: numbers are finite, usage quantities are 0 … 1e15,
prices 0 … 1e9, discounts 0 … 100 percent; mappings are mappings. A failure is one
:class:`~cloudwright.errors.InputError` naming the file (with line and column when the document came
from a file), the key path, the value and what is allowed — never a traceback.

Bounds (also in docs/usage-keys.md):

* usage values: ``null`` (unknown), a number 0 … 1e15, a string (≤ 200 characters, e.g. an S3
  ``storage_class``) or, for keys that are blocks (infracost's S3 storage-class blocks), a mapping of
  the same; booleans are refused;
* price-book ``discounts``: 0 … 100 (percent off list price);
* price-book ``price`` and ``tiers`` prices and bounds: 0 … 1e9, finite; tiers ``[[begin, end|null,
  price], …]`` start at 0, are contiguous and end open (``null``).
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from cloudwright.errors import InputError

MAX_USAGE = Decimal("1e15")
MAX_PRICE = Decimal("1e9")
MAX_STRING = 200
MAX_DEPTH = 3


def _number(value: Any, where: str, *, low: Decimal, high: Decimal, what: str) -> Decimal:
    if isinstance(value, bool):
        raise InputError(
            f"{what} must be a number, not a boolean", field=where, value=value, allowed=f"{low} … {high}"
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(f"{what} must be finite", field=where, value=value, allowed=f"{low} … {high}")
    try:
        d = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        raise InputError(
            f"{what} is not a number", field=where, value=value, allowed=f"{low} … {high}"
        ) from None
    if not d.is_finite() or d < low or d > high:
        raise InputError(
            f"{what} out of range", field=where, value=value, allowed=f"a finite number {low} … {high}"
        )
    return d


def usage_value(value: Any, where: str, depth: int = 0) -> Any:
    """A checked usage value (see the module docstring); numbers come back as they were given."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise InputError(
            "a usage value is a number, not a boolean",
            field=where,
            value=value,
            allowed="a number ≥ 0 or null",
        )
    if isinstance(value, int | float | Decimal):
        _number(value, where, low=Decimal(0), high=MAX_USAGE, what="usage value")
        return value
    if isinstance(value, str):
        if len(value) > MAX_STRING:
            raise InputError(
                "usage text is too long",
                field=where,
                value=value[:40] + "…",
                allowed=f"≤ {MAX_STRING} characters",
            )
        return value
    if isinstance(value, dict):
        if depth >= MAX_DEPTH:
            raise InputError("usage blocks nest too deeply", field=where, allowed=f"≤ {MAX_DEPTH} levels")
        return {str(_key(k, where)): usage_value(v, f"{where}.{k}", depth + 1) for k, v in value.items()}
    raise InputError(
        "not a usage value",
        field=where,
        value=type(value).__name__,
        allowed="a number ≥ 0, a string, null or a block",
    )


def _key(key: Any, where: str) -> str:
    if not isinstance(key, str) or not key:
        raise InputError("usage keys are names", field=where, value=key, allowed="a non-empty string")
    return key


def usage_block(value: Any, where: str) -> dict[str, Any]:
    """The usage of one resource or type: a mapping of usage keys to values."""
    if not isinstance(value, dict):
        raise InputError(
            "the usage of a resource must be a mapping of usage keys",
            field=where,
            value=type(value).__name__ if not isinstance(value, str | int | float) else value,
            allowed="a mapping, e.g. {monthly_requests: 1000000}",
        )
    return {_key(k, where): usage_value(v, f"{where}.{k}", 1) for k, v in value.items()}


def usage_document(doc: Any, source: str) -> dict[str, Any]:
    """A whole usage file, checked: ``{version?, resource_usage?, resource_type_default_usage?}``."""
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise InputError(
            "a usage file must be a mapping",
            field=source,
            value=type(doc).__name__,
            allowed="version, resource_usage, resource_type_default_usage",
        )
    allowed = ("version", "resource_usage", "resource_type_default_usage")
    for k in doc:
        if k not in allowed:
            raise InputError("unknown top-level key in usage file", field=source, value=k, allowed=allowed)
    out: dict[str, Any] = {}
    if (doc.get("version") is not None and not isinstance(doc["version"], str | int | float)) or isinstance(
        doc.get("version"), bool
    ):
        raise InputError(
            "version is a number or text", field="version", value=doc.get("version"), allowed="e.g. 0.1"
        )
    for section in ("resource_usage", "resource_type_default_usage"):
        body = doc.get(section)
        if body is None:
            continue
        if not isinstance(body, dict):
            raise InputError(
                f"{section} must be a mapping",
                field=section,
                value=type(body).__name__,
                allowed="name: {key: value}",
            )
        out[section] = {_key(name, section): usage_block(u, f"{section}.{name}") for name, u in body.items()}
    return out


# --- price books -----------------------------------------------------------------------------------------


def _no_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("a number, not a boolean")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("a finite number")
    return value


class OverrideDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: str | None = Field(None, min_length=1, max_length=200)
    attributes: dict[str, str | int | float] | None = None
    servicecode: str | None = Field(None, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
    region: str | None = None
    price: Decimal | None = Field(None, ge=0, le=MAX_PRICE, allow_inf_nan=False)
    tiers: list[tuple[Decimal, Decimal | None, Decimal]] | None = None
    source: str = Field(..., min_length=1, max_length=500)
    date: str = Field("", pattern=r"^(\d{4}-\d{2}-\d{2})?$")
    note: str = Field("", max_length=500)
    commitment: str | None = None

    @field_validator("commitment")
    @classmethod
    def _commitment(cls, v: str | None) -> str | None:
        from cloudwright.pricing.commitments import TERMS

        if v is not None and v not in TERMS:
            raise ValueError("a commitment term, e.g. compute-sp-1y-no-upfront, ri-3y-all-upfront")
        return v

    @field_validator("price", mode="before")
    @classmethod
    def _price(cls, v: Any) -> Any:
        return _no_bool(v)

    @field_validator("attributes", mode="before")
    @classmethod
    def _attributes(cls, v: Any) -> Any:
        if isinstance(v, dict):
            for k, x in v.items():
                if isinstance(x, bool) or (isinstance(x, float) and not math.isfinite(x)):
                    raise ValueError(f"attribute {k} must be text or a finite number")
        return v

    @field_validator("tiers", mode="before")
    @classmethod
    def _tiers(cls, v: Any) -> Any:
        if v is None:
            return v
        if not isinstance(v, list) or not v:
            raise ValueError("tiers are [[begin, end|null, price], …]")
        for t in v:
            if not isinstance(t, list | tuple) or len(t) != 3:
                raise ValueError("each tier is [begin, end|null, price]")
            for x in t:
                _no_bool(x)
        return v

    @field_validator("region")
    @classmethod
    def _region(cls, v: str | None) -> str | None:
        from cloudwright import regions

        if v is not None and not regions.is_known(v):
            raise ValueError("an AWS Region code, e.g. eu-west-1")
        return v

    @model_validator(mode="after")
    def _shape(self) -> OverrideDoc:
        if (self.sku is None) == (self.attributes is None):
            raise ValueError("an override names either `sku` or `attributes` (one of them)")
        if self.attributes is not None and not self.attributes:
            raise ValueError("`attributes` must name at least one attribute")
        if (self.price is None) == (self.tiers is None):
            raise ValueError("an override gives either `price` or `tiers` (one of them)")
        if self.tiers is not None:
            expect = Decimal(0)
            for i, (begin, end, usd) in enumerate(self.tiers):
                for x in (begin, end, usd):
                    if x is not None and (not x.is_finite() or x < 0 or x > MAX_PRICE):
                        raise ValueError(f"tier {i}: numbers are finite, 0 … {MAX_PRICE}")
                if begin != expect:
                    raise ValueError(f"tier {i} must begin at {expect} (tiers are contiguous from 0)")
                if end is None and i != len(self.tiers) - 1:
                    raise ValueError("only the last tier is open-ended (end: null)")
                if end is not None and end <= begin:
                    raise ValueError(f"tier {i}: end must be above begin")
                expect = end if end is not None else expect
            if self.tiers[-1][1] is not None:
                raise ValueError("the last tier must be open-ended (end: null)")
        return self


class PriceBookDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, max_length=200)
    description: str = Field("", max_length=2000)
    discounts: dict[str, Decimal] = Field(default_factory=dict)
    overrides: list[OverrideDoc] = Field(default_factory=list)

    @field_validator("discounts", mode="before")
    @classmethod
    def _discounts(cls, v: Any) -> Any:
        if v is None:
            return {}
        if not isinstance(v, dict):
            raise ValueError("discounts map service codes to percentages, e.g. {AWSLambda: 10}")
        for k, x in v.items():
            _no_bool(x)
            if isinstance(x, dict | list) or x is None:
                raise ValueError(f"the discount for {k} is a percentage 0 … 100")
        return v

    @field_validator("discounts")
    @classmethod
    def _discount_range(cls, v: dict[str, Decimal]) -> dict[str, Decimal]:
        for k, x in v.items():
            if not x.is_finite() or not Decimal(0) <= x <= Decimal(100):
                raise ValueError(f"the discount for {k} is a percentage 0 … 100")
        return v

    @field_validator("overrides", mode="before")
    @classmethod
    def _overrides(cls, v: Any) -> Any:
        if v is None:
            return []
        if not isinstance(v, list):
            raise ValueError("overrides are a list of entries")
        return v


def price_book_document(doc: Any, source: str) -> PriceBookDoc:
    if not isinstance(doc, dict):
        raise InputError(
            "a price book must be a mapping",
            field=source,
            value=type(doc).__name__,
            allowed="name, description, discounts, overrides",
        )
    discounts = doc.get("discounts")
    if isinstance(discounts, dict):
        for k, x in discounts.items():
            where = f"discounts.{k}"
            if not isinstance(k, str) or not k:
                raise InputError("discounts are keyed by service code", field="discounts", value=k)
            if isinstance(x, dict | list) or x is None:
                raise InputError(
                    "a discount is a percentage",
                    field=where,
                    value=type(x).__name__,
                    allowed="a number 0 … 100",
                )
            _number(x, where, low=Decimal(0), high=Decimal(100), what="a discount (percent)")
    try:
        return PriceBookDoc.model_validate(doc)
    except ValidationError as exc:
        raise from_validation_error(exc) from None


def from_validation_error(exc: ValidationError) -> InputError:
    """The first pydantic error as one InputError: key path, value, what is allowed."""
    err = exc.errors(include_url=False)[0]
    path = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in err["loc"]).replace(".[", "[")
    msg = str(err["msg"]).removeprefix("Value error, ")
    value = err.get("input")
    if isinstance(value, dict | list):
        value = type(value).__name__
    e = InputError(msg, field=path or None, value=value)
    e.path_parts = [p for p in err["loc"]]  # type: ignore[attr-defined]
    return e


# --- where in the file -----------------------------------------------------------------------------------


def locate(text: str, path: list[Any]) -> tuple[int, int] | None:
    """1-based (line, column) of the node at ``path`` in a YAML/JSON text (None when not found)."""
    try:
        node: Any = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if str(k.value) == str(part):
                    node = v
                    break
            else:
                return None
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
        else:
            return None
    if node is None:
        return None
    return node.start_mark.line + 1, node.start_mark.column + 1


def with_location(exc: InputError, path: str, text: str | None) -> InputError:
    """Prefix an error with ``file:line:column`` when its key path can be found in the file."""
    parts = getattr(exc, "path_parts", None)
    if parts is None and exc.field:
        parts = [p for p in exc.field.replace("[", ".[").split(".") if p]
        parts = [
            int(p[1:-1]) if p.startswith("[") and p.endswith("]") and p[1:-1].isdigit() else p for p in parts
        ]
    where = None
    if text is not None and parts:
        where = locate(text, list(parts))
    prefix = f"{path}:{where[0]}:{where[1]}" if where else str(path)
    if exc.field:
        prefix += f": {exc.field}"
    out = InputError(
        f"{prefix}: {exc.args[0] if exc.args else 'invalid input'}",
        value=exc.value,
        allowed=exc.allowed,
    )
    return out
