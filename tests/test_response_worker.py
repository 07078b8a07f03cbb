"""A proposal left undecided reminds its deciders, through a real Celery worker, once."""
import pytest

from emergency.notify.models import Notification
from emergency.org.roles import Role
from incidents.response import services
from incidents.response.models import AuthorityRule

from .factories import user_with_role
from .processes import celery_worker, wait_for
from .response_helpers import incident_in, lead_officer, organisation

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_an_undecided_proposal_reminds_the_deciders_and_a_decided_one_does_not(grading_tables):
    city = organisation("city")
    AuthorityRule.objects.filter(organisation=city.top).update(remind_after_seconds=2)
    lead = lead_officer(city)
    commanders = [user_with_role(Role.COMMANDER, city.top) for _ in range(2)]
    with celery_worker():
        waiting = services.proposal_create(actor=lead, incident=incident_in(city), level=2, reasons="扩大")
        decided = services.proposal_create(actor=lead, incident=incident_in(city), level=2, reasons="扩大")
        services.proposal_decide(actor=commanders[0], proposal=decided, outcome="approved")
        wait_for(lambda: Notification.objects.filter(kind=services.REMIND).count() == 2, timeout=20)
        lateness = (Notification.objects.filter(kind=services.REMIND).latest("created_at").created_at
                    - waiting.proposed_at).total_seconds()
    assert 2 <= lateness < 4, lateness
    assert set(Notification.objects.filter(kind=services.REMIND).values_list("recipient_id", flat=True)) == {
        c.pk for c in commanders}
    assert not Notification.objects.filter(recipient=lead).exists()
