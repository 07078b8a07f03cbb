"""`migrate`, run as the tables' owner (`MIGRATE_DATABASE_URL`) rather than the application's role;
the post_migrate grants (`emergency.audit.roles`) then give the application role its privileges."""
from django.core.management.commands.migrate import Command as DjangoMigrate

from emergency.audit.roles import owner_session


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        with owner_session(options["database"]):
            super().handle(*args, **options)
