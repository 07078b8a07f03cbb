"""The response part of a demo organisation's file: who proposes, decides and commands each level."""
from __future__ import annotations

from emergency.org.demo import LoadReport, _upsert, demo_section
from emergency.org.models import OrgUnit

from .models import AuthorityRule


def load_authority(top: OrgUnit, rules: list[dict], report: LoadReport) -> None:
    for item in rules:
        _upsert(
            AuthorityRule, {"organisation": top, "level": item["level"]},
            {"decider_roles": item["deciders"], "scope": item["scope"], "proposer_roles": item["proposers"],
             "direct_start_roles": item.get("direct_start", []),
             "remind_after_seconds": int(item.get("remind_after_minutes", 10)) * 60,
             "order_acknowledge_seconds": int(item.get("order_acknowledge_minutes", 10)) * 60,
             "wording": item.get("wording", ""), "command_at": item.get("command_at", "top"),
             "transfer_acceptor_roles": item.get("transfer_acceptors", []),
             "superior_may_take_command": bool(item.get("superior_takes_command", False)),
             "above_top": item.get("above_top", AuthorityRule.AboveTop.TRANSFER)},
            ("organisation", "level", "decider_roles", "scope", "proposer_roles", "direct_start_roles",
             "remind_after_seconds", "order_acknowledge_seconds", "wording", "command_at", "transfer_acceptor_roles",
             "superior_may_take_command", "above_top"), report, unit_id=lambda r: r.organisation_id,
        )


@demo_section
def _authority(*, top: OrgUnit, data: dict, report: LoadReport) -> None:
    load_authority(top, data.get("response_authority") or [], report)
