"""Models of the resources app: the inventory, the requests that move it, and the records around them."""
from .flows import DeliveryPoint, RequestStep, ResourceRequest, StockMovement
from .inventory import ApprovalRule, Batch, Equipment, Shelter, Stock, Store, SupplyItem, Team
from .records import Compensation, Requisition, Sanction, Standby, TrainingSession

__all__ = ["ApprovalRule", "Batch", "Compensation", "DeliveryPoint", "Equipment", "RequestStep", "Requisition",
           "ResourceRequest", "Sanction", "Shelter", "Standby", "Stock", "StockMovement", "Store", "SupplyItem",
           "Team", "TrainingSession"]
