"""The lifecycle of an incident as data: which operation may start from which status."""
from django.utils.translation import gettext_lazy as _

from emergency.operations import Lifecycle, Transition

from .models import Incident, PublicRelease

S = Incident.Status
OPEN = frozenset({S.REPORTED, S.RESPONDING, S.ENDED})  # reports stay open until the review closes them

INCIDENT = Lifecycle(states=S, transitions={
    "report": Transition(OPEN, None, _("The incident has been reviewed; its reports are closed.")),
    "release": Transition(frozenset(S.values), None),
    "set-grade": Transition(OPEN, None, _("The incident has been reviewed; its grade is closed.")),
    "lead-department": Transition(frozenset({S.REPORTED, S.RESPONDING}), None,
                                  _("The lead department is set while the incident is being handled.")),
    "flag-panic": Transition(frozenset({S.REPORTED, S.RESPONDING}), None,
                             _("The press-conference deadline is set while the incident is being handled.")),
    "investigate": Transition(frozenset({S.ENDED, S.REVIEWED}), S.REVIEWED,
                              _("Investigate once the response has ended.")),
})
# The operations on one report take the lifecycle of its incident.
REPORT = Lifecycle(states=S, transitions={
    "correct": Transition(OPEN, None, _("The incident has been reviewed; its reports are closed.")),
    "send": Transition(frozenset(S.values), None),
})
# A drafted release is approved (published) or rejected once.
RELEASE = Lifecycle(states=PublicRelease.State, transitions={
    "approve": Transition(frozenset({PublicRelease.State.DRAFT}), None, _("This release has already been decided.")),
    "reject": Transition(frozenset({PublicRelease.State.DRAFT}), None, _("This release has already been decided.")),
})
