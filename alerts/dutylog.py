"""The warnings escalated into an incident, in its duty log: their issued messages' audit entries
(issued, adjusted, escalated) join the incident's timeline (`incidents/response/timeline.py`)."""
from incidents.response.timeline import timeline_source

from .models import WarningMessage


@timeline_source
def escalated_warnings(incident_id: int, response_id: int | None):
    return [WarningMessage.objects.filter(warning__incident_id=incident_id)]
