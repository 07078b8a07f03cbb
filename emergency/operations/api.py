"""The API's edge: each operation on a model becomes a POST action of that model's viewset, with its
input serializer as the request body and its output serializer as the answer, in the OpenAPI schema."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from . import Operation, for_model, get


def _action(operation: Operation):
    def handler(self, request, pk=None, **kwargs):
        target = self.get_object() if operation.detail else None
        bound = operation.bind(data=request.data, request=request, target=target)
        bound.is_valid(raise_exception=True)
        result = operation.execute(user=request.user, target=target, validated=dict(bound.validated_data))
        body = operation.output(result, context=self.get_serializer_context()).data if operation.output else {}
        return Response(body, status=status.HTTP_201_CREATED if operation.created else status.HTTP_200_OK)

    handler.__name__ = operation.verb.replace("-", "_")
    handler.__doc__ = str(operation.label)
    answer = {201 if operation.created else 200: operation.output}
    handler = action(detail=operation.detail, methods=["post"], url_path=operation.verb)(handler)
    return extend_schema(request=operation.input, responses=answer, summary=str(operation.label),
                         operation_id=operation_id(operation))(handler)


def operation_id(operation: Operation) -> str:
    """The operation's id in the OpenAPI schema: its name, `warning.lift` -> `warning_lift`."""
    return operation.name.replace(".", "_").replace("-", "_")


def with_operations(*names: str, model=None):
    """Class decorator: a POST action for each operation named, and for each operation declared on
    `model`: `POST /<prefix>/<id>/<verb>/` on one object, `POST /<prefix>/<verb>/` on the collection."""

    def decorate(viewset):
        operations = [get(n) for n in names] + (for_model(model) if model else [])
        for operation in operations:
            attribute = operation.verb.replace("-", "_")
            if attribute in vars(viewset) or hasattr(viewset, attribute):
                raise ValueError(f"{viewset.__name__}.{attribute} exists: operation {operation.name} needs another verb")
            setattr(viewset, attribute, _action(operation))
        return viewset

    return decorate
