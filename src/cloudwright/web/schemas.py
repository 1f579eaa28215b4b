"""The JSON API's request and response models (the OpenAPI spec is generated from these)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Problem(BaseModel):
    field: str | None = None
    message: str
    allowed: list[Any] | str | None = None


class ErrorBody(BaseModel):
    """Every error the API returns, whatever its status."""

    error: str = Field(description="One line saying what is wrong and what is allowed.")
    field: str | None = Field(None, description="The request field (or header) at fault, when one is.")
    allowed: list[Any] | str | None = Field(None, description="What the field accepts, when known.")
    problems: list[Problem] | None = Field(None, description="Every problem, when there are several.")


#: Error responses documented on every operation.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Bad request (unreadable template, wrong Host header)."},
    401: {"model": ErrorBody, "description": "A token is configured and the request did not carry it."},
    404: {"model": ErrorBody, "description": "No such design, version or file."},
    405: {"model": ErrorBody, "description": "Method not allowed on this path."},
    413: {"model": ErrorBody, "description": "The request body or the template is too large."},
    415: {"model": ErrorBody, "description": "The body is not the media type this operation takes."},
    422: {
        "model": ErrorBody,
        "description": "Invalid input: names the field, the value and what is allowed.",
    },
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TemplateBody(_Strict):
    template: str = Field(
        description="The CloudFormation template itself, as YAML or JSON text (never a file name or path).",
        min_length=1,
    )


class EstimateBody(TemplateBody):
    usage: dict[str, Any] | None = Field(
        None, description="Usage assumptions by logical id, as in a usage file (see docs/usage-keys.md)."
    )
    free_tier: Literal["none", "always-free", "new-account"] = Field(
        "none", description="Which AWS Free Tier allowances to apply."
    )


class ReviewBody(TemplateBody):
    compliance: list[str] | None = Field(None, description="Compliance regimes to map the findings to.")


Environment = Literal["dev", "staging", "prod"]
