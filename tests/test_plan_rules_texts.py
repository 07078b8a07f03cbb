"""The lists the platform offers, read against the plans' own text (issue 19 items 15 and 19): each list is
parsed from the stored general plan (`emergency/demo/plans/`, the city's converted to simplified characters),
not from the platform's constants, and must be the platform's list item for item, in the plan's order."""
import re
import unicodedata
from pathlib import Path

from alerts import catalogue
from emergency.org.demo import DEMO_DIR
from incidents.response import checklist

PLANS = Path(DEMO_DIR) / "plans"


def _words(text: str) -> str:
    """The characters that carry the words: the stored texts mix half- and full-width punctuation."""
    return re.sub(r"[\s\W_]", "", unicodedata.normalize("NFKC", text))


def _paragraphs(name: str, after: str, before: str) -> list[str]:
    """The non-empty lines of plan `name` strictly between the line starting `after` and the next starting `before`."""
    lines = [line.strip() for line in (PLANS / name).read_text(encoding="utf-8").splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith(after))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith(before))
    return [line for line in lines[start + 1:end] if line]


def test_the_citys_fourteen_and_seven_response_measures_are_the_plans_paragraphs():
    """City 3.3.4 1) "自然災害、事故災難或者公共衛生事件發生後,事發地縣級以上地方黨委、政府應採取下列一項或者多項應急措施"
    (14 paragraphs, "現場信息獲取…" to "法律法規等規定的其他必要措施"); 3.3.4 2) "社會安全事件發生後,…採取下列一項或者
    多項應急措施" (7 paragraphs)."""
    events = _paragraphs("guigang_city_general.txt", "1)自然灾害、事故灾难或者公共卫生事件发生后", "2)社会安全事件发生后")
    social = _paragraphs("guigang_city_general.txt", "2)社会安全事件发生后", "3)交通运输、医学救援")
    assert (len(events), len(social)) == (14, 7)
    assert [_words(kind.wording) for kind in checklist.CITY] == [_words(p) for p in events]
    assert [_words(kind.wording) for kind in checklist.CITY_SOCIAL_SECURITY] == [_words(p) for p in social]


def test_the_customs_response_measures_are_its_plans_five():
    """Customs 3.3.4 "需要西安海关层面应对时，西安海关突发事件应急指挥机构主要采取以下措施：（1）…（5）研究处理其他重大事项"."""
    items = _paragraphs("xian_customs_general.txt", "需要西安海关层面应对时", "3.3.5")
    assert len(items) == 5
    assert [_words(kind.wording) for kind in checklist.CUSTOMS] == [_words(re.sub(r"^（\d）", "", p)) for p in items]


def test_the_citys_nine_warning_measures_are_the_plans_paragraphs_in_full():
    """City 3.2.2 3) "發佈預警信息後,有關方面要根據預警級別和實際情況以及分級負責的原則,採取下列一項或多項措施" (nine
    paragraphs, "動員後備人員做好參加應急處置和救援工作的準備" and "並確保其處於良好狀態,隨時可以投入正常使用" included)."""
    items = _paragraphs("guigang_city_general.txt", "3)采取预警措施", "4)解除预警措施")
    assert len(items) == 9
    assert [_words(kind.wording) for kind in catalogue.CITY] == [_words(p) for p in items]


def test_the_customs_warning_measures_are_the_phrases_of_its_plan():
    """Customs 3.2.2 (3) "按照要求采取转移疏散人员、预置应急力量、调集物资装备、保卫重点目标、保障公共设施安全运行等措施。
    必要时，按照要求采取暂停作业、错峰上下班以及其他防范性、保护性措施": each phrase one measure, the last three "必要时"."""
    clause = _paragraphs("xian_customs_general.txt", "（2）预警信息传播", "（4）预警解除")[-1]
    always, needed = re.match(r"（3）预警响应措施。预警信息发出后，按照要求采取(.+)等措施。必要时，按照要求采取(.+)。$",
                              clause).groups()
    first, others = needed.split("以及")
    phrases = always.split("、") + [f"必要时{p}" for p in first.split("、") + [others]]
    assert len(phrases) == 8  # five, and three "必要时"
    assert [kind.wording.replace("必要时采取", "必要时") for kind in catalogue.CUSTOMS] == phrases
