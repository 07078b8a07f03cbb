"""What the dashboard's feed calls the resources app's events; the dashboard (above every app)
reads them from here."""
from django.utils.translation import gettext_lazy

FEED_LABELS = {
    "resources.request": gettext_lazy("Resource request"),
    "resources.dispatched": gettext_lazy("Resources dispatched"),
    "resources.arrived": gettext_lazy("Resources arrived"),
    "resources.low_stock": gettext_lazy("Stock below minimum"),
}
