"""Thin viewsets: read through a selector (already scoped), write through a service."""
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response


class ScopedViewSet(viewsets.GenericViewSet):
    """`selector(user=...)` gives the queryset; objects outside it are 404 for everyone."""

    selector = None

    def get_queryset(self):
        return type(self).selector(user=self.request.user)

    def parse(self, serializer_class, *, partial: bool = False):
        serializer = serializer_class(data=self.request.data, partial=partial, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def respond(self, instance, *, created: bool = False):
        data = self.get_serializer(instance).data
        return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ReadOnlyScopedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    pass
