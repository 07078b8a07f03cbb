"""How the inbox names the plans' notification kinds."""
from django.utils.translation import gettext_lazy as _

from emergency.notify import hooks

from .annual import REMIND as ANNUAL_REMIND
from .duties import KINDS, OPINION_REMIND

hooks.kind_label(KINDS["drill"], _("Drill due"))
hooks.kind_label(KINDS["evaluation"], _("Plan evaluation due"))
hooks.kind_label(KINDS["filing"], _("Plan filing due"))
hooks.kind_label(OPINION_REMIND, _("Opinion requested"))
hooks.kind_label(ANNUAL_REMIND, _("Annual review due"))
