"""WebSocket routes. The live dashboard's consumers are added here by the apps that own them."""
websocket_urlpatterns: list = []
