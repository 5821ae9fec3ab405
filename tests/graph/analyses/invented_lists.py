"""Power lists invented for the judged overlaps: departments the shared Karamay lists do not have.

`write_invented_lists(folder)` writes the lists of eight departments of one city (哈密市, a prefecture-level
city like 克拉玛依市; the lists are invented, not its published ones), in the shapes departments
publish (see tests/loaders/test_unseen_lists.py): 农业农村局 and 水利局 one sheet with a type column;
林业和草原局 a 地县两级 workbook whose 区县级 sheet copies six city items; 人力资源和社会保障局 a code
column (事项编码), sub-items, and rows naming the county bodies for two items; 医疗保障局 one sheet per
power type and no type column; 自然资源局, 住房和城乡建设局 and 城市管理局 short lists. The
bases are written as such lists write them (【法律】《…》第…条：text, one article a line); their texts
are abridged, and where the article matters only as a shared citation, paraphrased: test data, not
a legal reference.

What the lists hold is what the staffing office meets on real lists (the issue on overlap verdicts):
- boundaries a list does not state: `种子` (林草) against `农作物种子` (农业农村), `野生植物` against
  `农业野生植物`, `植物检疫` against `农业植物检疫`, `社会保险登记` (人社) against `医疗保险登记` (医保),
  `采砂` (自然资源) against `河道采砂` (水利), `生产建设项目` (水利) against `矿山开采` (自然资源)
  causing soil erosion, `建设工程` (住建) against `水利工程` (水利);
- divisions: `农作物种子` against `林草种子` (许可, 包装) and `林木种子` (质量检查), `农业植物检疫` against
  `林业植物检疫`, 采集 against 出售、收购 of wild plants, different sub-items of one registration,
  the first and the second paragraph of 森林法 §74, different items (项) of 种子法 §80, and each
  department punishing obstruction of its own inspections (one article for two departments, or each
  its own law);
- true overlaps: 农田水利 inspections (农业农村 and 水利), 非法开垦草原 (林草 and 自然资源), 擅自占用城市
  绿化用地 (住建 and 城管), social-insurance service bodies defrauding the fund (人社 and 医保);
- copies of city items at county level, which belong to the county governments;
- a name in traditional script (林草's 植物检疫 penalty) and full-width digits (医保's registration penalty).

`write_small_city(path)` writes the hand-made city of the issue: ten departments and eleven functions
(职能), among them the textbook overlap of 农业农村 and 水利 on 农田水利 that IDF weights computed within
a block of eleven texts miss.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.builders import write_xlsx

__all__ = [
    "CITY",
    "COUNTIES",
    "SMALL_CITY",
    "SMALL_CITY_PAIR",
    "write_invented_lists",
    "write_small_city",
]

CITY = "哈密市人民政府"
COUNTIES = (
    "哈密市所辖县市区人民政府"  # the one government of the districts and counties the lists do not name
)
SMALL_CITY = "某市人民政府"

# -- the legal bases, as the lists quote them -------------------------------------------------------

SEED = "【法律】《中华人民共和国种子法》"
SEED_LICENCE = (
    f"{SEED}第三十一条：从事种子进出口业务、主要农作物杂交种子及其亲本种子、林木良种种子的生产经营的种子"
    "生产经营许可证，由省级人民政府农业农村、林业草原主管部门审核核发；其他种子的生产经营许可证，由生产经营者"
    "所在地县级以上地方人民政府农业农村、林业草原主管部门核发。\n第三十二条：申请取得种子生产经营许可证的，应当"
    "具有与种子生产经营相适应的生产经营设施、设备及专业技术人员。"
)
SEED_FAKE = (
    f"{SEED}第七十四条：违反本法第四十八条规定，生产经营假种子的，由县级以上人民政府农业农村、林业草原"
    "主管部门责令停止生产经营，没收违法所得和种子，吊销种子生产经营许可证。"
)
SEED_INFERIOR = (
    f"{SEED}第七十五条：违反本法第四十八条规定，生产经营劣种子的，由县级以上人民政府农业农村、林业草原"
    "主管部门责令停止生产经营，没收违法所得和种子。"
)
SEED_UNLICENSED = (
    f"{SEED}第七十六条：违反本法第三十二条、第三十三条、第三十四条规定，未取得种子生产经营许可证生产经营种子"
    "的，由县级以上人民政府农业农村、林业草原主管部门责令改正，没收违法所得和种子。"
)
SEED_PACKING = (
    f"{SEED}第八十条第一项：违反本法规定，销售的种子应当包装而没有包装的，由县级以上人民政府农业农村、"
    "林业草原主管部门责令改正，处二千元以上二万元以下罚款。"
)
SEED_RECORDS = (
    f"{SEED}第八十条第四项：违反本法规定，未按规定建立、保存种子生产经营档案的，由县级以上人民政府农业农村、"
    "林业草原主管部门责令改正，处二千元以上二万元以下罚款。"
)
SEED_OBSTRUCTION = (
    f"{SEED}第八十九条：违反本法第五十条规定，拒绝、阻挠农业农村、林业草原主管部门依法实施监督检查的，"
    "处二千元以上五万元以下罚款。"
)
SEED_SEIZURE = (
    f"{SEED}第五十条第一款第四项：农业农村、林业草原主管部门依法履行种子监督检查职责时，有权查封、扣押有证据"
    "证明违法生产经营的种子，以及用于违法生产经营的工具、设备及运输工具等。"
)
SEED_QUALITY = (
    f"{SEED}第三条：县级以上地方人民政府农业农村、林业草原主管部门分别主管本行政区域内农作物种子和林木种子"
    "工作。\n第四十七条：农业农村、林业草原主管部门应当加强对种子质量的监督检查。"
)
QUARANTINE = "【法规】《植物检疫条例》"
QUARANTINE_CERTIFICATE = (
    f"{QUARANTINE}第七条：调运植物和植物产品，属于下列情况的，必须经过检疫。\n第八条：按照本条例第七条的规定"
    "必须检疫的植物和植物产品，经检疫未发现植物检疫对象的，发给植物检疫证书。"
)
QUARANTINE_PENALTY = (
    f"{QUARANTINE}第十八条第一款：未依照本条例规定办理植物检疫证书或者在报检过程中弄虚作假的，植物检疫机构"
    "应当责令纠正，可以处以罚款。"
)
QUARANTINE_INSPECTION = (
    f"{QUARANTINE}第三条：县级以上地方各级农业主管部门、林业主管部门所属的植物检疫机构，负责执行国家的植物"
    "检疫任务。\n第五条：植物检疫机构可以派人参加道路联合检查站或者木材检查站。"
)
WILD_PLANTS = "【法规】《中华人民共和国野生植物保护条例》"
WILD_DUTIES = (
    f"{WILD_PLANTS}第八条：国务院林业行政主管部门主管全国林区内野生植物和林区外珍贵野生树木的监督管理工作。"
    "国务院农业行政主管部门主管全国其他野生植物的监督管理工作。"
)
WILD_COLLECTING = (
    f"{WILD_DUTIES}\n第二十三条：未取得采集证或者未按照采集证的规定采集国家重点保护野生植物的，由野生植物行政"
    "主管部门没收所采集的野生植物和违法所得，可以并处违法所得10倍以下的罚款。"
)
WILD_TRADING = (
    f"{WILD_DUTIES}\n第二十四条：违反本条例规定，出售、收购国家重点保护野生植物的，由工商行政管理部门或者野生"
    "植物行政主管部门按照职责分工没收野生植物和违法所得，可以并处违法所得10倍以下的罚款。"
)
FARMLAND_IRRIGATION = (
    "【法规】《农田水利条例》第四条：县级以上地方人民政府水行政主管部门负责本行政区域农田水利的管理和监督"
    "工作，农业等有关部门在各自职责范围内负责农田水利相关工作。\n第三十八条：县级以上人民政府水行政主管部门和"
    "农业等有关部门应当加强对农田水利工程建设和运行维护的监督检查。"
)
GRASSLAND = (
    "【法律】《中华人民共和国草原法》第四十六条：禁止开垦草原。\n第六十六条：非法开垦草原，构成犯罪的，依法"
    "追究刑事责任；尚不够刑事处罚的，由县级以上人民政府草原行政主管部门依据职权责令停止违法行为，限期恢复"
    "植被，没收非法财物和违法所得。"
)
FOREST = "【法律】《中华人民共和国森林法》"
FOREST_DAMAGE = (
    f"{FOREST}第七十四条第一款：违反本法规定，进行开垦、采石、采砂、采土或者其他活动，造成林木毁坏的，由"
    "县级以上人民政府林业主管部门责令停止违法行为，限期在原地或者异地补种毁坏株数一倍以上三倍以下的树木。"
)
FOREST_GRAZING = (
    f"{FOREST}第七十四条第二款：违反本法规定，在幼林地砍柴、毁苗、放牧造成林木毁坏的，由县级以上人民政府"
    "林业主管部门责令停止违法行为，限期在原地或者异地补种毁坏株数一倍以上三倍以下的树木。"
)
SOCIAL_INSURANCE = "【法律】《中华人民共和国社会保险法》"
INSURANCE_REGISTRATION = (
    f"{SOCIAL_INSURANCE}第五十七条：用人单位应当自成立之日起三十日内凭营业执照、登记证书或者单位印章，向当地"
    "社会保险经办机构申请办理社会保险登记。"
)
INSURANCE_UNREGISTERED = (
    f"{SOCIAL_INSURANCE}第八十四条：用人单位不办理社会保险登记的，由社会保险行政部门责令限期改正；逾期不改正的，"
    "对用人单位处应缴社会保险费数额一倍以上三倍以下的罚款。"
)
INSURANCE_CONTRIBUTIONS = (
    f"{SOCIAL_INSURANCE}第八十六条：用人单位未按时足额缴纳社会保险费的，由社会保险费征收机构责令限期缴纳或者"
    "补足，并自欠缴之日起，按日加收万分之五的滞纳金。"
)
INSURANCE_SERVICE_FRAUD = (
    f"{SOCIAL_INSURANCE}第八十七条：社会保险经办机构以及医疗机构、药品经营单位等社会保险服务机构以欺诈、伪造"
    "证明材料或者其他手段骗取社会保险基金支出的，由社会保险行政部门责令退回骗取的社会保险金，处骗取金额二倍"
    "以上五倍以下的罚款。"
)
INSURANCE_BENEFIT_FRAUD = (
    f"{SOCIAL_INSURANCE}第八十八条：以欺诈、伪造证明材料或者其他手段骗取社会保险待遇的，由社会保险行政部门"
    "责令退回骗取的社会保险金，处骗取金额二倍以上五倍以下的罚款。"
)
MEDICAL_FUND = "【法规】《医疗保障基金使用监督管理条例》"
CONSTRUCTION_QUALITY = "【法规】《建设工程质量管理条例》"
QUALITY_SUPERVISION = (
    f"{CONSTRUCTION_QUALITY}第四十三条：县级以上地方人民政府建设行政主管部门对本行政区域内的建设工程质量实施"
    "监督管理；县级以上地方人民政府交通、水利等有关部门在各自的职责范围内，负责对本行政区域内的专业建设工程"
    "质量的监督管理。"
)
QUALITY_SHODDY = (
    f"{CONSTRUCTION_QUALITY}第六十四条：违反本条例规定，施工单位在施工中偷工减料的，使用不合格的建筑材料、"
    "建筑构配件和设备的，责令改正，处工程合同价款百分之二以上百分之四以下的罚款。"
)
QUALITY_SPLIT = (
    f"{CONSTRUCTION_QUALITY}第五十五条：违反本条例规定，建设单位将建设工程肢解发包的，责令改正，处工程合同价款"
    "百分之零点五以上百分之一以下的罚款。"
)
GREENING = (
    "【法规】《城市绿化条例》第二十条：任何单位和个人都不得擅自改变城市绿化规划用地性质或者破坏绿化规划用地"
    "的地形、地貌、水体和植被。\n第二十七条：未经同意，擅自占用城市绿化用地的，由城市人民政府城市绿化行政主管"
    "部门责令限期退还、恢复原状，可以并处罚款。"
)
EROSION = (
    "【法律】《中华人民共和国水土保持法》第五十六条：违反本法规定，开办生产建设项目或者从事其他生产建设活动"
    "造成水土流失，不进行治理的，由县级以上人民政府水行政主管部门责令限期治理；逾期仍不治理的，可以指定有治理"
    "能力的单位代为治理。"
)

# -- the lists ----------------------------------------------------------------------------------------

Item = tuple[str, str, str]  # (power type, name, basis)

AGRICULTURE = "哈密市农业农村局"
AGRICULTURE_ITEMS: list[Item] = [
    ("行政许可", "农作物种子生产经营许可证核发", SEED_LICENCE),
    ("行政许可", "农业植物检疫证书核发", QUARANTINE_CERTIFICATE),
    (
        "行政许可",
        "生猪定点屠宰厂（场）设置审查",
        "【法规】《生猪屠宰管理条例》第九条：生猪定点屠宰厂（场）由设区的市级人民政府根据生猪屠宰行业发展规划审查确定。",
    ),
    ("行政处罚", "对生产经营农作物假种子的处罚", SEED_FAKE),
    ("行政处罚", "对生产经营农作物劣种子的处罚", SEED_INFERIOR),
    ("行政处罚", "对未取得农作物种子生产经营许可证生产经营种子等行为的处罚", SEED_UNLICENSED),
    ("行政处罚", "对销售的农作物种子应当包装而没有包装等行为的处罚", SEED_PACKING),
    ("行政处罚", "对拒绝、阻挠农业农村主管部门依法实施种子监督检查的处罚", SEED_OBSTRUCTION),
    (
        "行政处罚",
        "对未依照《植物检疫条例》规定办理农业植物检疫证书或者在报检过程中弄虚作假等行为的处罚",
        QUARANTINE_PENALTY,
    ),
    ("行政处罚", "对未取得采集证或者未按照采集证的规定采集国家重点保护农业野生植物的处罚", WILD_COLLECTING),
    ("行政处罚", "对违规出售、收购国家重点保护农业野生植物的处罚", WILD_TRADING),
    (
        "行政处罚",
        "对使用禁用的渔具、捕捞方法进行捕捞的处罚",
        "【法律】《中华人民共和国渔业法》第三十八条：使用炸鱼、毒鱼、电鱼等破坏渔业资源方法进行捕捞的，没收渔获物和违法所得，处五万元以下的罚款。",
    ),
    (
        "行政强制",
        "对有证据证明违法生产经营的农作物种子以及用于违法生产经营的工具、设备及运输工具的查封、扣押",
        SEED_SEIZURE,
    ),
    ("行政检查", "对农作物种子质量的监督检查", SEED_QUALITY),
    ("行政检查", "对农业植物检疫的监督检查", QUARANTINE_INSPECTION),
    ("行政检查", "对农田水利设施建设和运行维护情况的监督检查", FARMLAND_IRRIGATION),
    (
        "行政检查",
        "对农药经营活动的监督检查",
        "【法规】《农药管理条例》第四十一条：县级以上地方人民政府农业主管部门应当加强对农药经营活动的监督检查。",
    ),
    (
        "行政确认",
        "农机事故责任认定",
        "【法规】《农业机械安全监督管理条例》第二十三条：农业机械事故由县级以上地方人民政府农业机械化主管部门认定事故责任。",
    ),
]

FORESTRY = "哈密市林业和草原局"
FORESTRY_ITEMS: list[Item] = [
    ("行政许可", "林草种子生产经营许可证核发", SEED_LICENCE),
    ("行政许可", "林业植物检疫证书核发", QUARANTINE_CERTIFICATE),
    (
        "行政许可",
        "林木采伐许可证核发",
        f"{FOREST}第五十六条：采伐林地上的林木应当申请采伐许可证，并按照采伐许可证的规定进行采伐。",
    ),
    (
        "行政许可",
        "使用林地审核",
        f"{FOREST}第三十七条：矿藏勘查、开采以及其他各类工程建设，应当不占或者少占林地；确需占用林地的，应当经县级以上人民政府林业主管部门审核同意。",
    ),
    ("行政处罚", "对生产经营假种子的处罚", SEED_FAKE),
    ("行政处罚", "对生产经营劣种子的处罚", SEED_INFERIOR),
    ("行政处罚", "对未取得种子生产经营许可证生产经营种子的处罚", SEED_UNLICENSED),
    ("行政处罚", "对销售的林木种子应当包装而没有包装等行为的处罚", SEED_PACKING),
    ("行政处罚", "对未按规定建立、保存种子生产经营档案的处罚", SEED_RECORDS),
    ("行政处罚", "对拒绝、阻挠林业草原主管部门依法实施种子监督检查的处罚", SEED_OBSTRUCTION),
    ("行政处罚", "對未依照規定辦理植物檢疫證書或者在報檢過程中弄虛作假的處罰", QUARANTINE_PENALTY),
    ("行政处罚", "对未取得采集证或者未按照采集证的规定采集国家重点保护野生植物的处罚", WILD_COLLECTING),
    ("行政处罚", "对违规出售、收购国家重点保护野生植物的处罚", WILD_TRADING),
    ("行政处罚", "对非法开垦草原的处罚", GRASSLAND),
    ("行政处罚", "对开垦、采石、采砂、采土或者其他活动造成林木毁坏的处罚", FOREST_DAMAGE),
    (
        "行政处罚",
        "对盗伐林木的处罚",
        f"{FOREST}第七十六条第一款：盗伐林木的，由县级以上人民政府林业主管部门责令限期在原地或者异地补种盗伐株数一倍以上五倍以下的树木，并处盗伐林木价值五倍以上十倍以下的罚款。",
    ),
    (
        "行政处罚",
        "对拒绝、阻碍林业草原主管部门监督检查的处罚",
        f"{FOREST}第六十七条：县级以上人民政府林业主管部门履行森林资源保护监督检查职责，被监督检查的单位和个人应当予以配合，不得拒绝、阻碍。",
    ),
    ("行政强制", "对违法生产经营的种子以及用于违法生产经营的工具、设备及运输工具的查封、扣押", SEED_SEIZURE),
    ("行政检查", "对林木种子质量的监督检查", SEED_QUALITY),
    ("行政检查", "对植物检疫的监督检查", QUARANTINE_INSPECTION),
]
FORESTRY_COPIED = (5, 6, 7, 12, 13, 14)  # the city items (numbered from 1) the 区县级 sheet repeats, in order

HUMAN_RESOURCES = "哈密市人力资源和社会保障局"
REGISTRATION_SUBS = ("参保登记", "变更登记", "注销登记")
# (code, power type, name, sub-items, basis, whether the county bodies hold it too)
HUMAN_RESOURCES_ITEMS: list[tuple[str, str, str, tuple[str, ...], str, bool]] = [
    (
        "650500-RS-XK-001",
        "行政许可",
        "人力资源服务许可",
        (),
        "【法规】《人力资源市场暂行条例》第十八条：经营性人力资源服务机构从事职业中介活动的，应当依法向人力资源社会保障行政部门申请行政许可。",
        False,
    ),
    ("650500-RS-QR-001", "行政确认", "社会保险登记", REGISTRATION_SUBS, INSURANCE_REGISTRATION, False),
    (
        "650500-RS-QR-002",
        "行政确认",
        "工伤认定",
        (),
        "【法规】《工伤保险条例》第十七条：职工发生事故伤害，所在单位应当自事故伤害发生之日起30日内，向统筹地区社会保险行政部门提出工伤认定申请。",
        False,
    ),
    (
        "650500-RS-CF-001",
        "行政处罚",
        "对用人单位自成立之日起30日内未办理社会保险登记的处罚",
        (),
        INSURANCE_UNREGISTERED,
        True,
    ),
    (
        "650500-RS-CF-002",
        "行政处罚",
        "对以欺诈、伪造证明材料或者其他手段骗取社会保险待遇的处罚",
        (),
        INSURANCE_BENEFIT_FRAUD,
        True,
    ),
    (
        "650500-RS-CF-003",
        "行政处罚",
        "对医疗机构、药品经营单位等社会保险服务机构以欺诈、伪造证明材料或者其他手段骗取社会保险基金支出的处罚",
        (),
        INSURANCE_SERVICE_FRAUD,
        False,
    ),
    (
        "650500-RS-CF-004",
        "行政处罚",
        "对用人单位未按时足额缴纳社会保险费的处罚",
        (),
        INSURANCE_CONTRIBUTIONS,
        False,
    ),
    (
        "650500-RS-CF-005",
        "行政处罚",
        "对用人单位违反规定延长劳动者工作时间的处罚",
        (),
        "【法律】《中华人民共和国劳动法》第九十条：用人单位违反本法规定，延长劳动者工作时间的，由劳动行政部门给予警告，责令改正，并可以处以罚款。",
        False,
    ),
    (
        "650500-RS-CF-006",
        "行政处罚",
        "对无理抗拒、阻挠劳动保障监察的处罚",
        (),
        "【法规】《劳动保障监察条例》第三十条：无理抗拒、阻挠劳动保障行政部门依照本条例的规定实施劳动保障监察的，由劳动保障行政部门责令改正，处2000元以上2万元以下的罚款。",
        False,
    ),
    (
        "650500-RS-JC-001",
        "行政检查",
        "对用人单位遵守劳动保障法律法规情况的监督检查",
        (),
        "【法规】《劳动保障监察条例》第十一条：劳动保障行政部门对用人单位遵守劳动保障法律、法规和规章的情况实施劳动保障监察。",
        False,
    ),
]

MEDICAL_SECURITY = "哈密市医疗保障局"
MEDICAL_SECURITY_SHEETS: dict[
    str, list[tuple[str, tuple[str, ...], str]]
] = {  # sheet: (name, sub-items, basis)
    "行政确认（1项）": [("医疗保险登记", REGISTRATION_SUBS, INSURANCE_REGISTRATION)],
    "行政处罚（6项）": [
        ("对用人单位自成立之日起３０日内未办理医疗保险登记的处罚", (), INSURANCE_UNREGISTERED),
        (
            "对以欺诈、伪造证明材料或者其他手段骗取医疗保障基金支出的处罚",
            (),
            f"{INSURANCE_BENEFIT_FRAUD}{MEDICAL_FUND}第四十一条：个人以骗取医疗保障基金为目的，使用他人医疗保障凭证"
            "冒名就医、购药的，由医疗保障行政部门责令改正，处骗取金额2倍以上5倍以下的罚款。",
        ),
        (
            "对医疗机构、药品经营单位等社会保险服务机构以欺诈、伪造证明材料或者其他手段骗取社会保险基金支出的处罚",
            (),
            INSURANCE_SERVICE_FRAUD,
        ),
        ("对用人单位未按时足额缴纳基本医疗保险费的处罚", (), INSURANCE_CONTRIBUTIONS),
        (
            "对定点医药机构分解住院、挂床住院等违法行为的处罚",
            (),
            f"{MEDICAL_FUND}第三十八条：定点医药机构分解住院、挂床住院的，由医疗保障行政部门责令改正，并可以约谈"
            "有关负责人；造成医疗保障基金损失的，责令退回，处造成损失金额1倍以上2倍以下的罚款。",
        ),
        (
            "对拒绝、阻碍医疗保障行政部门监督检查的处罚",
            (),
            f"{MEDICAL_FUND}第二十七条：被检查对象应当积极配合医疗保障行政部门的监督检查，不得拒绝、阻碍检查或者"
            "谎报、瞒报。",
        ),
    ],
    "行政检查（2项）": [
        (
            "对医疗保障基金使用情况的监督检查",
            (),
            f"{MEDICAL_FUND}第二十二条：医疗保障行政部门应当加强对纳入医疗保障基金支付范围的医疗服务行为和医疗费用的监督。",
        ),
        (
            "对定点医药机构执行医疗保障服务协议情况的检查",
            (),
            f"{MEDICAL_FUND}第二十三条：医疗保障经办机构应当对定点医药机构履行服务协议的情况进行检查。",
        ),
    ],
}

WATER = "哈密市水利局"
WATER_ITEMS: list[Item] = [
    (
        "行政许可",
        "取水许可",
        "【法律】《中华人民共和国水法》第四十八条：直接从江河、湖泊或者地下取用水资源的单位和个人，应当按照国家取水许可制度和水资源有偿使用制度，向水行政主管部门申请领取取水许可证。",
    ),
    ("行政许可", "河道采砂许可", "【法律】《中华人民共和国水法》第三十九条：国家实行河道采砂许可制度。"),
    (
        "行政许可",
        "生产建设项目水土保持方案审批",
        "【法律】《中华人民共和国水土保持法》第二十五条：在山区、丘陵区、风沙区以及水土保持规划确定的容易发生水土流失的其他区域开办可能造成水土流失的生产建设项目，生产建设单位应当编制水土保持方案，报县级以上人民政府水行政主管部门审批。",
    ),
    (
        "行政处罚",
        "对未经批准擅自取水的处罚",
        "【法律】《中华人民共和国水法》第六十九条第一项：未经批准擅自取水的，由县级以上人民政府水行政主管部门责令停止违法行为，限期采取补救措施，处二万元以上十万元以下的罚款。",
    ),
    (
        "行政处罚",
        "对未经批准擅自在河道采砂的处罚",
        "【法规】《中华人民共和国河道管理条例》第四十四条第一款第四项：未经批准或者不按照河道主管机关的规定在河道管理范围内采砂、取土、淘金的，县级以上地方人民政府河道主管机关除责令纠正违法行为外，可以并处警告、罚款、没收非法所得。",
    ),
    ("行政处罚", "对开办生产建设项目或者从事其他生产建设活动造成水土流失不进行治理的处罚", EROSION),
    ("行政处罚", "对水利工程施工单位在施工中偷工减料的处罚", QUALITY_SHODDY),
    ("行政处罚", "对水利工程建设单位将工程肢解发包的处罚", QUALITY_SPLIT),
    (
        "行政处罚",
        "对拒绝、阻碍水行政主管部门监督检查的处罚",
        "【法律】《中华人民共和国水法》第六十条：县级以上人民政府水行政主管部门履行本法规定的监督检查职责时，被检查单位或者个人对监督检查工作应当给予配合，不得拒绝或者阻碍监督检查人员依法执行职务。",
    ),
    ("行政检查", "对农田水利工程设施建设和运行维护的监督检查", FARMLAND_IRRIGATION),
    (
        "行政检查",
        "对水利工程质量的监督检查",
        f"{QUALITY_SUPERVISION}【规章】《水利工程质量管理规定》第五条：水利部负责全国水利工程质量管理工作，县级以上地方人民政府水利行政主管部门负责本行政区域内水利工程质量管理工作。",
    ),
    (
        "行政检查",
        "对水利工程建设安全生产的监督检查",
        "【规章】《水利工程建设安全生产管理规定》第二十九条：县级以上地方人民政府水行政主管部门负责本行政区域内所管辖的水利工程建设安全生产的监督管理。",
    ),
]

NATURAL_RESOURCES = "哈密市自然资源局"
NATURAL_RESOURCES_ITEMS: list[Item] = [
    (
        "行政许可",
        "建设用地规划许可证核发",
        "【法律】《中华人民共和国城乡规划法》第三十七条：在城市、镇规划区内以划拨方式提供国有土地使用权的建设项目，经有关部门批准、核准、备案后，建设单位应当向城市、县人民政府城乡规划主管部门提出建设用地规划许可申请。",
    ),
    (
        "行政许可",
        "采矿权新立登记",
        "【法律】《中华人民共和国矿产资源法》第三条：开采矿产资源，必须依法申请登记，取得采矿权。",
    ),
    (
        "行政处罚",
        "对非法占用土地的处罚",
        "【法律】《中华人民共和国土地管理法》第七十七条：未经批准或者采取欺骗手段骗取批准，非法占用土地的，由县级以上人民政府自然资源主管部门责令退还非法占用的土地。",
    ),
    ("行政处罚", "对非法开垦草原的处罚", GRASSLAND),
    ("行政处罚", "对在幼林地砍柴、毁苗、放牧造成林木毁坏的处罚", FOREST_GRAZING),
    (
        "行政处罚",
        "对未经批准擅自采砂的处罚",
        "【法律】《中华人民共和国矿产资源法》第三十九条：违反本法规定，未取得采矿许可证擅自采矿的，责令停止开采、赔偿损失，没收采出的矿产品和违法所得，可以并处罚款。",
    ),
    (
        "行政处罚",
        "对矿山开采造成水土流失不进行治理的处罚",
        f"{EROSION}【规章】《矿山地质环境保护规定》第十六条：采矿权人应当依照矿山地质环境保护与土地复垦方案，开展矿山地质环境治理恢复。",
    ),
    (
        "行政处罚",
        "对拒绝、阻碍自然资源主管部门监督检查的处罚",
        "【法律】《中华人民共和国土地管理法》第六十八条：县级以上人民政府自然资源主管部门履行监督检查职责时，有权要求被检查的单位或者个人提供有关土地权利的文件和资料，被检查的单位和个人应当支持与配合。",
    ),
    (
        "行政检查",
        "对土地复垦情况的监督检查",
        "【法规】《土地复垦条例》第十七条：县级以上地方人民政府国土资源主管部门应当对土地复垦义务人的土地复垦情况进行监督检查。",
    ),
    (
        "行政确认",
        "不动产登记",
        "【法规】《不动产登记暂行条例》第六条：县级以上地方人民政府应当确定一个部门为本行政区域的不动产登记机构。",
    ),
]

HOUSING = "哈密市住房和城乡建设局"
HOUSING_ITEMS: list[Item] = [
    (
        "行政许可",
        "建筑工程施工许可",
        "【法律】《中华人民共和国建筑法》第七条：建筑工程开工前，建设单位应当按照国家有关规定向工程所在地县级以上人民政府建设行政主管部门申请领取施工许可证。",
    ),
    (
        "行政许可",
        "燃气经营许可证核发",
        "【法规】《城镇燃气管理条例》第十五条：从事燃气经营活动的，应当依法取得燃气经营许可证。",
    ),
    ("行政处罚", "对施工单位在施工中偷工减料的处罚", QUALITY_SHODDY),
    ("行政处罚", "对建设单位将建设工程肢解发包的处罚", QUALITY_SPLIT),
    (
        "行政处罚",
        "对未取得施工许可证擅自施工的处罚",
        "【法律】《中华人民共和国建筑法》第六十四条：违反本法规定，未取得施工许可证或者开工报告未经批准擅自施工的，责令改正，对不符合开工条件的责令停止施工，可以处以罚款。",
    ),
    ("行政处罚", "对擅自占用城市绿化用地的处罚", GREENING),
    ("行政检查", "对建设工程质量的监督检查", QUALITY_SUPERVISION),
]

CITY_MANAGEMENT = "哈密市城市管理局"
CITY_MANAGEMENT_ITEMS: list[Item] = [
    (
        "行政许可",
        "城市建筑垃圾处置核准",
        "【规章】《城市建筑垃圾管理规定》第七条：处置建筑垃圾的单位，应当向城市人民政府市容环境卫生主管部门提出申请，获得城市建筑垃圾处置核准后，方可处置。",
    ),
    ("行政处罚", "对擅自占用城市绿化用地的处罚", GREENING),
    (
        "行政处罚",
        "对损坏城市树木花草的处罚",
        "【法规】《城市绿化条例》第二十六条：损坏城市树木花草的，由城市人民政府城市绿化行政主管部门或者其授权的单位责令停止侵害，可以并处罚款。",
    ),
    (
        "行政处罚",
        "对在城市人行道上擅自摆设摊点的处罚",
        "【法规】《城市市容和环境卫生管理条例》第三十六条：未经城市人民政府市容环境卫生行政主管部门同意，在城市人行道上擅自摆设摊点的，责令其纠正违法行为、采取补救措施，可以并处警告、罚款。",
    ),
]


def write_invented_lists(folder: Path) -> Path:
    """Write the invented lists of 哈密市 into `folder` (created when missing); returns `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    _one_sheet(folder / f"{AGRICULTURE}2024年权责清单.xlsx", AGRICULTURE, AGRICULTURE_ITEMS)
    _two_levels(folder / f"{FORESTRY}地县两级权责清单.xlsx")
    _with_codes(folder / f"{HUMAN_RESOURCES}2024年权责清单.xlsx")
    _type_sheets(folder / f"{MEDICAL_SECURITY}2024年权责清单.xlsx")
    _one_sheet(folder / f"{WATER}2024年权责清单.xlsx", WATER, WATER_ITEMS)
    _one_sheet(folder / f"{NATURAL_RESOURCES}2024年权责清单.xlsx", NATURAL_RESOURCES, NATURAL_RESOURCES_ITEMS)
    _one_sheet(folder / f"{HOUSING}2024年权责清单.xlsx", HOUSING, HOUSING_ITEMS)
    _one_sheet(folder / f"{CITY_MANAGEMENT}2024年权责清单.xlsx", CITY_MANAGEMENT, CITY_MANAGEMENT_ITEMS)
    return folder


def _one_sheet(path: Path, department: str, items: list[Item]) -> Path:
    """A title row merged over the header, then one row per item with its type in a column."""
    header = ["序号", "权力类型", "权力名称", "子项", "实施主体", "设定依据", "备注"]
    rows: list[list[Any]] = [[f"{department}权责清单（2024年版）", *[""] * (len(header) - 1)], header]
    for number, (power_type, name, basis) in enumerate(items, start=1):
        rows.append([number, power_type, name, "", department, basis, ""])
    return write_xlsx(path, {"权责清单": rows}, {"权责清单": ["A1:G1"]})


def _two_levels(path: Path) -> Path:
    """The 林草 list as a 地县两级 workbook: the city's sheet, and the county sheet repeating six items."""
    header = ["序号", "事项名称", "子项名称", "权力类型", "实施依据", "实施主体", "备注"]
    city: list[list[Any]] = [[f"{FORESTRY}权责清单（地州级）", *[""] * 6], header]
    for number, (power_type, name, basis) in enumerate(FORESTRY_ITEMS, start=1):
        city.append([number, name, "", power_type, basis, FORESTRY, ""])
    county: list[list[Any]] = [[f"{FORESTRY}权责清单（区县级）", *[""] * 6], header]
    for number, copied in enumerate(FORESTRY_COPIED, start=1):
        power_type, name, basis = FORESTRY_ITEMS[copied - 1]
        county.append([number, name, "", power_type, basis, "县市区林业和草原局", ""])
    return write_xlsx(path, {"地州级": city, "区县级": county}, {"地州级": ["A1:G1"], "区县级": ["A1:G1"]})


def _with_codes(path: Path) -> Path:
    """The 人社 list: a code column, an item with sub-items, and rows naming the county bodies."""
    header = ["序号", "事项编码", "权力类型", "权力名称", "子项", "实施主体", "设定依据"]
    rows: list[list[Any]] = [[f"{HUMAN_RESOURCES}权责清单", *[""] * 6], header]
    for number, (code, power_type, name, subs, basis, county) in enumerate(HUMAN_RESOURCES_ITEMS, start=1):
        first, *rest = subs or ("",)
        rows.append([number, code, power_type, name, first, HUMAN_RESOURCES, basis])
        rows.extend(["", "", "", "", sub, HUMAN_RESOURCES, basis] for sub in rest)
        if county:  # the same item held by the county bodies: a row of its own, without a number
            rows.append(["", "", "", "", "", "县市区人力资源和社会保障局", ""])
    return write_xlsx(path, {"Sheet1": rows}, {"Sheet1": ["A1:G1"]})


def _type_sheets(path: Path) -> Path:
    """The 医保 list: one sheet per power type, named with its count, and no type column."""
    sheets: dict[str, list[list[Any]]] = {}
    for sheet, items in MEDICAL_SECURITY_SHEETS.items():
        rows: list[list[Any]] = [["序号", "事项名称", "子项名称", "设定依据", "实施主体", "备注"]]
        for number, (name, subs, basis) in enumerate(items, start=1):
            first, *rest = subs or ("",)
            rows.append([number, name, first, basis, MEDICAL_SECURITY, ""])
            rows.extend(["", "", sub, basis, MEDICAL_SECURITY, ""] for sub in rest)
        sheets[sheet] = rows
    return write_xlsx(path, sheets)


# -- the small city -----------------------------------------------------------------------------------

SMALL_CITY_DEPARTMENTS = (
    "某市农业农村局",
    "某市水利局",
    "某市自然资源局",
    "某市生态环境局",
    "某市住房和城乡建设局",
    "某市交通运输局",
    "某市市场监督管理局",
    "某市卫生健康委员会",
    "某市教育局",
    "某市文化体育广播电视和旅游局",
)
SMALL_CITY_FUNCTIONS = [  # (code, department, function)
    ("NY-1", "某市农业农村局", "负责全市农田水利建设和管理，指导农田灌溉排水工作"),
    ("NY-2", "某市农业农村局", "负责全市农产品质量安全监督管理"),
    ("SL-1", "某市水利局", "负责全市农田水利设施建设与管理，指导农村灌溉排水工作"),
    ("ZR-1", "某市自然资源局", "负责全市土地、矿产等自然资源的调查监测评价和确权登记工作"),
    ("ST-1", "某市生态环境局", "负责全市生态环境监测和重大生态环境问题的统筹协调"),
    ("ZJ-1", "某市住房和城乡建设局", "负责全市建筑市场和工程质量安全的监督管理"),
    ("JT-1", "某市交通运输局", "负责全市道路运输和公路建设市场的监督管理"),
    ("SC-1", "某市市场监督管理局", "负责全市市场主体登记注册和食品安全监督管理"),
    ("WJ-1", "某市卫生健康委员会", "负责全市医疗机构和医疗服务行业的监督管理"),
    ("JY-1", "某市教育局", "负责全市基础教育和职业教育的统筹规划与管理"),
    ("WL-1", "某市文化体育广播电视和旅游局", "负责全市文化、体育和旅游事业的发展规划与管理"),
]
SMALL_CITY_PAIR = ("function:NY-1", "function:SL-1")  # the textbook overlap the issue names


def write_small_city(path: Path) -> Path:
    """Write the small city as a workbook (sheets 部门, 权责清单 and 职能); returns `path`."""
    departments = [["部门名称", "所属政府"], *([name, SMALL_CITY] for name in SMALL_CITY_DEPARTMENTS)]
    powers = [
        ["事项编码", "权力类型", "权力名称", "实施主体", "设定依据"],
        ["XK-1", "行政许可", "取水许可", "某市水利局", "《中华人民共和国水法》第四十八条"],
        ["XK-2", "行政许可", "建筑工程施工许可", "某市住房和城乡建设局", "《中华人民共和国建筑法》第七条"],
        [
            "CF-1",
            "行政处罚",
            "对生产经营假种子的处罚",
            "某市农业农村局",
            "《中华人民共和国种子法》第七十四条",
        ],
    ]
    functions = [
        ["职能编码", "部门", "职能内容"],
        *([code, d, text] for code, d, text in SMALL_CITY_FUNCTIONS),
    ]
    return write_xlsx(path, {"部门": departments, "权责清单": powers, "职能": functions})
