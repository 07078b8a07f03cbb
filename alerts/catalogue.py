"""The warning measures each organisation's plan lists, in the plan's own words (Chinese first, the
English rendering second). A government organisation (city, county, township) takes the city plan's
list, 3.2.2 3), all nine items in full; a customs district takes the customs plan's, 3.2.2 (3),
including "暂停作业、错峰上下班". The city's list is never offered to customs, nor the reverse."""
from __future__ import annotations

from emergency.org.models import OrgUnit
from plans.measures import PlanMeasure as MeasureKind
from plans.measures import under_customs_plan


CITY = [MeasureKind(*row, "市预案3.2.2 3)") for row in (
    ("monitoring", "增加监测、会商频次，及时收集、报告有关信息，组织力量分析研判发展趋势和防范指导",
     "Monitor and consult more often, collect and report information promptly, analyse the trend and guide prevention"),
    ("public", "加强公众沟通，公布信息接收和咨询电话，向社会公告采取的有关特定措施、避免或减轻危害的建议和劝告等",
     "Communicate with the public: publish hotlines, announce the measures taken and advice on avoiding or reducing harm"),
    ("standby", "组织应急救援队伍和负有特定职责的人员进入待命状态，动员后备人员做好参加应急处置和救援工作的准备，"
                "视情预置有关队伍、装备、物资等应急资源",
     "Put rescue teams and staff with specific duties on standby, mobilise reserves to prepare for response and rescue, "
     "pre-position teams, equipment and supplies as needed"),
    ("supplies", "调集应急处置和救援所需物资、设备、工具，准备应急设施和避难场所，并确保其处于良好状态，随时可以投入正常使用",
     "Gather the supplies, equipment and tools needed, prepare emergency facilities and shelters, and keep them in good "
     "order, ready for use at any time"),
    ("security", "加强对重点单位、重要部位和重要基础设施的安全保卫，维护社会治安秩序",
     "Guard key units, sites and critical infrastructure, and maintain public order"),
    ("utilities", "采取必要措施，确保交通、通信、供水、排水、供电、供气等公共设施的安全和正常运行",
     "Take the measures needed to keep transport, communications, water, drainage, power and gas safe and running"),
    ("evacuation", "转移、疏散或撤离易受突发事件危害的人员并予以妥善安置，转移重要财产",
     "Move, evacuate or withdraw people at risk and house them properly; move important property"),
    ("closures", "关闭或限制使用易受突发事件危害的场所，控制或限制容易导致危害扩大的公共场所的活动",
     "Close or restrict places at risk; control or restrict activities in public places that could spread the harm"),
    ("neighbours", "有关地区和部门发布预警后，其他相关地区和部门及时组织分析本地区和本行业可能受到影响的范围、程度等，"
                   "安排部署有关防范性措施",
     "Once a warning is issued, other areas and departments concerned analyse how far they may be affected and deploy "
     "preventive measures"),
)]

CUSTOMS = [MeasureKind(*row, "海关预案3.2.2 (3)") for row in (
    ("c_evacuation", "转移疏散人员", "Move and evacuate people"),
    ("c_forces", "预置应急力量", "Pre-position emergency forces"),
    ("c_supplies", "调集物资装备", "Gather supplies and equipment"),
    ("c_key_targets", "保卫重点目标", "Guard key targets"),
    ("c_utilities", "保障公共设施安全运行", "Keep public facilities running safely"),
    ("c_suspend_work", "必要时暂停作业", "Where necessary, suspend operations"),
    ("c_staggered", "必要时错峰上下班", "Where necessary, stagger working hours"),
    ("c_protective", "必要时采取其他防范性、保护性措施", "Where necessary, take other preventive and protective measures"),
)]

_BY_KEY = {kind.key: kind for kind in CITY + CUSTOMS}


def measures_for(unit: OrgUnit) -> list[MeasureKind]:
    """The list of the plan that governs `unit`'s organisation (its top unit's kind decides)."""
    return CUSTOMS if under_customs_plan(unit) else CITY


def measure_kind(key: str) -> MeasureKind | None:
    return _BY_KEY.get(key)


def measure_wording(key: str) -> str:
    kind = _BY_KEY.get(key)
    return kind.display if kind else key
