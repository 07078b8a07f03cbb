from django.core.management.base import BaseCommand

from emergency.audit.services import audit_chain_check


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain and report the first broken link."

    def handle(self, *args, **options):
        check = audit_chain_check()
        if check.ok:
            self.stdout.write(f"OK: {check.entries_checked} audit entries, chain intact.")
            return
        self.stdout.write(
            f"BROKEN at entry {check.first_broken_id}: {check.reason} "
            f"({check.entries_checked} entries read)."
        )
        raise SystemExit(1)
