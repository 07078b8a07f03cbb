"""The response measures each organisation's plan lists, in the plan's own words (Chinese first, the
English rendering second), offered by the incident's category when a response starts. A government
organisation (city, county, township) takes the city plan's 3.3.4: 1) fourteen measures after a natural
disaster, accident or public health event, 2) seven after a social security event; a customs district
takes the customs plan's 3.3.4, the five measures of its command body. Like the warning measures
(alerts.catalogue), one organisation's list is never offered to the other."""
from __future__ import annotations

from emergency.org.models import OrgUnit
from plans.measures import PlanMeasure as ResponseMeasureKind
from plans.measures import under_customs_plan

SOCIAL_SECURITY = "social_security"  # the taxonomy's category code (incidents/grading/data/taxonomy.yaml)
CITY_EVENTS = "市预案3.3.4 1)"
CITY_SOCIAL = "市预案3.3.4 2)"
CUSTOMS_CLAUSE = "海关预案3.3.4"


CITY = [ResponseMeasureKind(*row, CITY_EVENTS) for row in (
    ("site_info", "现场信息获取。组织现场人员、应急测绘和勘察队伍等，利用无人机、雷达、卫星等手段获取现场影像，分析研判道路"
                  "桥梁、通信、电力等基础设施和居民住房损毁情况，重要目标物、人员密集场所和人口分布等信息，提出初步评估意见，"
                  "并向现场指挥机构和有关部门报告",
     "Gather on-site information with site staff, survey teams, drones, radar and satellites; assess damage to roads, "
     "bridges, communications, power and homes; report a first assessment to the command post and departments"),
    ("rescue", "组织营救受灾和被困人员，疏散、撤离并妥善安置受威胁人员，必要时组织动员社会应急力量有序参与应急处置与救援、"
               "受灾人员救助工作",
     "Rescue the affected and trapped, evacuate and house those threatened, and where necessary mobilise social "
     "forces to join the rescue and relief in order"),
    ("medical", "组织救治伤员，治疗传染病人和疑似病例，隔离传染源，观察密切接触者，对易感人群采取应急接种、预防性服药和卫生"
                "防疫知识宣传",
     "Treat the injured, infectious and suspected cases; isolate sources, watch close contacts; vaccinate, give "
     "preventive medicine and health education to vulnerable groups"),
    ("hazard_control", "迅速组织开展抢险工作，控制危险源、减轻或消除危害，并标明危险区域，封锁危险场所，划定警戒区，实行交通"
                       "管制以及其他控制措施，交通运输、铁路、公安等有关部门要保障紧急情况下应急交通工具的优先安排、优先调度、"
                       "优先放行，确保抢险救灾物资和人员能够及时、安全送达",
     "Control the hazard, mark danger zones, seal dangerous places, set cordons and traffic control; transport, rail "
     "and police give emergency vehicles priority so that supplies and people arrive in time and safely"),
    ("utilities", "立即抢修被损坏的交通、通信、供（排）水、供电、供气等公共设施，短时难以恢复的，要实施临时过渡方案，保障社会"
                  "生产生活基本需要",
     "Repair damaged transport, communications, water, drainage, power and gas at once; where not quickly restored, "
     "run a temporary arrangement for basic needs"),
    ("restrictions", "禁止或者限制使用有关设备、设施，关闭或者限制使用有关场所，中止人员密集的活动或者可能导致危害扩大的生产经营"
                     "活动以及采取其他保护措施",
     "Ban or restrict equipment, facilities and places; stop crowded activities and business that could spread the "
     "harm; take other protective measures"),
    ("reserves", "启用本级政府设置的财政预备费和储备的应急救援和救灾物资，必要时征用其他急需物资、设备、设施、工具",
     "Use this government's reserve fund and stored rescue and relief supplies; where necessary requisition other "
     "urgently needed supplies, equipment, facilities and tools"),
    ("livelihood", "做好受灾群众的基本生活保障工作，提供食品、饮用水、衣被、燃料等基本生活必需品和临时住所，开展卫生防疫工作，"
                   "确保灾区群众有饭吃、有水喝、有衣穿、有住处、有病能及时医治，确保大灾之后无大疫",
     "Provide food, drinking water, clothing, bedding, fuel and temporary shelter; run disease prevention so that "
     "no epidemic follows the disaster"),
    ("deceased", "开展遇难人员善后处置工作，妥善处理遇难人员遗体，做好遇难人员家属安抚等工作",
     "Handle the aftermath for the dead: their remains and the comfort of their families"),
    ("donations", "组织开展救灾捐赠活动，接收、管理、分配救灾捐赠款物",
     "Organise relief donations: receive, manage and distribute donated money and goods"),
    ("market", "依法从严惩处囤积居奇、哄抬物价、制假售假等扰乱市场秩序的行为，稳定市场价格，维护市场秩序",
     "Punish hoarding, price gouging and counterfeiting severely under the law; keep prices and the market stable"),
    ("public_order", "依法从严惩处哄抢财物、干扰破坏应急处置工作等扰乱社会秩序的行为，维护社会治安",
     "Punish looting and obstruction of the response severely under the law; maintain public order"),
    ("secondary", "采取防止发生次生、衍生灾害和事件的必要措施",
     "Take the measures needed to prevent secondary and derivative disasters and events"),
    ("other", "法律法规等规定的其他必要措施", "Other measures required by laws and regulations"),
)]

