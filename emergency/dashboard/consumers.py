"""The dashboard's WebSocket: a signed-in user joins the groups of the units they may see (the
top of each branch of their scope) and their own group, and receives every event after commit,
numbered per organisation. When their rights change they are moved at once.

A page's notification bell opens the same socket with `?bell=1`: it joins only the user's own
group, and hears only their unread count (`notification.unread`, sent after commit)."""
from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.consumer import get_handler_name

from emergency.live import unit_group


@database_sync_to_async
def _groups_for(user) -> list[str]:
    from emergency.org.models import OrgUnit, User
    from emergency.org.scope import unit_scope

    fresh = User.objects.get(pk=user.pk)  # not the cached scope of the session's user object
    visible = unit_scope(fresh).visible
    parents = dict(OrgUnit.objects.filter(pk__in=visible).values_list("pk", "parent_id"))
    tops = [pk for pk, parent in parents.items() if parent not in visible]
    return [unit_group(pk) for pk in sorted(tops)]


class DashboardConsumer(AsyncJsonWebsocketConsumer):
    async def dispatch(self, message):
        """Channels' own dispatch hops to a worker thread to close stale database connections
        before every message, whichever it is: for a frame, once per socket per change, on the one
        thread all consumers share (the profile of bench/push_latency.py: a fifth of the servers'
        CPU, and each screen's frame queued behind the others' hops). This consumer reads the
        database only in `_groups_for`, which closes stale connections itself (database_sync_to_async)."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.user_group = f"user.{user.pk}"
        self.groups_joined: list[str] = []
        self.bell_only = b"bell=1" in self.scope.get("query_string", b"").split(b"&")
        await self.accept()
        await self.channel_layer.group_add(self.user_group, self.channel_name)
        await self._join([] if self.bell_only else await _groups_for(user))

    async def _join(self, groups: list[str]) -> None:
        for group in set(self.groups_joined) - set(groups):
            await self.channel_layer.group_discard(group, self.channel_name)
        for group in set(groups) - set(self.groups_joined):
            await self.channel_layer.group_add(group, self.channel_name)
        self.groups_joined = groups
        await self.send_json({"type": "hello", "groups": len(groups)})

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)
        if hasattr(self, "user_group"):
            await self.channel_layer.group_discard(self.user_group, self.channel_name)

    async def live_event(self, message):
        await self.send(text_data=message["text"])  # rendered once by the relay for every screen

    async def scope_changed(self, message):
        if self.bell_only:
            return
        await self._join(await _groups_for(self.scope["user"]))
        await self.send_json({"type": "resync"})

    async def notification_unread(self, message):
        await self.send_json({"type": "notifications", "unread": message["unread"]})

    async def receive_json(self, content, **kwargs):
        pass  # screens only listen
