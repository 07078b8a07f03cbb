"""The lifecycle of a warning as data: which operation may start from which state."""
from django.utils.translation import gettext_lazy as _

from emergency.operations import Lifecycle, Transition

from .models import EarlyWarning

S = EarlyWarning.State

WARNING = Lifecycle(states=S, transitions={
    "issue": Transition(frozenset({S.DRAFT}), S.ISSUED, _("Only a draft warning can be issued.")),
    "adjust": Transition(frozenset({S.ISSUED}), None, _("Only an issued warning can be adjusted.")),
    "lift": Transition(frozenset({S.ISSUED, S.ESCALATED}), S.LIFTED, _("Only an issued warning can be lifted.")),
    "escalate": Transition(frozenset({S.ISSUED}), S.ESCALATED, _("Only an issued warning can be escalated.")),
    # measures are assigned and followed while the warning period may still come or lasts
    "assign-measure": Transition(frozenset({S.DRAFT, S.ISSUED, S.ESCALATED}), None, _("The warning period is over.")),
})
