"""What the notification inbox knows of warnings: a measure assigned to a department waits to be
acted on until that department starts it, and the names of the warnings' notification kinds."""
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from emergency.notify import hooks

from .models import WarningMeasure

MEASURE = "warning.measure"


@hooks.pending(MEASURE)
def _measures_to_do():
    # the key names the department too (warning.measure:<measure>:<department>): a reassigned
    # measure's old notice no longer waits
    return (WarningMeasure.objects.filter(status=WarningMeasure.Status.PENDING)
            .annotate(_key=Concat(Value(f"{MEASURE}:"), Cast("pk", CharField()), Value(":"),
                                  Cast("department_id", CharField())))
            .values("_key"))


hooks.kind_label("warning", _("Early warning"))
hooks.kind_label(MEASURE, _("Warning measure assigned"))
