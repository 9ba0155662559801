"""Row forms and the domain-error mapping shared by the vendor, event and proposal forms.

A domain function raises ValidationError keyed by paths such as `languages[1].tag` or
`pricing[0].components[1].share`, where the index counts the rows it was given (blank rows
are not given). `show_domain_errors` puts each message on that row's field.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import BaseFormSet

BLANK = ("", "—")


class RowForm(forms.Form):
    """A table row: each input carries its column label for screen readers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for bound in self:
            bound.field.widget.attrs.setdefault("aria-label", str(bound.field.label))


class RowFormSet(BaseFormSet):
    """Rows where a blank row is skipped, whether it was an extra one or an emptied one."""

    def _construct_form(self, i: int, **kwargs: Any) -> forms.Form:
        kwargs["empty_permitted"] = True
        kwargs["use_required_attribute"] = False
        return super()._construct_form(i, **kwargs)

    def filled(self) -> list[tuple[int, dict[str, Any]]]:
        """(position of the row in the table, its cleaned values) of each filled row."""
        return [
            (position, form.cleaned_data)
            for position, form in enumerate(self.forms)
            if form.has_changed() and form.cleaned_data
        ]


class FormGroup:
    """The forms and row tables of one page, validated and shown together."""

    @property
    def parts(self) -> tuple:
        raise NotImplementedError

    def is_valid(self) -> bool:
        return all([part.is_valid() for part in self.parts])  # every part shows its errors

    @property
    def has_errors(self) -> bool:
        """Whether any part shows an error (the page then says so at the top)."""
        return any(
            part.is_bound
            and (part.total_error_count() if isinstance(part, BaseFormSet) else bool(part.errors))
            for part in self.parts
        )


@dataclass
class Rows:
    """The rows a domain list came from: the formset and, per list index, the table row."""

    formset: RowFormSet
    positions: list[int] = field(default_factory=list)
    field_for: Callable[[str | None], str | None] = lambda rest: rest

    def form_at(self, index: int) -> forms.Form | None:
        if 0 <= index < len(self.positions):
            return self.formset.forms[self.positions[index]]
        return None


PATH = re.compile(r"^(?P<name>[a-z_]+)(?:\[(?P<index>\d+)\])?(?:\.(?P<rest>.+))?$")


def non_form_error(formset: BaseFormSet, message: str) -> None:
    """Add an error above a formset's table."""
    formset.non_form_errors().append(message)


def _add(form: forms.Form, name: str | None, message: str) -> bool:
    """Put a message on a field of a form if it has that field (or on the form when None)."""
    if name is None or name in form.fields:
        form.add_error(name, message)
        return True
    return False


def show_domain_errors(
    error: ValidationError,
    *,
    form: forms.Form,
    rows: Mapping[str, Rows] | None = None,
    parts: Mapping[str, forms.Form] | None = None,
    fields: Mapping[str, str] | None = None,
) -> None:
    """Show a domain ValidationError on the form, its sub-forms (`parts`) and table rows.

    `fields` renames a path to a field of `form` (`"weights.cost": "weight_cost"`).
    A message that fits no field is shown above the form with its path.
    """
    rows, parts, fields = rows or {}, parts or {}, fields or {}
    messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    for path, texts in messages.items():
        for text in texts:
            if path in ("", NON_FIELD_ERRORS):
                form.add_error(None, text)
            elif not _place(path, text, form=form, rows=rows, parts=parts, fields=fields):
                form.add_error(None, f"{path}: {text}")


def _place(path, text, *, form, rows, parts, fields) -> bool:
    """Place one message; False when no field fits."""
    if path in fields:
        return _add(form, fields[path], text)
    match = PATH.match(path)
    if not match:
        return False
    name, index, rest = match["name"], match["index"], match["rest"]
    if name in rows:
        table = rows[name]
        if index is None:
            non_form_error(table.formset, text)
            return True
        row = table.form_at(int(index))
        target = table.field_for(rest)
        if row is not None and target is not None and _add(row, target, text):
            return True
        non_form_error(table.formset, f"Row {int(index) + 1}: {text}")
        return True
    if name in parts:
        part = parts[name]
        return _add(part, rest, text) if rest else _add(part, None, text)
    if name in form.fields:
        prefix = f"Entry {int(index) + 1}: " if index is not None else ""
        return _add(form, name, prefix + text)
    return False
