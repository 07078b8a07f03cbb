"""The largest value each figure may take: a figure beyond it is a typing mistake (1e308 hectares),
not an incident, and is refused instead of being graded. Bounds follow the unit of measure; a few
figures are bounded by their own scale (percentages, magnitudes, INES levels)."""
from __future__ import annotations

from decimal import Decimal

BY_KEY = {
    "magnitude": Decimal(10),             # the Richter scale
    "ines_level": Decimal(7), "neighbour_ines_level": Decimal(7),  # INES levels 0–7
}
BY_UNIT = {
    "%": Decimal(100),
    "人": Decimal(100_000_000), "户": Decimal(100_000_000), "例": Decimal(100_000_000), "株": Decimal(10**10),
    "万元": Decimal(10**9),               # ten trillion yuan
    "公顷": Decimal(10**9),               # China is 9.6e8 hectares
    "亩": Decimal(15 * 10**9),
    "平方公里": Decimal(10**7),
    "小时": Decimal(24 * 366 * 10),       # ten years
    "个": Decimal(100_000), "倍": Decimal(10_000), "吨": Decimal(10**9), "立方米": Decimal(10**10),
    "级": Decimal(10),
}
DEFAULT = Decimal(10**9)


def maximum(key: str, unit: str) -> Decimal:
    return BY_KEY.get(key) or BY_UNIT.get(unit) or DEFAULT
