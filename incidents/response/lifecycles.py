"""The lifecycles of a response and its records as data: which operation may start from which state."""
from django.utils.translation import gettext_lazy as _

from emergency.operations import Lifecycle, Transition

from .models import Order, Proposal, Response, ResponseMeasure, Transfer

R, P, T, OS = Response.State, Proposal.State, Transfer.State, Order.Status
ENDED = _("The response has already ended.")

RESPONSE = Lifecycle(states=R, transitions={
    "end": Transition(frozenset({R.ACTIVE}), R.ENDED, ENDED),
    "transfer": Transition(frozenset({R.ACTIVE}), None, ENDED),
    "take-command": Transition(frozenset({R.ACTIVE}), None, ENDED),
    "request-help": Transition(frozenset({R.ACTIVE}), None, ENDED),
    "open-post": Transition(frozenset({R.ACTIVE}), None, ENDED),
    "add-group": Transition(frozenset({R.ACTIVE}), None, ENDED),
    "issue-order": Transition(frozenset({R.ACTIVE}), None, ENDED),
    "assign-measure": Transition(frozenset({R.ACTIVE}), None, ENDED),
})

PROPOSAL = Lifecycle(states=P, transitions={
    "decide": Transition(frozenset({P.PENDING}), None, _("This proposal has already been decided.")),
})

TRANSFER = Lifecycle(states=T, transitions={
    "decide": Transition(frozenset({T.PENDING}), None, _("This transfer has already been decided.")),
    "record-outside": Transition(frozenset({T.PENDING}), T.ACCEPTED, _("This transfer has already been decided.")),
})

OPEN_ORDER = frozenset({OS.ISSUED, OS.ACKNOWLEDGED, OS.IN_PROGRESS})
ORDER = Lifecycle(states=OS, transitions={
    "acknowledge": Transition(frozenset({OS.ISSUED}), OS.ACKNOWLEDGED, _("The order has already been acknowledged.")),
    "report": Transition(OPEN_ORDER, None, _("The order is closed.")),
    "cancel": Transition(OPEN_ORDER, OS.CANCELLED, _("The order is closed.")),
})

MS = ResponseMeasure.Status
OPEN_MEASURE = frozenset({MS.ASSIGNED, MS.IN_PROGRESS})
MEASURE = Lifecycle(states=MS, transitions={
    "start": Transition(frozenset({MS.ASSIGNED}), MS.IN_PROGRESS, None),
    "done": Transition(OPEN_MEASURE, MS.DONE, None),
    "not-applicable": Transition(OPEN_MEASURE, MS.NOT_APPLICABLE, None),
})
