"""Every write of the resources app (inventory, requests, records)."""
