"""A request for help and guidance above the top unit (city 3.3.3 "必要時,市委、市人民政府可請求自治區黨委、自治區人民
政府或其部門幫助和指導"): who asked the body outside the platform, when and what; command stays with the unit."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AboveTop(models.TextChoices):
    """What a top unit may ask of the body above it, outside the platform (`AuthorityRule.above_top`)."""
    TRANSFER = "transfer", _("Command passes to the superior body outside")
    HELP = "help", _("Ask the superior body outside for help and guidance; command stays")


class Initiative(models.TextChoices):
    """Whose initiative raised command (`Transfer.initiative`): city 3.3.3 "根據…的請求或根據應對工作需要"."""
    REQUEST = "request", _("At the request of the commanding unit")
    SUPERIOR = "superior", _("On the superior's initiative (as the response requires)")


class HelpRequest(models.Model):
    """Help asked of the superior while command stays: of the unit above on the platform (`to_unit`; city 1.4.1
    "由上一級黨委、政府提供支援", customs 3.3.1 (1) "必要时，提出支援需求"), or, above the top unit, of the body outside
    the platform the organisation names (`to_body` only; city 3.3.3 "可請求自治區…幫助和指導")."""

    scope_lookup = "response__incident__unit"

    response = models.ForeignKey("response.Response", on_delete=models.PROTECT, related_name="help_requests",
                                 verbose_name=_("response"))
    from_unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("asked by unit"))
    to_unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("asked of unit (on the platform)"))
    to_body = models.CharField(_("asked of"), max_length=200)
    asked = models.TextField(_("help and guidance asked"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("asked by"))
    requested_at = models.DateTimeField(_("asked at"))

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("request for help and guidance")
        verbose_name_plural = _("requests for help and guidance")

    def __str__(self) -> str:
        return f"{self.from_unit} → {self.to_body}"


class HelpAnswer(models.Model):
    """What the body asked answered (guidance given, help sent, or declined with the reason): who answered, when,
    and what. Append-only: a correction is a new answer. A person of the unit asked enters it; for a body outside the
    platform (the top unit's superior, `OrgUnit.superior_name`) the asking unit's duty room records it."""

    class Outcome(models.TextChoices):
        GUIDANCE = "guidance", _("Guidance given")
        HELP_SENT = "help_sent", _("Help sent")
        DECLINED = "declined", _("Declined")

    scope_lookup = "help_request__response__incident__unit"

    help_request = models.ForeignKey(HelpRequest, on_delete=models.PROTECT, related_name="answers",
                                     verbose_name=_("request for help and guidance"))
    outcome = models.CharField(_("answer"), max_length=12, choices=Outcome.choices)
    content = models.TextField(_("what was answered"))
    answered_by = models.CharField(_("answered by"), max_length=200)
    answered_at = models.DateTimeField(_("answered at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["answered_at", "id"]
        verbose_name = _("answer to a request for help and guidance")
        verbose_name_plural = _("answers to requests for help and guidance")
        constraints = [models.CheckConstraint(condition=models.Q(answered_at__lte=models.F("recorded_at")),
                                              name="help_answer_not_recorded_before_given")]

    def __str__(self) -> str:
        return f"{self.answered_by}: {self.get_outcome_display()}"
