"""Writes on vendor profiles: `vendor_create` and `vendor_update`.

Inputs are plain values (what a serializer or a form validated for type); these functions
check the rules, normalise (country codes, standard language tags, certification keys) and
raise Django's ValidationError keyed by field (`languages[1].tag`) listing every problem.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import history_record_created
from core.channels import Channel
from core.names import look_alike, mixed_scripts
from vendors.models import (
    Vendor,
    VendorCertification,
    VendorChannel,
    VendorIndustry,
    VendorLanguage,
)
from vendors.services.validation import (
    Problems,
    certification_key,
    country_code,
    date_value,
    language_level,
    language_subtag,
    language_tag,
    object_list,
    scalar_list,
    text_value,
    whole_number,
)

MAX_HEADCOUNT = 10_000_000
PROFILE_FIELDS = (
    "name",
    "country",
    "delivery_countries",
    "channels",
    "languages",
    "certifications",
    "industries",
    "headcount",
)


def _channels(problems: Problems, value: object) -> list[str]:
    """Distinct channel names in the order given."""
    result: list[str] = []
    for index, raw in enumerate(scalar_list(problems, "channels", value)):
        if raw not in {c.value for c in Channel}:
            choices = ", ".join(c.value for c in Channel)
            problems.add(
                f"channels[{index}]",
                _("%(value)s is not a channel; use %(choices)s.")
                % {"value": repr(raw), "choices": choices},
            )
        elif raw not in result:
            result.append(str(raw))
    return result


def _countries(problems: Problems, value: object) -> list[str]:
    """Distinct delivery country codes in the order given."""
    result: list[str] = []
    for index, raw in enumerate(scalar_list(problems, "delivery_countries", value)):
        code = problems.check(f"delivery_countries[{index}]", lambda raw=raw: country_code(raw))
        if code and code not in result:
            result.append(code)
    return result


def _languages(problems: Problems, value: object) -> list[dict[str, str]]:
    """Languages with standard tags and levels; a tag listed twice is a problem."""
    result: list[dict[str, str]] = []
    for index, item in enumerate(object_list(problems, "languages", value)):
        field = f"languages[{index}]"
        tag = problems.check(f"{field}.tag", lambda item=item: language_tag(item.get("tag")))
        level = problems.check(
            f"{field}.level", lambda item=item: language_level(item.get("level"))
        )
        if tag and any(row["tag"] == tag for row in result):
            problems.add(f"{field}.tag", f"{tag} is listed more than once.")
        elif tag and level:
            result.append({"tag": tag, "level": level})
    return result


def _certifications(problems: Problems, value: object) -> list[dict[str, Any]]:
    """Certifications with their comparison key; the same name twice is a problem."""
    result: list[dict[str, Any]] = []
    for index, item in enumerate(object_list(problems, "certifications", value)):
        field = f"certifications[{index}]"
        name = problems.check(
            f"{field}.name", lambda item=item: text_value(item.get("name"), max_length=100)
        )
        until = problems.check(
            f"{field}.valid_until", lambda item=item: date_value(item.get("valid_until"))
        )
        if name and any(row["name_key"] == certification_key(name) for row in result):
            problems.add(f"{field}.name", f"{name} is listed more than once.")
        elif name:
            result.append({"name": name, "name_key": certification_key(name), "valid_until": until})
    return result


def _industries(problems: Problems, value: object) -> list[dict[str, Any]]:
    """Industries with whole years of experience; the same industry twice is a problem."""
    result: list[dict[str, Any]] = []
    for index, item in enumerate(object_list(problems, "industries", value)):
        field = f"industries[{index}]"
        industry = problems.check(
            f"{field}.industry", lambda item=item: text_value(item.get("industry"), max_length=100)
        )
        years = problems.check(
            f"{field}.years",
            lambda item=item: whole_number(item.get("years"), minimum=0, maximum=100),
        )
        if industry and any(r["industry"].casefold() == industry.casefold() for r in result):
            problems.add(f"{field}.industry", f"{industry} is listed more than once.")
        elif industry and years is not None:
            result.append({"industry": industry, "years": years})
    return result


def _lookalike_problem(name: str, others: Any, *, reveal: bool) -> str | None:
    """Why a vendor name is refused as a lookalike, or None (core.names, UTS #39 skeletons).

    The existing vendor is named only when `reveal`: a buyer-side user sees every vendor,
    a vendor's own staff renaming its profile must not learn another vendor's name."""
    scripts = mixed_scripts(name)
    if scripts:
        return _(
            "This name mixes letters of different scripts (%(scripts)s) that look alike; "
            "write it in one script."
        ) % {"scripts": ", ".join(scripts)}
    twin = next((o for o in others.values_list("name", flat=True) if look_alike(name, o)), None)
    if twin is None:
        return None
    if reveal:
        return _(
            "This name can be mistaken for the existing vendor “%(existing)s”; choose a name "
            "that reads differently."
        ) % {"existing": twin}
    return _(
        "This name can be mistaken for another vendor's name; choose a name that reads differently."
    )


def _clean_profile(
    *, values: Mapping[str, Any], vendor: Vendor | None, reveal: bool = False
) -> dict[str, Any]:
    """Validate and normalise the given profile fields; raises every problem at once."""
    problems = Problems()
    clean: dict[str, Any] = {}
    unknown = set(values) - set(PROFILE_FIELDS)
    for name in sorted(unknown):
        problems.add(name, "Not a vendor field.")
    if "name" in values:
        clean["name"] = problems.check("name", lambda: text_value(values["name"], max_length=200))
        others = Vendor.objects.exclude(pk=vendor.pk if vendor else None)
        if clean["name"] and others.filter(name__iexact=clean["name"]).exists():
            problems.add("name", _("A vendor with this name already exists."))
        elif clean["name"] and (
            problem := _lookalike_problem(clean["name"], others, reveal=reveal)
        ):
            problems.add("name", problem)
    if "country" in values:
        clean["country"] = problems.check("country", lambda: country_code(values["country"]))
    if "headcount" in values:
        clean["headcount"] = (
            None
            if values["headcount"] is None
            else problems.check(
                "headcount",
                lambda: whole_number(values["headcount"], minimum=0, maximum=MAX_HEADCOUNT),
            )
        )
    parsers = {
        "delivery_countries": _countries,
        "channels": _channels,
        "languages": _languages,
        "certifications": _certifications,
        "industries": _industries,
    }
    for name, parse in parsers.items():
        if name in values:
            clean[name] = parse(problems, values[name])
    problems.raise_if_any()
    return clean


def _replace_rows(vendor: Vendor, clean: Mapping[str, Any]) -> None:
    """Replace the child rows of each profile list that was given (deletes and adds are
    recorded in the vendor's history; bulk_create skips save(), so its rows are recorded here)."""
    rows: list[Any] = []
    if "channels" in clean:
        vendor.served_channels.all().delete()
        rows += VendorChannel.objects.bulk_create(
            VendorChannel(vendor=vendor, channel=c) for c in clean["channels"]
        )
    if "languages" in clean:
        vendor.languages.all().delete()
        rows += VendorLanguage.objects.bulk_create(
            VendorLanguage(vendor=vendor, language=language_subtag(row["tag"]), **row)
            for row in clean["languages"]
        )
    if "certifications" in clean:
        vendor.certifications.all().delete()
        rows += VendorCertification.objects.bulk_create(
            VendorCertification(vendor=vendor, **row) for row in clean["certifications"]
        )
    if "industries" in clean:
        vendor.industries.all().delete()
        rows += VendorIndustry.objects.bulk_create(
            VendorIndustry(vendor=vendor, **row) for row in clean["industries"]
        )
    for model in {type(row) for row in rows}:
        history_record_created([row for row in rows if type(row) is model])


@transaction.atomic
def vendor_create(
    *,
    name: str,
    country: str,
    delivery_countries: Sequence[str] = (),
    channels: Iterable[str] = (),
    languages: Sequence[Mapping[str, Any]] = (),
    certifications: Sequence[Mapping[str, Any]] = (),
    industries: Sequence[Mapping[str, Any]] = (),
    headcount: int | None = None,
    reveal: bool = True,
) -> Vendor:
    """Create a vendor with its profile (channels, languages, certifications, industries).

    `reveal`: a refused lookalike name may name the vendor it resembles (buyer-side users, who
    alone create vendors, see them all)."""
    clean = _clean_profile(
        values={
            "name": name,
            "country": country,
            "delivery_countries": list(delivery_countries),
            "channels": list(channels),
            "languages": list(languages),
            "certifications": list(certifications),
            "industries": list(industries),
            "headcount": headcount,
        },
        vendor=None,
        reveal=reveal,
    )
    vendor = Vendor.objects.create(
        name=clean["name"],
        country=clean["country"],
        delivery_countries=clean["delivery_countries"],
        headcount=clean["headcount"],
    )
    _replace_rows(vendor, clean)
    return vendor


@transaction.atomic
def vendor_update(*, vendor: Vendor, data: Mapping[str, Any], reveal: bool = False) -> Vendor:
    """Change the given profile fields of a vendor; each list given replaces the old one.

    `reveal`: a refused lookalike name may name the vendor it resembles (buyer-side users only;
    a vendor's own staff are told only that it resembles another vendor's)."""
    clean = _clean_profile(values=data, vendor=vendor, reveal=reveal)
    scalar = [f for f in ("name", "country", "delivery_countries", "headcount") if f in clean]
    for field in scalar:
        setattr(vendor, field, clean[field])
    if scalar:
        vendor.save(update_fields=scalar)
    _replace_rows(vendor, clean)
    return vendor
