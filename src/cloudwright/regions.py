"""AWS Regions: the one owner of Region codes, names, partitions and residency groups.

Every module that needs to know whether a Region exists, which geography it is in, or which Regions a
residency group such as ``eu`` covers asks here. The list is data with a source and a date; a Region
that is not listed is refused at input rather than designed for and priced as if it existed.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Where the list comes from and when it was last checked.
SOURCE = "https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html"
AS_OF = "2026-11-30"


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name: str
    partition: str  # aws | aws-us-gov | aws-cn
    group: str  # residency / geography group: us, ca, latam, eu, apac, me, af, cn


REGIONS: tuple[Region, ...] = (
    Region("us-east-1", "US East (N. Virginia)", "aws", "us"),
    Region("us-east-2", "US East (Ohio)", "aws", "us"),
    Region("us-west-1", "US West (N. California)", "aws", "us"),
    Region("us-west-2", "US West (Oregon)", "aws", "us"),
    Region("ca-central-1", "Canada (Central)", "aws", "ca"),
    Region("ca-west-1", "Canada West (Calgary)", "aws", "ca"),
    Region("mx-central-1", "Mexico (Central)", "aws", "latam"),
    Region("sa-east-1", "South America (São Paulo)", "aws", "latam"),
    Region("eu-west-1", "Europe (Ireland)", "aws", "eu"),
    Region("eu-west-2", "Europe (London)", "aws", "eu"),
    Region("eu-west-3", "Europe (Paris)", "aws", "eu"),
    Region("eu-central-1", "Europe (Frankfurt)", "aws", "eu"),
    Region("eu-central-2", "Europe (Zurich)", "aws", "eu"),
    Region("eu-south-1", "Europe (Milan)", "aws", "eu"),
    Region("eu-south-2", "Europe (Spain)", "aws", "eu"),
    Region("eu-north-1", "Europe (Stockholm)", "aws", "eu"),
    Region("ap-east-1", "Asia Pacific (Hong Kong)", "aws", "apac"),
    Region("ap-east-2", "Asia Pacific (Taipei)", "aws", "apac"),
    Region("ap-south-1", "Asia Pacific (Mumbai)", "aws", "apac"),
    Region("ap-south-2", "Asia Pacific (Hyderabad)", "aws", "apac"),
    Region("ap-southeast-1", "Asia Pacific (Singapore)", "aws", "apac"),
    Region("ap-southeast-2", "Asia Pacific (Sydney)", "aws", "apac"),
    Region("ap-southeast-3", "Asia Pacific (Jakarta)", "aws", "apac"),
    Region("ap-southeast-4", "Asia Pacific (Melbourne)", "aws", "apac"),
    Region("ap-southeast-5", "Asia Pacific (Malaysia)", "aws", "apac"),
    Region("ap-southeast-7", "Asia Pacific (Thailand)", "aws", "apac"),
    Region("ap-northeast-1", "Asia Pacific (Tokyo)", "aws", "apac"),
    Region("ap-northeast-2", "Asia Pacific (Seoul)", "aws", "apac"),
    Region("ap-northeast-3", "Asia Pacific (Osaka)", "aws", "apac"),
    Region("me-south-1", "Middle East (Bahrain)", "aws", "me"),
    Region("me-central-1", "Middle East (UAE)", "aws", "me"),
    Region("il-central-1", "Israel (Tel Aviv)", "aws", "me"),
    Region("af-south-1", "Africa (Cape Town)", "aws", "af"),
    Region("us-gov-east-1", "AWS GovCloud (US-East)", "aws-us-gov", "us"),
    Region("us-gov-west-1", "AWS GovCloud (US-West)", "aws-us-gov", "us"),
    Region("cn-north-1", "China (Beijing)", "aws-cn", "cn"),
    Region("cn-northwest-1", "China (Ningxia)", "aws-cn", "cn"),
)

BY_CODE: dict[str, Region] = {r.code: r for r in REGIONS}

#: Residency groups accepted in ``allowed_regions`` besides Region codes. ``eu``, ``us`` and ``apac``
#: are the common residency asks (GDPR, US-only, Asia Pacific); the others name the remaining
#: geographies so that every Region belongs to exactly one group.
GROUPS: dict[str, str] = {
    "us": "United States",
    "ca": "Canada",
    "latam": "Latin America",
    "eu": "Europe",
    "apac": "Asia Pacific",
    "me": "Middle East and Israel",
    "af": "Africa",
    "cn": "China",
}

#: The Region chosen for a group when the requirements name the group but no primary Region. These are
#: the groups' longest-established Regions, which offer the widest set of services.
GROUP_DEFAULT: dict[str, str] = {
    "us": "us-east-1",
    "ca": "ca-central-1",
    "latam": "sa-east-1",
    "eu": "eu-west-1",
    "apac": "ap-southeast-1",
    "me": "me-south-1",
    "af": "af-south-1",
    "cn": "cn-north-1",
}


def is_known(code: str) -> bool:
    return code in BY_CODE


def get(code: str) -> Region:
    """The Region with this code; KeyError when it is not a known Region."""
    return BY_CODE[code]


def name_of(code: str) -> str:
    region = BY_CODE.get(code)
    return region.name if region else code


def group_of(code: str) -> str | None:
    region = BY_CODE.get(code)
    return region.group if region else None


def partition_of(code: str) -> str | None:
    region = BY_CODE.get(code)
    return region.partition if region else None


def members(group: str) -> tuple[str, ...]:
    """Region codes in a residency group, in catalogue order."""
    return tuple(r.code for r in REGIONS if r.group == group)


def expand(entries: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Region codes that a list of Region codes and/or group names allows, in catalogue order.

    An empty list allows every Region. Unknown entries raise ValueError naming them.
    """
    if not entries:
        return tuple(r.code for r in REGIONS)
    allowed: set[str] = set()
    for entry in entries:
        if entry in GROUPS:
            allowed.update(members(entry))
        elif entry in BY_CODE:
            allowed.add(entry)
        else:
            raise ValueError(
                f"{entry!r} is neither a known AWS Region code nor a group ({', '.join(GROUPS)})"
            )
    return tuple(r.code for r in REGIONS if r.code in allowed)


def allows(entries: tuple[str, ...] | list[str], code: str) -> bool:
    """True when ``code`` may hold data under ``allowed_regions`` = ``entries`` (empty = anywhere)."""
    return not entries or code in expand(entries)


def default_region(entries: tuple[str, ...] | list[str]) -> str | None:
    """The primary Region to use when only ``allowed_regions`` is given: its first entry's Region."""
    if not entries:
        return None
    first = entries[0]
    if first in BY_CODE:
        return first
    return GROUP_DEFAULT.get(first)
