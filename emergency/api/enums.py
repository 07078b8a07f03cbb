"""The OpenAPI schema's names for the choice sets that share a field name across components
(drf-spectacular's ENUM_NAME_OVERRIDES; read by the settings, so this module imports nothing)."""

ENUM_NAME_OVERRIDES = {
    "OrgUnitKindEnum": "emergency.org.models.OrgUnit.Kind",
    "ReportKindEnum": "incidents.models.IncidentReport.Kind",
    "ReleaseKindEnum": "incidents.models.PublicRelease.Kind",
    "DeadlineKindEnum": "incidents.models.ReportingDeadline.Kind",
    "DeadlineStateEnum": "incidents.models.ReportingDeadline.State",
    "ThresholdTableStateEnum": "incidents.grading.models.ThresholdTable.State",
    "DispatchRouteEnum": "incidents.models.ReportDispatch.Route",
    "ConditionOpEnum": "incidents.grading.models.Condition.Op",
    "IncidentGradeEnum": "incidents.grading.models.Grade",
    "IncidentStatusEnum": "incidents.models.Incident.Status",
    "ClosureReasonEnum": "incidents.models.IncidentClosure.Reason",
    "ResponseLevelEnum": "incidents.response.models.Level",
    "WorkingGroupKindEnum": "incidents.response.models.WorkingGroup.Kind",
    "HelpAnswerOutcomeEnum": "incidents.response.help_models.HelpAnswer.Outcome",
    "WarningLevelEnum": "alerts.models.WarningLevel",
    "ResourceKindEnum": "resources.models.ApprovalRule.Kind",
    "ResourceRequestStateEnum": "resources.models.ResourceRequest.State",
    "RequisitionKindEnum": "resources.models.Requisition.Kind",
    "RequisitionOwnerKindEnum": "resources.models.Requisition.OwnerKind",
    "SanctionKindEnum": "resources.models.Sanction.Kind",
    "TeamKindEnum": "resources.models.Team.Kind",
    "TrainingKindEnum": "resources.models.TrainingSession.Kind",
}
