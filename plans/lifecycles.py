"""The lifecycles of a plan, of its versions and of a revision request, as data: which operation
may start from which state."""
from django.utils.translation import gettext_lazy as _

from emergency.operations import Lifecycle, Transition

from .models import Plan, PlanVersion, RevisionRequest

P, V, R = Plan.State, PlanVersion.State, RevisionRequest.State
LIVE = frozenset({P.DRAFT, P.IN_ROUTE, P.PUBLISHED})

PLAN = Lifecycle(states=P, transitions={
    "version": Transition(LIVE, None, _("A retired plan is not revised.")),
    "submit": Transition(frozenset({P.DRAFT, P.PUBLISHED}), None, _("No version of this plan is being drafted.")),
    "steps": Transition(frozenset({P.IN_ROUTE, P.PUBLISHED}), None, _("This plan is not in approval.")),
    "reclassify": Transition(frozenset({P.IN_ROUTE, P.PUBLISHED}), None, _("This plan is not in approval.")),
    "opinions": Transition(frozenset({P.IN_ROUTE, P.PUBLISHED}), None, _("This plan is not in approval.")),
    "tasks": Transition(LIVE, None, _("A retired plan takes no new task.")),
    "retire": Transition(LIVE, P.RETIRED, _("The plan is already retired.")),
    "drills": Transition(frozenset({P.PUBLISHED}), None, _("Drills are recorded for a plan in force.")),
    "evaluations": Transition(frozenset({P.PUBLISHED}), None, _("Evaluations are recorded for a plan in force.")),
    "revision-requests": Transition(LIVE, None, _("A retired plan is not revised.")),
})

VERSION = Lifecycle(states=V, transitions={
    "edit": Transition(frozenset({V.DRAFT}), None,
                       _("Only a draft can be edited; this version is already in approval or published.")),
    "submit": Transition(frozenset({V.DRAFT}), V.IN_ROUTE, _("This version has already been submitted.")),
    "step": Transition(frozenset({V.IN_ROUTE, V.PUBLISHED}), None, _("This version is not in approval.")),
    "reclassify": Transition(frozenset({V.IN_ROUTE}), None,
                             _("The route of a version is set until its approval; this one is past it.")),
})

REQUEST = Lifecycle(states=R, transitions={
    "close": Transition(frozenset({R.OPEN, R.ACCEPTED}), None, _("This revision request is closed.")),
})