CITY_SOCIAL_SECURITY = [ResponseMeasureKind(*row, CITY_SOCIAL) for row in (
    ("s_causes", "尽快了解和分析事件起因，有针对性地开展法制宣传和说服教育，及时疏导、化解矛盾和冲突",
     "Find out and analyse the causes quickly; explain the law and persuade; defuse the disputes and conflicts"),
    ("s_site_order", "维护现场治安秩序，对使用器械相互对抗或以暴力行为参与冲突的当事人实行强制隔离，妥善解决现场纠纷和争端，"
                     "控制事态发展",
     "Keep order on site; forcibly separate those fighting with weapons or violence; settle the disputes and contain "
     "the situation"),
    ("s_supply_control", "对特定区域内的建筑物、交通工具、设备、设施以及燃料、燃气、电力、水的供应进行控制，必要时依法对网络、"
                         "通信进行管控",
     "Control buildings, vehicles, equipment, facilities and the supply of fuel, gas, power and water in the area; "
     "where necessary control networks and communications under the law"),
    ("s_seal", "封锁有关场所、道路，查验现场人员的身份证件，限制有关公共场所内的活动",
     "Seal places and roads, check identity papers on site, restrict activities in public places"),
    ("s_guard", "加强对易受冲击的核心机关和单位的警卫，根据需要在党政机关、军事机关、广播电台、电视台等单位附近设置临时警戒"
                "线，加强对重点敏感人员、场所、部位和标志性建筑的安全保护",
     "Guard the core bodies at risk; set temporary cordons near Party and government, military, radio and television "
     "offices; protect sensitive people, places and landmarks"),
    ("s_police", "严重危害社会治安秩序的事件发生时，立即依法出动警力，加大社会面检查、巡逻、控制力度，根据现场情况依法采取相应"
                 "的强制性措施，尽快使社会秩序恢复正常",
     "When public order is seriously endangered, deploy the police at once, step up checks, patrols and control, take "
     "compulsory measures under the law, and restore order quickly"),
    ("s_other", "法律法规等规定的其他必要措施", "Other measures required by laws and regulations"),
)]

CUSTOMS = [ResponseMeasureKind(*row, CUSTOMS_CLAUSE) for row in (
    ("c_teams", "组织关区相关部门单位应急队伍参与应急处置与救援工作",
     "Bring the district's departments' and units' emergency teams into the response and rescue"),
    ("c_coordinate", "协调海关总署司局或地方相关负责人、有关专家、应急队伍参与应急处置与救援，协调海关总署司局或地方相关部门"
                     "调度应急资源，提供应急保障等",
     "Bring in GACC departments' or local officials, experts and teams; ask GACC departments or local departments to "
     "dispatch emergency resources and provide support"),
    ("c_requests", "研究决定相关部门单位提出的请求事项，重要事项报海关总署党委决策",
     "Decide the requests of departments and units; refer important matters to the GACC Party committee"),
    ("c_report", "及时向海关总署党委报告应急处置与救援工作进展情况，必要时可及时向海关总署应急指挥机构提出支援支持请求",
     "Report progress to the GACC Party committee promptly; where necessary ask the GACC emergency command for support"),
    ("c_other", "研究处理其他重大事项", "Study and handle other major matters"),
)]

_BY_KEY = {kind.key: kind for kind in CITY + CITY_SOCIAL_SECURITY + CUSTOMS}
EVERY = list(_BY_KEY.values())


def measures_for(*, unit: OrgUnit, category_code: str | None) -> list[ResponseMeasureKind]:
    """The list of the plan that governs `unit`'s organisation, by the incident's category: the city's
    social security list for a social security event, its other list for the other three categories."""
    if under_customs_plan(unit):
        return CUSTOMS
    return CITY_SOCIAL_SECURITY if category_code == SOCIAL_SECURITY else CITY


def measure_wording(key: str) -> str:
    kind = _BY_KEY.get(key)
    return kind.display if kind else key
