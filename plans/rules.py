"""Who maintains plans: plan administrators (and system administrators) of the unit or above."""
import rules

from emergency.org.rules import is_plan_or_system_admin

rules.add_perm("plans.add_plan", is_plan_or_system_admin)
rules.add_perm("plans.change_plan", is_plan_or_system_admin)
