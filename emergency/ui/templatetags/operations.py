"""The pages ask the operations registry, never a state string, what a user may do:

    {% load operations %}
    {% operation_form "warning.lift" warning %}             the form (nothing when not allowed now)
    {% operation_form "warning.lift" warning button=_("Lift") heading=... %}
    {% may "warning.lift" warning as can_lift %}             True / False
    {% operations_on warning as actions %}                   the operations allowed now, in order
    {% operation_url "warning.lift" warning %}               the page route the form posts to
"""
from __future__ import annotations

from django import template
from django.urls import reverse
from rest_framework import serializers

from emergency import operations
from emergency.operations.pages import recall

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, name: str, target=None) -> bool:
    return operations.get(name).allowed(user=context["request"].user, target=target)


@register.simple_tag(takes_context=True)
def operations_on(context, target):
    return operations.available(user=context["request"].user, target=target)


@register.simple_tag
def operation_url(name: str, target=None) -> str:
    return reverse(name, kwargs={"pk": target.pk}) if target is not None else reverse(name)


def _widget(field: serializers.Field) -> str:
    if isinstance(field, serializers.HiddenField) or field.style.get("input_type") == "hidden":
        return "hidden"
    if field.style.get("input_type") == "password":
        return "password"  # never filled back in
    if isinstance(field, serializers.BooleanField):
        return "checkbox"
    if isinstance(field, serializers.FileField):
        return "file"
    if isinstance(field, serializers.ManyRelatedField | serializers.MultipleChoiceField):
        return "multiple"
    if isinstance(field, serializers.RelatedField | serializers.ChoiceField):
        return "select"
    if isinstance(field, serializers.IntegerField | serializers.FloatField | serializers.DecimalField):
        return "number"
    if isinstance(field, serializers.DateTimeField):
        return "datetime-local"
    if isinstance(field, serializers.DateField):
        return "date"
    if isinstance(field, serializers.CharField) and (field.style.get("base_template") == "textarea.html"
                                                     or field.max_length is None):
        return "textarea"
    return "text"


def _choices(field) -> list[tuple[str, str]]:
    source = field.child_relation if isinstance(field, serializers.ManyRelatedField) else field
    if isinstance(source, serializers.RelatedField):
        return [(str(k), str(v)) for k, v in source.get_choices().items()]
    return [(str(k), str(v)) for k, v in source.choices.items()]


def _fields(bound: serializers.Serializer, kept: dict) -> list[dict]:
    values, errors = kept.get("data", {}), kept.get("errors", {})
    rows = []
    for name, field in bound.fields.items():
        if field.read_only:
            continue
        widget = _widget(field)
        value = values.get(name, [] if widget == "multiple" else None)
        if isinstance(value, list) and widget != "multiple":
            value = value[-1] if value else None
        if widget == "password":
            value = ""
        elif value is None and widget != "multiple":
            initial = field.initial() if callable(field.initial) else field.initial
            default = field.default if field.default is not serializers.empty and not callable(field.default) else None
            value = initial if initial not in (None, "", serializers.empty) else default
        rows.append({
            "name": name, "label": field.label or name, "widget": widget, "required": field.required,
            "help": field.help_text or "", "errors": errors.get(name, []), "value": "" if value is None else value,
            "choices": _choices(field) if widget in ("select", "multiple") else [],
            "max_length": getattr(field, "max_length", None), "min_value": getattr(field, "min_value", None),
            "max_value": getattr(field, "max_value", None), "allow_blank": getattr(field, "allow_null", False)
            or not field.required or bool(field.style.get("placeholder")),
        })
    return rows


@register.inclusion_tag("operations/form.html", takes_context=True)
def operation_form(context, name: str, target=None, button: str = "", heading: str = "", css: str = "subform",
                   testid: str = "", **initial):
    request = context["request"]
    operation = operations.get(name)
    if not operation.allowed(user=request.user, target=target):
        return {"shown": False}
    bound = operation.bind(data=None, request=request, target=target)
    kept = recall(request, name, target) or {}
    if initial:  # values the page fixes (hidden fields: which record a file is attached to)
        kept = {**kept, "data": {**kept.get("data", {}), **initial}}
    return {
        "shown": True, "operation": operation, "url": operation_url(name, target), "csrf_token": context.get("csrf_token"),
        "fields": _fields(bound, kept), "errors": kept.get("errors", {}).get("non_field_errors", []),
        "button": button or operation.label, "heading": heading, "css": css,
        "multipart": any(isinstance(f, serializers.FileField) for f in bound.fields.values()),
        "testid": testid or name.replace(".", "-"), "next": request.get_full_path(),
    }


def form_state(request, name: str, target=None) -> dict:
    """For a form laid out by hand: the operation's fields by name (label, value as last typed,
    errors), the form's own errors, and what was typed (`data`) and refused (`errors`), once."""
    operation = operations.get(name)
    kept = recall(request, name, target) or {}
    bound = operation.bind(data=None, request=request, target=target)
    return {"fields": {row["name"]: row for row in _fields(bound, kept)},
            "errors": kept.get("errors", {}).get("non_field_errors", []),
            "data": kept.get("data", {}), "field_errors": kept.get("errors", {})}
