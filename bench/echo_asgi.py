"""A bare Channels broadcast for comparison with the dashboard: a socket joins the groups named in
its query string and forwards whatever is sent to them. No session, no database, no outbox.

    daphne bench.echo_asgi:application   (started by bench/push_latency.py)
"""
import os
from urllib.parse import parse_qs

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emergency.settings")
django.setup()

from channels.generic.websocket import AsyncJsonWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402


class Echo(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.joined = parse_qs(self.scope["query_string"].decode()).get("group", [])
        await self.accept()
        for group in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.send_json({"type": "hello"})

    async def disconnect(self, code):
        for group in getattr(self, "joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def bench_message(self, message):
        await self.send_json(message)


application = ProtocolTypeRouter({"websocket": URLRouter([path("ws/echo/", Echo.as_asgi())])})
