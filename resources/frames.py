"""What the dashboard's feed calls the resources app's events (its labels are the dashboard's)."""
from django.utils.translation import gettext_lazy

from emergency.dashboard.selectors import EVENT_LABELS

EVENT_LABELS.update({
    "resources.request": gettext_lazy("Resource request"),
    "resources.dispatched": gettext_lazy("Resources dispatched"),
    "resources.arrived": gettext_lazy("Resources arrived"),
    "resources.low_stock": gettext_lazy("Stock below minimum"),
})
