"""Monthly cost delta of a remediation: apply the fix to a copy of the design and price both.

The pricing engine (:func:`cloudwright.pricing.engine.price_design`) prices the original design once and
each fixed copy. If pricing is unavailable or raises, the review still completes and the finding says
"cost delta unknown".
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cloudwright.design.model import Design
from cloudwright.review.context import Outcome

UNKNOWN_NOTE = "cost delta unknown"


class CostDeltas:
    """Prices the design once and each fixed copy with the same options.

    When the caller passes the design's estimate, its total is the design's monthly cost (for the
    budget check) and its free-tier mode and hours per month are reused, so a delta compares like
    with like.
    """

    def __init__(self, design: Design, *, enabled: bool = True, estimate: Any = None) -> None:
        self.design = design
        self.enabled = enabled
        self._base: Decimal | None = None
        self._base_error: str | None = None
        self._given: Decimal | None = None
        #: The estimate behind ``total()`` (the given one, else the base pricing); None until priced.
        self.estimate: Any = estimate
        self._options: dict[str, Any] = {}
        self.note = ""
        if estimate is not None and getattr(estimate, "monthly_usd", None) is not None:
            self._given = Decimal(estimate.monthly_usd)
            for key in ("free_tier", "hours_per_month"):
                if getattr(estimate, key, None) is not None:
                    self._options[key] = getattr(estimate, key)

    def given(self) -> Decimal | None:
        """The total of the estimate passed in (None when none was)."""
        return self._given

    def _price(self, design: Design) -> Decimal:
        return Decimal(self._estimate(design).monthly_usd)

    def _estimate(self, design: Design) -> Any:
        from cloudwright.pricing.engine import PricingOptions, price_design

        options = PricingOptions(**self._options) if self._options else None
        return price_design(design, options)

    def base(self) -> Decimal | None:
        """The priced monthly total of the unchanged design (None when pricing failed)."""
        if self._base is None and self._base_error is None:
            try:
                est = self._estimate(self.design)
                self._base = Decimal(est.monthly_usd)
                if self.estimate is None:
                    self.estimate = est
            except Exception as exc:  # pricing is another stage; the review must not fail with it
                self._base_error = f"{type(exc).__name__}: {exc}"
                self.note = f"Cost deltas unknown: the design could not be priced ({self._base_error})."
        return self._base

    def total(self) -> Decimal | None:
        """The design's monthly cost: the given estimate's total, else priced here."""
        return self._given if self._given is not None else self.base()

    def delta(self, outcome: Outcome) -> tuple[Decimal | None, str]:
        if outcome.cost_delta is not None:
            return Decimal(outcome.cost_delta), outcome.cost_note
        if outcome.fix is None:
            return None, outcome.cost_note
        if not self.enabled:
            return None, UNKNOWN_NOTE
        base = self.base()
        if base is None:
            return None, UNKNOWN_NOTE
        fixed = self.design.model_copy(deep=True)
        try:
            outcome.fix(fixed)
            after = self._price(fixed)
        except Exception as exc:
            return None, f"{UNKNOWN_NOTE} ({type(exc).__name__})"
        diff = after - base
        if diff == 0:
            return None, outcome.cost_note
        return diff, outcome.cost_note
