"""Write a province-scale workbook with planted overlaps, gaps and split approvals, and its truth.

    python bench/generate.py --items 10000 --out /tmp/quanze-bench/10000
    python bench/generate.py --items 1000000 --seed 7 --cases 1000000 --out /tmp/quanze-bench/trace

writes a folder of UTF-8 .csv files named after the sheets of shared/spec/workbook.md (部门.csv,
内设机构.csv, 岗位.csv, 任职.csv, 职能.csv, 权责清单.csv, 审批环节.csv, 法律依据.csv, and with
`--cases` 办件.csv, 办件环节.csv and 问责.csv) and `truth.json`: what was planted, with the ids the
analyses report, and what the analyses must therefore find. The same seed gives the same files,
byte for byte (one `random.Random(seed)`, and for the cases one seeded per government so that the
rest of the workbook is the same with or without them; no clock). Keep the output outside the
repository.

The shape follows a province (issue #3): `--items` power items and functions over
max(1, items // 5000) governments (or `--governments`): a province, its cities and their counties
and districts (a city and its districts below 12 governments), each with some 40 departments named
after its place (`青川县市场监督管理局`), ~6 units a department, ~4 posts a unit plus the
leadership, ~1.5 holdings a post over the years, ~5 charter functions a department, stages for the
licensing items (~10%), a laws sheet, and `--cases` cases of the licences with their steps (demand
skewed: the n-th most asked-for licence of a government gets ~1/n of its cases).

Departments of one kind (every 市场监督管理局) list items from one catalogue, as provinces
standardise their lists, so the same item is held at several levels: a division between levels,
never an overlap. Each department adds items of its own. Names are made from templates of real
wording (`对{主体}{违法行为}的处罚`, `{事项}许可`, `{对象}监督检查`) with department-specific
vocabularies, so two background texts of different departments of one government are rarely
similar; the generator measures how rarely on a sample and writes it into truth.json.

Planted per government, at rates seen in clean-ups: SAME_ITEM pairs (one item listed by two
departments, a quarter of the copies in traditional script), JOINT items, SHARED_BASIS pairs (two
departments citing one article no other item of theirs cites), SIMILAR_TEXT pairs of items and of
functions (a few characters changed; each checked with `graph.similarity` and the block's own idf
weights to score clearly above `DEFAULT_TEXT_THRESHOLD`), gaps of each kind and split approvals
(stages carried by two departments, prerequisite chains across departments, the same licence
approved twice). Pairs that follow from a plant by the definitions (a copied text that is also
similar to another item of the source department) are written too, marked `implied`.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import itertools
import json
import math
import random
import sys
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any

import opencc

from graph import ids
from graph.analyses.fields import ALIASES, competent_field, department_field
from graph.analyses.overlaps import DEFAULT_BASIS_THRESHOLD, DEFAULT_RARE_SHARE, DEFAULT_TEXT_THRESHOLD
from graph.similarity import Text, idf_weights, similar_pairs, similarity, tokens
from graph.text import normalize
from graph.workdays import is_workday
from loaders.citations import parse_citations
from loaders.demo.catalogue import DUTIES, GENERAL_ARTICLES, HAND_ITEMS, LAW_HOLDERS, TRIGGERS, TYPE_CODES
from loaders.demo.city import DEPARTMENTS, FUNCTIONS, GIVEN_NAME_CHARACTERS, SURNAMES
from loaders.demo.records import SHEETS
from loaders.workbook import article_label

__all__ = ["REFERENCE_DATE", "generate", "main"]

REFERENCE_DATE = date(2026, 11, 28)
ITEMS_PER_GOVERNMENT = 5000
#: planted SIMILAR_TEXT pairs must score at least this (the analysis' threshold is 0.6)
PLANT_MARGIN = 0.1

# --- vocabulary ----------------------------------------------------------------------------------

#: department kinds the demo city has that a post-2018 government no longer has
_DROPPED = {"监察局", "政府法制办公室", "审批制度改革办公室", "行政效能监察领导小组办公室", "供销合作社"}
#: kinds a county may not have
_OPTIONAL_AT_COUNTY = (
    "地方金融监督管理局",
    "国有资产监督管理委员会",
    "粮食和物资储备局",
    "人民防空办公室",
    "科学技术局",
    "档案局",
)

#: per kind: the things its items are about (roots) | whom its items are about (subjects)
_VOCABULARY = """
人民政府办公室|政府信息公开 政务公开 政府网站 政务新媒体 督查督办 应急值守 公文处理 政务信息报送 电子政务 政府规章草案 政务值班 政府工作报告|行政机关 政务新媒体运营单位 政府信息公开义务人
发展和改革委员会|固定资产投资 政府投资项目 企业投资项目 节能审查 招标投标 价格 成本监审 可再生能源 循环经济 电力需求侧 石油天然气管道 清洁生产 重点用能单位 粮食风险基金 收费项目|项目单位 招标人 投标人 重点用能单位 经营者 管道企业
经济和信息化局|电力设施 无线电台 无线电频率 食盐 监控化学品 工业节能 中小企业款项 电力供应 信息通信设施 工业园区 民用爆炸物品生产 军民融合 技术改造|供电企业 用电单位 无线电台设置使用人 食盐定点批发企业 工业企业
教育局|民办学校 校外培训机构 幼儿园 校车 教师资格 学籍 义务教育 中外合作办学 教育督导 学生资助 国家通用语言文字 中小学教材 学校食堂|学校 举办者 培训机构 校车服务提供者 教师
科学技术局|科技成果转化 人类遗传资源 实验动物 科学技术奖 科技计划项目 科研诚信 科学技术普及 技术合同 高新技术企业 科技企业孵化器|科研单位 项目承担单位 实验动物生产单位 技术转移机构
民族宗教事务局|宗教活动场所 宗教教职人员 宗教临时活动地点 清真食品 民族团结进步 宗教团体 宗教院校 宗教出版物|宗教团体 宗教活动场所管理组织 清真食品经营者
公安局|机动车 驾驶证 枪支 烟花爆竹运输 旅馆业 保安服务 易制毒化学品 户口 居民身份证 大型群众性活动 出入境证件 印章刻制 废旧金属收购 互联网服务场所 剧毒化学品 犬只|驾驶人 机动车所有人 旅馆经营者 保安服务公司 承办者 公章刻制企业
民政局|社会团体 民办非企业单位 基金会 慈善组织 殡葬设施 婚姻登记 养老机构 地名 最低生活保障 特困人员供养 收养登记 行政区域界线 志愿服务组织 公墓|社会组织 养老机构运营者 殡仪服务机构 公墓经营单位
司法局|律师事务所 律师执业 公证机构 法律援助 人民调解 社区矫正 司法鉴定 基层法律服务 仲裁委员会|律师 公证员 司法鉴定人 基层法律服务工作者 法律服务所
财政局|会计 代理记账 政府采购 预算执行 资产评估 彩票 行政事业性国有资产 注册会计师 财政票据 财政专项资金|采购人 供应商 代理记账机构 会计师事务所 资产评估机构
人力资源和社会保障局|劳动合同 工资支付 社会保险 工伤认定 劳务派遣 人力资源服务 职业技能培训 童工 工时制度 失业保险 女职工劳动保护 劳动能力鉴定 技工学校|用人单位 人力资源服务机构 劳务派遣单位 职业培训机构
自然资源和规划局|建设用地 耕地 基本农田 国土空间规划 矿产资源 采矿权 测绘 地图 不动产 地质灾害 土地复垦 古生物化石 地质资料 乡村建设规划 测量标志|用地单位 采矿权人 测绘单位 开发建设单位 不动产权利人
生态环境局|排污 大气污染物 水污染物 危险废物 放射源 环境噪声 土壤污染 环境影响评价 消耗臭氧层物质 入河排污口 畜禽养殖污染 环境监测 射线装置|排污单位 危险废物经营单位 辐射工作单位 环评单位
住房和城乡建设局|建筑工程 建筑业企业资质 房地产开发 商品房预售 燃气 城市道路 建设工程质量 建筑施工安全 物业服务 民用建筑节能 抗震设防 历史建筑 勘察设计 预拌混凝土|施工单位 监理单位 房地产开发企业 物业服务企业 燃气经营者 勘察设计单位
交通运输局|道路旅客运输 道路货物运输 客运站 公路 超限运输 涉路施工 护路林 水路运输 船舶 港口 航道 出租汽车 机动车维修 驾驶员培训 公路桥梁|道路运输经营者 客运站经营者 港口经营人 船舶所有人 出租汽车驾驶员 维修经营者
水利局|取水 河道采砂 水土保持 河道管理范围 水工程 洪水影响 水资源 水库大坝 地下水 节约用水 水文监测 防汛 农田水利|取水单位 生产建设单位 采砂单位 水库管理单位
农业农村局|农药 兽药 种子 种畜禽 动物防疫 生猪屠宰 饲料 渔业捕捞 植物检疫 农产品质量安全 农业机械 拖拉机 农业转基因生物 水生野生动物 农村土地承包 肥料|农药经营者 兽药经营企业 种子生产经营者 养殖场 屠宰厂 渔业船舶所有人
商务局|单用途商业预付卡 报废机动车回收 商业特许经营 拍卖 成品油零售 外商投资 对外贸易 技术进出口 餐饮浪费 再生资源回收 对外劳务合作|发卡企业 特许人 拍卖企业 回收企业 餐饮服务经营者
文化广电旅游局|娱乐场所 营业性演出 互联网上网服务营业场所 旅行社 导游 文物保护单位 印刷 出版物 广播电视 卫星电视地面接收设施 艺术品经营 电影放映 非物质文化遗产 网络文化|娱乐场所经营单位 演出经营主体 旅行社 网吧经营单位 印刷企业 电影院
卫生健康委员会|医疗机构 医师执业 护士执业 公共场所卫生 母婴保健 生活饮用水 职业病 放射诊疗 传染病 医疗废物 病原微生物实验室 计划生育 中医诊所 消毒产品 医疗美容|医疗机构 医师 公共场所经营者 供水单位 消毒产品生产企业
退役军人事务局|退役士兵 残疾军人 烈士 优抚对象 军人抚恤 退役军人 光荣院 烈士纪念设施 双拥工作|优抚对象 接收安置单位
应急管理局|危险化学品 烟花爆竹经营 非煤矿山 安全生产许可证 生产安全事故 应急预案 工贸企业粉尘防爆 有限空间作业 安全评价 特种作业人员 尾矿库 自然灾害救助|生产经营单位 危险化学品经营企业 矿山企业 安全评价机构
审计局|审计 财务收支 政府投资建设项目 经济责任审计 审计结果 内部审计 审计整改|被审计单位 内部审计机构
国有资产监督管理委员会|企业国有资产 国有产权 国有资产评估 国有企业改制 监管企业 国有资本经营预算|国家出资企业 监管企业
市场监督管理局|食品 药品 医疗器械 化妆品 特种设备 计量器具 工业产品 广告 商标 网络交易 明码标价 认证 直销 乳品 食品添加剂 企业信息公示 消费者权益 电梯 保健食品 网络餐饮服务|食品生产经营者 经营者 网络交易平台经营者 特种设备使用单位 广告主 医疗器械经营企业 药品零售企业
统计局|统计调查 统计资料 人口普查 经济普查 统计数据 统计执法 统计调查项目|统计调查对象 统计机构
医疗保障局|医疗保障基金 定点医药机构 医疗救助 医保药品 医疗服务价格 长期护理保险|定点医药机构 参保人员
体育局|高危险性体育项目 体育赛事 全民健身 兴奋剂 体育场馆 社会体育指导员 游泳场所|体育经营者 赛事组织者
城市管理执法局|市容环境卫生 户外广告设施 建筑垃圾 城市绿化 城市树木 生活垃圾 排水管网 城市照明 占道经营 市政设施 餐厨垃圾 环卫设施|单位和个人 工程施工单位 运输单位 设置人
机关事务管理局|办公用房 公务用车 公共机构节能 机关资产 会议费 公务接待|公共机构
地方金融监督管理局|融资担保公司 小额贷款公司 非法集资 典当行 地方金融组织 商业保理|融资担保公司 小额贷款公司 地方金融组织
林业局|林木采伐 林地 野生动物 野生植物 森林防火 林木种苗 湿地 自然保护区 草原 古树名木 森林病虫害 退耕还林 木材运输|林业经营者 采伐单位 林木种苗经营者
粮食和物资储备局|粮食收购 粮食储存 政府储备粮 粮食质量 应急物资储备 粮食应急加工|粮食收购企业 粮食储存企业
人民防空办公室|人民防空工程 防空地下室 人防警报设施 人防工程平时使用 人防疏散基地|人防工程使用单位 建设开发单位
档案局|档案 档案馆 档案开放 档案寄存 档案数字化 重点建设项目档案|档案形成单位 档案服务企业
信访局|信访事项 来访接待 信访复查 信访督查 网上信访|信访人 有关行政机关
政务服务中心|政务服务事项 进驻窗口 一网通办 政务服务评价 综合受理|进驻部门 窗口工作人员
住房公积金管理中心|住房公积金缴存 住房公积金提取 住房公积金贷款 公积金缴存基数|缴存单位 缴存职工
气象局|雷电防护装置 气象探测环境 人工影响天气 气象信息 升放气球 气象灾害预警|升放单位 防雷装置检测机构
机构编制委员会办公室|事业单位登记 机构编制 编制使用 事业单位法人年度报告 机构编制实名制|事业单位 用编单位
"""

#: laws for kinds that enforce none of `LAW_HOLDERS`
_EXTRA_KIND_LAWS = {
    "人民政府办公室": ("政府信息公开条例", "政府督查工作条例"),
    "信访局": ("信访工作条例",),
    "政务服务中心": ("优化营商环境条例", "政务服务事项管理办法"),
    "机构编制委员会办公室": ("事业单位登记管理暂行条例", "地方各级人民政府机构设置和编制管理条例"),
}
_MAX_LAWS = 12

#: power type mix of a department that enforces laws, and of one that mostly does not
_ENFORCING_MIX = {
    "CF": 0.60,
    "XK": 0.10,
    "JC": 0.09,
    "QZ": 0.06,
    "QR": 0.05,
    "QT": 0.04,
    "JF": 0.02,
    "ZS": 0.015,
    "JL": 0.015,
    "CJ": 0.01,
}
_SERVING_MIX = {"QT": 0.38, "JC": 0.22, "QR": 0.14, "XK": 0.10, "JL": 0.06, "CF": 0.06, "JF": 0.04}
_SERVING = {
    "人民政府办公室",
    "信访局",
    "政务服务中心",
    "机构编制委员会办公室",
    "机关事务管理局",
    "国有资产监督管理委员会",
}

_GENERIC_SUBJECTS = ("单位和个人", "生产经营单位", "个人", "有关单位")

# slots of the item name templates
_SLOTS: dict[str, tuple[str, ...]] = {
    name: tuple(words.split())
    for name, words in {
        "lic": "许可证 经营许可证 资质证书 登记证 批准文件 合格证明 备案证明 从业资格证",
        "act": "经营活动 生产活动 服务活动 作业 经营 业务",
        "rec": "台账 档案 管理制度 安全管理制度 质量管理制度 应急预案 责任制度 查验记录 检测记录 操作规程 培训记录",
        "verb": "公示 标注 检验 维护保养 更新 申报 办理变更登记 查验 记录 报告 备案 公开 设置警示标志 定期检测 履行告知义务 保存 配备专职人员 开展培训",
        "obj": "信息 情况 资料 数据 标识 标志 证明文件 说明书 记录 台账 档案 年度报告",
        "chg": "改变 拆除 迁移 停止使用 转让 占用 变更 扩大 改建 出租",
        "thing": "设施 场所 用途 标志 设备 范围 名称 地址 用地 布局",
        "act2": "生产 销售 使用 经营 运输 储存 进口 出租 提供 加工",
        "std": "国家标准 强制性标准 技术规范 安全技术规范 质量要求 卫生要求 有关规定",
        "prod": "产品 设备 器具 原料 物品 材料 用品 制品",
        "insp": "监督检查 监测 抽样检验 执法检查 调查 现场检查",
        "inc": "事故 险情 隐患 事件 损害情况",
        "zone": "保护范围 安全保护区 控制区 禁止区域 管理范围 保护区 警戒区 缓冲区",
        "forbid": "从事危害安全的活动 擅自施工作业 倾倒废弃物 搭建建筑物 开采砂石 取土挖砂 堆放物料 设置障碍物 违规燃放烟花爆竹 擅自经营 排放污水 焚烧秸秆",
        "xk": "经营许可 生产许可 许可证核发 设立审批 核准 审批 资质认定 资格认定 许可证延续 变更审批 建设审批 使用许可 许可证换发 项目审批 设置审批",
        "obj2": "安全管理 质量 经营活动 生产活动 使用情况 管理制度落实情况 安全隐患 标准执行情况 许可条件保持情况",
        "q": "涉嫌违法的 违法生产经营的 存在安全隐患的 来源不明的 不符合标准的",
        "place": "场所 设施 仓库 经营场所 生产场所",
        "reg": "登记 备案 认定 鉴定 确认 核定",
        "obj3": "事项 信息 情况 合同 资料 项目 机构 人员",
        "fee": "费 补偿费 保证金 使用费 占用费 处理费",
        "subsidy": "补贴 补助资金 奖励扶助金 救助金 专项资金",
        "give": "发放 给付 拨付",
        "dispute": "纠纷 权属争议 侵权纠纷 损害赔偿纠纷",
        "qt": "备案审查 年度报告公示 信息公开 综合管理 业务指导 审查 评审 考核 统计调查 应急处置",
    }.items()
}

_TEMPLATES: dict[str, tuple[str, ...]] = {
    "CF": (
        "未取得{r}{lic}从事{r}{act}",
        "未按规定建立{r}{rec}",
        "未按规定{verb}{r}{obj}",
        "擅自{chg}{r}{thing}",
        "{act2}不符合{std}的{r}{prod}",
        "伪造、变造、出租、出借{r}{lic}",
        "拒绝、阻碍{r}{insp}",
        "隐瞒、谎报{r}{inc}",
        "在{r}{zone}内{forbid}",
        "提供虚假材料骗取{r}{lic}",
        "超越{r}{lic}核定范围从事{act}",
        "未经批准擅自{act2}{r}{prod}",
        "{r}{obj}不符合{std}",
    ),
    "XK": ("{r}{xk}", "{r}{thing}{xk}", "{r}{act}{xk}"),
    "JC": (
        "对{s}{r}{obj2}的监督检查",
        "{r}{obj2}监督检查",
        "{r}{prod}质量抽查",
        "对{s}执行{r}{std}情况的检查",
    ),
    "QZ": ("查封、扣押{q}{r}{prod}", "暂扣{r}{lic}", "封存{q}{r}{prod}", "查封{q}{r}{place}"),
    "QR": ("{r}{obj3}{reg}", "{r}{lic}{reg}"),
    "ZS": ("{r}{fee}征收", "{r}{thing}{fee}征收"),
    "JF": ("{r}{subsidy}{give}", "符合条件的{r}{subsidy}{give}"),
    "JL": ("对举报{r}违法行为的奖励", "对在{r}工作中做出突出贡献的单位和个人的奖励", "{r}{obj3}表彰"),
    "CJ": ("{r}{dispute}裁决", "{r}{dispute}调处"),
    "QT": ("{r}{obj3}{qt}", "{r}{qt}"),
}

_FUNCTION_TEMPLATES = (
    "负责{scope}{r1}、{r2}的监督管理工作",
    "拟订{scope}{r1}发展规划和政策措施并组织实施",
    "负责{r1}和{r2}行政执法工作，依法查处{r1}违法行为",
    "承担{scope}{r1}{job}工作",
    "指导{scope}{r1}{job2}，推进{r2}体系建设",
    "组织实施{scope}{r1}{act}",
)
_FUNCTION_SLOTS = {
    "job": ("统计分析", "安全监管", "标准化管理", "信息化建设", "应急管理", "宣传教育", "数据归集"),
    "job2": ("行业发展", "安全生产", "队伍建设", "规范化建设", "改革创新"),
    "act": ("许可和监督检查", "登记和备案", "普查和监测", "检查和考核", "评价和认定"),
}
_FUNCTION_CATEGORY = {
    "CF": "市场监管",
    "XK": "市场监管",
    "JC": "市场监管",
    "JF": "公共服务",
    "QR": "社会管理",
}

_SUB_ITEMS = {
    "XK": (("新办", "变更", "延续", "注销"), ("设立", "变更", "注销")),
    "QR": (("首次登记", "变更登记", "注销登记"),),
    "CF": (("对单位的处罚", "对个人的处罚"), ("情节一般的", "情节严重的")),
}

#: stage sequences of licensing items: (name, role written in the 责任类型 column or "")
_STAGE_PLANS = (
    (("受理", "承办"), ("审核", "审核"), ("决定", "批准")),
    (("受理", "承办"), ("审查", "承办"), ("审核", "审核"), ("决定", "批准")),
    (("受理", ""), ("审核", ""), ("批准", ""), ("送达", "")),
    (("受理", "承办"), ("审查", "承办"), ("现场核查", "承办"), ("审核", "审核"), ("决定", "批准")),
    (("受理", ""), ("审查", ""), ("审核", ""), ("批准", ""), ("送达", "")),
)

_PLACE_FIRST = "安宁平江阳山川丰昌兴华泰和源清青云龙凤南北东新永长德福庆乐宜成盛广富通明光嘉金石溪岭峰林桥湖泉田沙武文宝仁义信望远定康顺会荣盐蓬邛雅汉旺梓苍营剑"
_PLACE_SECOND = "安宁平江阳山川丰昌兴华泰和源清溪岭峰林桥湖泉田沙坝城口台关水州坪河渡陵都原岩滩津池"

_UNBASED_TEXTS = ("", "", "依据相关规定", "根据工作需要", "按上级文件要求执行", "")
_OUTCOMES = ("准予", "准予", "准予", "准予", "准予", "准予", "不予", "退回", "撤回")

_GENERIC_UNITS = ("政策法规科", "行政审批科", "综合科", "组织人事科", "财务审计科", "督查科", "信息化科")


@dataclass(frozen=True)
class Kind:
    """A kind of department (every 市场监督管理局 of the province) and what its lists are made of."""

    key: str
    kind: str
    parent: str | None
    head_rank: str
    units: tuple[str, ...]
    roots: tuple[str, ...]
    subjects: tuple[str, ...]
    laws: tuple[str, ...]
    mix: dict[str, float]
    weight: float
    functions: tuple[str, ...]  # the demo city's charter texts for this kind


@dataclass(frozen=True)
class Law:
    """A law as cited: its short name, the name lists write, its rank and article layout."""

    short: str
    written: str
    rank: str
    articles: int
    duty_article: int

    @property
    def penalty_articles(self) -> range:
        return range(max(self.duty_article + 2, int(self.articles * 0.7)), self.articles - 1)

    @property
    def other_articles(self) -> range:
        return range(self.duty_article + 2, max(self.duty_article + 4, int(self.articles * 0.7)))


Citation = tuple[str, int | None, int | None]  # (law short name, article or None for the law, paragraph)


@dataclass
class Entry:
    """A power item as a catalogue or a department writes it, before it gets a code."""

    type_code: str
    name: str
    citations: tuple[Citation, ...]
    subs: tuple[str, ...] = ()
    basis_text: str | None = None  # written as is instead of the citations (unbased items)


@dataclass
class Department:
    name: str
    code: str
    kind: Kind
    index: int
    units: list[str] = field(default_factory=list)
    approval_unit: str = ""
    posts: dict[str, list[str]] = field(default_factory=dict)  # unit ("" = leadership) -> post codes
    head: str = ""
    deputies: list[tuple[str, list[str]]] = field(default_factory=list)  # (post, units supervised)
    unit_heads: dict[str, str] = field(default_factory=dict)


@dataclass
class Item:
    """One row group of the power list: an item and its sub-items, held by one or more departments."""

    code: str
    entry: Entry
    departments: list[Department]
    statutory: int | None = None
    promised: int | None = None
    prerequisites: list[str] = field(default_factory=list)
    note: str = ""
    unit: str = ""

    @property
    def ids(self) -> list[str]:
        return [ids.power_item_id(self.code, sub) for sub in self.entry.subs] or [
            ids.power_item_id(self.code)
        ]

    def subjects(self) -> list[tuple[str, str]]:
        """(item id, the name the analyses compare) of each of its items."""
        if not self.entry.subs:
            return [(ids.power_item_id(self.code), self.entry.name)]
        return [(ids.power_item_id(self.code, sub), f"{self.entry.name}（{sub}）") for sub in self.entry.subs]


def _kinds() -> list[Kind]:
    vocabulary = {}
    for line in _VOCABULARY.strip().splitlines():
        key, roots, subjects = line.split("|")
        vocabulary[key] = (tuple(roots.split()), tuple(subjects.split()))
    laws_of: dict[str, list[str]] = defaultdict(list)
    for law, holder in LAW_HOLDERS.items():
        laws_of[holder].append(law)
    demo_functions: dict[str, list[str]] = defaultdict(list)
    for function in FUNCTIONS:
        # the demo city plants a few charters two departments share; a background charter is its own
        if not any(
            similarity(function.text, text) >= 0.4
            for key, texts in demo_functions.items()
            if key != function.department
            for text in texts
        ):
            demo_functions[function.department].append(function.text)
    kinds = []
    for department in DEPARTMENTS:
        if department.key in _DROPPED:
            continue
        roots, subjects = vocabulary[department.key]
        laws = tuple(laws_of.get(department.key, ())[:_MAX_LAWS]) or _EXTRA_KIND_LAWS[department.key]
        units = [name for name, _ in department.units]
        for generic in _GENERIC_UNITS:
            if len(units) >= 6:
                break
            if generic not in units:
                units.append(generic)
        kinds.append(
            Kind(
                key=department.key,
                kind=department.kind,
                parent=department.parent if department.parent not in _DROPPED else None,
                head_rank=department.head_rank,
                units=tuple(units[:8]),
                roots=roots,
                subjects=subjects,
                laws=laws,
                mix=_SERVING_MIX if department.key in _SERVING else _ENFORCING_MIX,
                weight=3.0 + len(laws_of.get(department.key, ())),
                functions=tuple(demo_functions.get(department.key, ())),
            )
        )
    return kinds


def _crc(*parts: object) -> int:
    """A stable hash (Python's own is salted per process)."""
    return zlib.crc32("|".join(map(str, parts)).encode())


def _law(short: str) -> Law:
    if short.endswith("法") and not short.endswith("办法"):
        rank, written, articles = "法律", f"中华人民共和国{short}", 60 + _crc(short) % 100
    elif short.endswith("条例"):
        rank, written, articles = "行政法规", short, 35 + _crc(short) % 50
    else:
        rank, written, articles = "部门规章", short, 25 + _crc(short) % 30
    return Law(short, written, rank, articles, 4 + _crc(short, "duty") % 6)


# --- the organisation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Government:
    name: str
    place: str  # what its departments are prefixed with: 青川县
    code: str
    level: str  # 省 / 市 / 县
    parent: str | None
    items: int  # power items and functions it lists


def plan_governments(items: int, rng: random.Random, count: int | None = None) -> list[Government]:
    """A province (or, below 12 governments, a city), its cities and their counties and districts:
    `count` governments (by default one for every 5,000 items) sharing the items."""
    count = count or max(1, items // ITEMS_PER_GOVERNMENT)
    names = _place_names(count + 1, rng)
    share = [items // count + (1 if i < items % count else 0) for i in range(count)]
    governments: list[Government] = []
    if count < 12:
        city = names[0] + "市"
        governments.append(Government(f"{city}人民政府", city, "510100", "市", None, share[0]))
        for i in range(1, count):
            place = names[i] + ("区" if i % 3 else "县")
            governments.append(
                Government(f"{place}人民政府", place, f"5101{i:02d}", "县", governments[0].name, share[i])
            )
        return governments
    province = names[0] + "省"
    governments.append(Government(f"{province}人民政府", province, "510000", "省", None, share[0]))
    cities = max(1, round((count - 1) / 11))
    for c in range(cities):
        place = names[1 + c] + "市"
        governments.append(
            Government(f"{place}人民政府", place, f"51{c + 1:02d}00", "市", governments[0].name, share[1 + c])
        )
    for i in range(1 + cities, count):
        city = governments[1 + (i - 1 - cities) % cities]
        number = (i - 1 - cities) // cities + 1
        place = names[i] + ("区" if number <= 2 else "县")
        code = f"{city.code[:4]}{number:02d}"
        governments.append(Government(f"{place}人民政府", place, code, "县", city.name, share[i]))
    return governments


def _place_names(count: int, rng: random.Random) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = rng.choice(_PLACE_FIRST) + rng.choice(_PLACE_SECOND)
        if name[0] != name[1] and name not in seen:
            seen.add(name)
            names.append(name)
    return names


# --- names ---------------------------------------------------------------------------------------


class Namer:
    """Makes item names and function texts of one kind of department from its vocabulary."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.slot_names = {
            template: [name for name in _SLOTS if "{" + name + "}" in template]
            for templates in _TEMPLATES.values()
            for template in templates
        }

    def item(self, kind: Kind, type_code: str, roots: Sequence[str] | None = None) -> str:
        """A name for an item of this kind and type; with `roots`, about one of them and a generic subject."""
        rng = self.rng
        template = rng.choice(_TEMPLATES[type_code])
        slots = {name: rng.choice(_SLOTS[name]) for name in self.slot_names[template]}
        root = rng.choice(roots or kind.roots)
        specific = roots is None and rng.random() < 0.7
        subject = rng.choice(kind.subjects) if specific else rng.choice(_GENERIC_SUBJECTS)
        text = template.format(r=root, s=subject, **slots)
        if type_code == "CF":
            text = f"对{subject}{text}的处罚" if rng.random() < 0.7 else f"对{text}的处罚"
        return text

    def function(self, kind: Kind, scope: str) -> tuple[str, tuple[str, ...]]:
        """A charter text and the roots it names."""
        rng = self.rng
        first, second = rng.sample(kind.roots, 2)
        template = rng.choice(_FUNCTION_TEMPLATES)
        slots = {name: rng.choice(words) for name, words in _FUNCTION_SLOTS.items()}
        return template.format(scope=scope, r1=first, r2=second, **slots), (first, second)


def build_catalogue(
    kinds: Sequence[Kind], items_per_government: int, namer: Namer, laws: dict[str, Law], rng: random.Random
) -> tuple[dict[str, list[Entry]], int]:
    """The standard list of each kind of department: what its departments at every level list; and how many
    names were made again because they came out similar to another kind's (by the bigram measure of
    `graph.similarity`, at 0.45 with the catalogue's idf weights).

    Names are unique across kinds, so two departments of one government never list the same item by
    chance; the demo's written-out items (real names, real articles) come first.
    """
    total_weight = sum(kind.weight for kind in kinds)
    taken: set[str] = set()
    catalogue: dict[str, list[Entry]] = {}
    hand: dict[str, list[Entry]] = defaultdict(list)
    for item in HAND_ITEMS:
        if "、" in item.department or not item.basis[0][1]:
            continue
        text = "；".join(f"《{law}》{articles}" for law, articles in item.basis)
        citations = tuple(
            (c.law_key, c.article, c.paragraph) for c in parse_citations(text) if c.article is not None
        )
        kind = next((kind for kind in kinds if kind.key == item.department), None)
        # an item on another kind's law is one of the demo's planted overlaps: not background
        if kind is not None and citations and all(c[0] in kind.laws for c in citations):
            hand[item.department].append(Entry(item.type_code, item.name, citations))
    sizes = {
        kind.key: math.ceil(items_per_government * kind.weight / total_weight * 1.2) + 5 for kind in kinds
    }
    for kind in kinds:
        entries: list[Entry] = []
        for entry in hand.get(kind.key, ()):
            if normalize(entry.name) not in taken:
                taken.add(normalize(entry.name))
                entries.append(entry)
        catalogue[kind.key] = entries
    remade = 0
    for _ in range(5):
        for kind in kinds:
            _fill(catalogue[kind.key], sizes[kind.key], kind, namer, laws, taken, rng)
        texts = [
            Text(f"{kind.key}#{i:05d}", _compared(entry), entry.type_code, kind.key)
            for kind in kinds
            for i, entry in enumerate(catalogue[kind.key])
        ]
        dropped: set[str] = set()
        for pair in similar_pairs(texts, 0.45):
            if pair.a not in dropped and pair.b not in dropped:
                dropped.add(max(pair.a, pair.b, key=lambda key: key.split("#")[1]))
        if not dropped:
            break
        remade += len(dropped)
        for kind in kinds:
            catalogue[kind.key] = [
                e for i, e in enumerate(catalogue[kind.key]) if f"{kind.key}#{i:05d}" not in dropped
            ]
    return catalogue, remade


def _compared(entry: Entry) -> str:
    """The text the analyses compare for an entry (its first sub-item's, when it has sub-items)."""
    return f"{entry.name}（{entry.subs[0]}）" if entry.subs else entry.name


def _fill(
    entries: list[Entry],
    size: int,
    kind: Kind,
    namer: Namer,
    laws: dict[str, Law],
    taken: set[str],
    rng: random.Random,
) -> None:
    types, shares = list(kind.mix), list(kind.mix.values())
    attempts = 0
    while len(entries) < size and attempts < size * 20:
        attempts += 1
        type_code = rng.choices(types, shares)[0]
        name = namer.item(kind, type_code)
        if normalize(name) in taken:
            continue
        taken.add(normalize(name))
        entries.append(Entry(type_code, name, _citations(kind, type_code, laws, rng), _subs(type_code, rng)))


_GENERAL: dict[str, Citation] = {}


def _general(type_code: str) -> Citation | None:
    if type_code not in GENERAL_ARTICLES:
        return None
    if type_code not in _GENERAL:
        law, article = GENERAL_ARTICLES[type_code]
        parsed = parse_citations(f"《{law}》{article}")[0]
        _GENERAL[type_code] = (law, parsed.article, None)
    return _GENERAL[type_code]


def _citations(kind: Kind, type_code: str, laws: dict[str, Law], rng: random.Random) -> tuple[Citation, ...]:
    """What an item of this kind and type cites: mostly one article of one of the kind's laws (the main
    laws more often), sometimes a second article, and for licences, penalties and coercion often the
    general article of the law on that kind of power."""
    weights = [1 / math.sqrt(i + 1) for i in range(len(kind.laws))]
    short = rng.choices(kind.laws, weights)[0]
    law = laws.setdefault(short, _law(short))
    span = law.penalty_articles if type_code in ("CF", "QZ") else law.other_articles
    citations: list[Citation] = [(short, rng.choice(span), rng.choice((None, None, 1, 2)))]
    if rng.random() < 0.15:
        other = laws.setdefault(second := rng.choice(kind.laws), _law(second))
        citations.append((second, rng.choice(other.other_articles), None))
    general = _general(type_code)
    if general is not None and rng.random() < 0.35:
        citations.append(general)
    return tuple(dict.fromkeys(citations))


def _subs(type_code: str, rng: random.Random) -> tuple[str, ...]:
    options = _SUB_ITEMS.get(type_code)
    if options is None or rng.random() > 0.06:
        return ()
    return rng.choice(options)


def basis_text(citations: Sequence[Citation], laws: dict[str, Law]) -> str:
    """The 设定依据 cell: `《中华人民共和国食品安全法》第一百二十四条第一款；《…》第九条`."""
    parts: dict[str, list[str]] = {}
    for short, article, paragraph in citations:
        law = laws.setdefault(short, _law(short))
        labels = parts.setdefault(law.written, [])
        if article is not None:
            labels.append(
                article_label(article) + (article_label(paragraph)[:-1] + "款" if paragraph else "")
            )
    return "；".join(f"《{written}》{'、'.join(labels)}" for written, labels in parts.items())


# --- the province ----------------------------------------------------------------------------------

_LINKS = ("和", "与", "及")
_WORKDAY_ORDINALS: list[int] = []


def _unlinked(text: str) -> str:
    for link in _LINKS:
        text = text.replace(link, "")
    return text


def department_fields(name: str, place: str) -> tuple[str, ...]:
    """The fields of work a department's name gives it (as `graph.analyses.fields` reads names)."""
    core = department_field(name, place)
    return tuple(_unlinked(f) for f in (core, *ALIASES.get(core, ())))


def fields_match(fields: Sequence[str], words: Sequence[str]) -> bool:
    return any(_unlinked(word) in f for word in words for f in fields)


def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def add_workdays(ordinal: int, days: int) -> int:
    """The day `days` working days after `ordinal` (the start day does not count)."""
    if not _WORKDAY_ORDINALS:
        day = date(2012, 1, 1)
        while day.year < 2029:
            if is_workday(day):
                _WORKDAY_ORDINALS.append(day.toordinal())
            day += timedelta(days=1)
    if days <= 0:
        return ordinal
    return _WORKDAY_ORDINALS[bisect.bisect_right(_WORKDAY_ORDINALS, ordinal) + days - 1]


class Province:
    """What the governments share: kinds, laws, the standard lists, and the truth being assembled."""

    def __init__(self, items: int, seed: int, cases: int, governments: int | None = None) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.items = items
        self.cases = cases
        self.kinds = _kinds()
        self.namer = Namer(self.rng)
        self.laws: dict[str, Law] = {}
        for kind in self.kinds:
            for short in kind.laws:
                self.laws.setdefault(short, _law(short))
        self.law_kind: dict[str, str] = {}
        for kind in self.kinds:
            for short in kind.laws:
                self.law_kind.setdefault(short, kind.key)
        self.competent = {kind.key: self._competent(kind) for kind in self.kinds}
        self.governments = plan_governments(items, self.rng, governments)
        per_government = items // len(self.governments)
        self.catalogue, remade = build_catalogue(self.kinds, per_government, self.namer, self.laws, self.rng)
        self.catalogue_names = {normalize(e.name) for entries in self.catalogue.values() for e in entries}
        self.traditional = opencc.OpenCC("s2t")
        self.cited: set[tuple[str, int]] = set()  # (law, article) cited anywhere
        self.competent_cited: set[tuple[str, int]] = set()
        self.duty_cited: set[str] = set()  # laws whose duty article a function cites
        self.cited_laws: set[str] = set()
        self.first_listed: dict[int, tuple[str, str]] = {}  # catalogue entry -> (government, item id)
        self.truth = Truth()
        self.truth.counts["catalogue_names_remade"] = remade

    def _competent(self, kind: Kind) -> str | None:
        """The 主管部门 wording of the kind's laws, if it names the kind (checked as the analyses read it)."""
        core = department_field(f"某某县{kind.key}", "某某县")
        wording = f"县级以上地方人民政府{core}主管部门"
        words = competent_field(wording)
        if not words or not fields_match(department_fields(f"某某县{kind.key}", "某某县"), words):
            return None
        return wording

    def has_competent(self, short: str, article: int | None) -> bool:
        """Whether the laws sheet names a 主管部门 for this article: every duty article, and a third of the
        penalty articles, of the laws a kind of department holds."""
        law = self.laws.get(short)
        kind = self.law_kind.get(short)
        if law is None or kind is None or article is None or self.competent[kind] is None:
            return False
        if article == law.duty_article:
            return True
        return article in law.penalty_articles and _crc(short, article, "competent") % 10 < 3


@dataclass
class Truth:
    """What was planted, in the ids the analyses report."""

    overlaps: dict[tuple[str, ...], dict[str, Any]] = field(default_factory=dict)
    gaps: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    planted_gaps: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    may_also: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    splits: dict[str, list[list[str]]] = field(default_factory=lambda: defaultdict(list))
    cross_level: list[list[str]] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    background: dict[str, Any] = field(default_factory=dict)

    def overlap(
        self, subjects: Iterable[str], kind: str, government: str, departments: Iterable[str], **facts: Any
    ) -> None:
        key = tuple(sorted(subjects))
        entry = self.overlaps.setdefault(
            key, {"subjects": list(key), "kinds": [], "government": government, "departments": []}
        )
        if kind not in entry["kinds"]:
            entry["kinds"].append(kind)
        entry["departments"] = sorted({*entry["departments"], *departments})
        for name, value in facts.items():
            entry.setdefault(name, value)


class _Weights(dict[str, float]):
    """Idf weights that give a token not seen the weight of one seen once (`similarity` reads `.get`)."""

    def __init__(self, weights: dict[str, float], count: int) -> None:
        super().__init__(weights)
        self.unseen = math.log(max(count, 1)) + 0.001

    def get(self, key: str, default: Any = None) -> float:  # type: ignore[override]
        return dict.get(self, key, self.unseen)


@dataclass
class Function:
    code: str
    department: Department
    category: str
    text: str
    units: list[str]
    roots: tuple[str, ...] = ()
    citations: list[Citation] = field(default_factory=list)
    planted: str = ""

    @property
    def id(self) -> str:
        return ids.function_id(self.code)


# --- one government ----------------------------------------------------------------------------------

_REWORDINGS = (
    ("未按规定", "未按照规定"),
    ("的处罚", "行为的处罚"),
    ("监督检查", "检查"),
    ("拒绝、阻碍", "拒绝或者阻碍"),
    ("伪造、变造、出租、出借", "伪造、变造"),
    ("擅自", "未经批准擅自"),
    ("许可证核发", "许可证颁发"),
    ("审批", "审核"),
    ("查封、扣押", "扣押"),
    ("不符合", "不符合国家"),
    ("隐瞒、谎报", "隐瞒不报"),
    ("负责", "承担"),
    ("查封、扣押", "扣押、查封"),
    ("伪造、变造", "变造、伪造"),
    ("经营许可", "经营审批"),
    ("登记", "登记备案"),
    ("的奖励", "的表彰奖励"),
    ("发放", "的发放"),
    ("征收", "的征收"),
    ("的监督管理工作", "的监督管理"),
    ("并组织实施", "并负责实施"),
    ("行政执法工作", "执法工作"),
    ("工作", "相关工作"),
)
_FILLERS = ("依法", "相关", "有关", "各类", "违规")
#: words after which a clerk puts a filler word
_ANCHORS = ("对", "未按规定", "擅自", "查封、扣押", "负责", "拟订", "承担")
#: words a clerk leaves out
_QUALIFIERS = ("有关", "相关", "擅自", "依法", "各类", "国家", "全市", "全县", "全区", "全省", "工作")
_NOT_EXERCISED = (
    "负责本部门对口支援和东西部协作",
    "承担本系统援藏援彝干部的选派和轮换",
    "组织干部职工参加乡村振兴驻村帮扶",
    "负责定点帮扶村的产业帮扶和消费帮扶",
    "承办离退休干部的政治待遇和生活待遇落实",
    "牵头本系统精神文明创建和志愿者队伍培育",
)
_STAFF_POSTS = ("综合岗", "业务岗", "执法岗", "信息岗", "督查岗")
_APPROVAL_POSTS = ("受理岗", "审查岗", "审批岗", "综合岗")


class GovernmentBuilder:
    """Builds one government's sheets and plants its findings, writing them into `province.truth`."""

    def __init__(self, province: Province, government: Government, sample: bool = False) -> None:
        self.p = province
        self.sample = sample  # measure how similar the background is, before and after cleaning
        self.demo_texts: set[str] = set()
        self.gov = government
        self.rng = province.rng
        self.truth = province.truth
        self.departments: list[Department] = []
        self.by_key: dict[str, Department] = {}
        self.items: list[Item] = []
        self.items_of: dict[str, list[Item]] = defaultdict(list)  # department name -> items
        self.names: set[str] = set()
        self.functions: list[Function] = []
        self.function_texts: set[str] = set()
        self.unit_rows: list[tuple[Any, ...]] = []
        self.post_rows: list[tuple[Any, ...]] = []
        self.holding_rows: list[list[Any]] = []
        self.holders: dict[str, list[tuple[int, int | None, str]]] = defaultdict(list)
        self.people = 0
        self.seq: Counter[str] = Counter()
        self.cited: dict[tuple[str, str, int], list[Item]] = defaultdict(list)  # (type, law, article)
        self.cited_any: set[tuple[str, int]] = set()
        self.planted_items: list[Item] = []
        self.planted_functions: list[Function] = []
        self.pending_pairs: list[tuple[Item, Item, str]] = []  # (a, b, kind) whose basis is checked last
        self.similar_plants: list[tuple[Any, Any]] = []  # (source, variant): items or functions
        self.stage_rows: list[tuple[Any, ...]] = []
        self.stage_posts: set[str] = set()
        self.staged: list[
            tuple[Item, list[tuple[int, str, str, int]]]
        ] = []  # item, [(step, post, unit, days)]
        self.over_quota: set[str] = set()
        self.no_head = ""
        self.level = government.place[-1]
        self.scope = f"全{self.level}"

    # -- the whole government --

    def build(self) -> None:
        self.organise()
        self.staff()
        self.list_items()
        self.write_charters()
        self.clean_background()
        self.plant_unbased()
        self.index_citations()
        self.plant_overlaps()
        self.plant_item_gaps()
        self.cite_in_charters()
        self.plant_function_findings()
        self.verify_text_plants()
        self.verify_item_plants()
        self.stage()
        self.expect()
        self.truth.counts["governments"] += 1

    # -- organisation --

    def organise(self) -> None:
        rng = self.rng
        kinds = list(self.p.kinds)
        if self.gov.level == "县":
            dropped = set(rng.sample(_OPTIONAL_AT_COUNTY, rng.randint(1, 3)))
            kinds = [kind for kind in kinds if kind.key not in dropped]
        unit_without_post = rng.random() < 0.3
        for index, kind in enumerate(kinds, start=1):
            key = kind.key
            if self.gov.level == "省" and kind.kind == "组成部门" and key.endswith("局"):
                key = key[:-1] + "厅"
            department = Department(f"{self.gov.place}{key}", f"{self.gov.code}{index:02d}", kind, index)
            department.units = list(kind.units)
            department.approval_unit = (
                "行政审批科"
                if "行政审批科" in department.units
                else department.units[min(1, len(department.units) - 1)]
            )
            self.departments.append(department)
            self.by_key[kind.key] = department
        for department in self.departments:
            self._posts(department)
        if unit_without_post:
            department = rng.choice(self.departments)
            spare = [u for u in department.units if u != department.approval_unit and u in department.posts]
            if spare:
                unit = rng.choice(spare)
                codes = set(department.posts.pop(unit))
                self.post_rows = [row for row in self.post_rows if row[0] not in codes]
                department.unit_heads.pop(unit, None)
                self.truth.gaps["FUNCTION_WITHOUT_UNIT"].append(
                    ids.unit_id(ids.department_id(self.gov.name, department.name), unit)
                )
                self.truth.planted_gaps["FUNCTION_WITHOUT_UNIT"].append(
                    ids.unit_id(ids.department_id(self.gov.name, department.name), unit)
                )
        for department in self.departments:
            for unit in department.units:
                duty = self._unit_duty(department, unit)
                self.unit_rows.append((department.name, unit, len(department.posts.get(unit, ())), duty))

    def _unit_duty(self, department: Department, unit: str) -> str:
        for demo in DEPARTMENTS:
            if demo.key == department.kind.key:
                for name, duty in demo.units:
                    if name == unit:
                        return self._scoped(duty)
        return f"负责{self.rng.choice(department.kind.roots)}相关业务工作"

    def _posts(self, department: Department) -> None:
        rng = self.rng
        code = department.code
        head_rank = department.kind.head_rank
        department.head = f"{code}0000"
        self.post_rows.append(
            (department.head, department.name, "", head_rank, "行政首长", head_rank, "", "主持全面工作")
        )
        deputies = 2 + (len(department.units) > 6)
        for d in range(deputies):
            supervised = department.units[d::deputies]
            post = f"{code}00{d + 1:02d}"
            department.deputies.append((post, supervised))
            self.post_rows.append(
                (
                    post,
                    department.name,
                    "",
                    f"副{head_rank}",
                    "分管领导",
                    f"副{head_rank}",
                    "、".join(supervised),
                    f"分管{'、'.join(supervised)}工作",
                )
            )
        for u, unit in enumerate(department.units, start=1):
            chief = (
                "支队长"
                if unit.endswith("支队")
                else "大队长"
                if unit.endswith("大队")
                else "主任"
                if unit.endswith(("室", "中心"))
                else "科长"
            )
            head = f"{code}{u:02d}01"
            department.unit_heads[unit] = head
            codes = [head]
            self.post_rows.append(
                (
                    head,
                    department.name,
                    unit,
                    f"{unit}{chief}",
                    "内设机构负责人",
                    chief,
                    "",
                    f"负责{unit}全面工作",
                )
            )
            names = _APPROVAL_POSTS if unit == department.approval_unit else _STAFF_POSTS
            for p in range(2, 2 + rng.choice((2, 3, 3, 4))):
                post = f"{code}{u:02d}{p:02d}"
                codes.append(post)
                rank = rng.choice(
                    ("一级科员", "四级主任科员", "三级主任科员", "二级主任科员", "一级主任科员")
                )
                self.post_rows.append(
                    (post, department.name, unit, names[(p - 2) % len(names)], "工作人员", rank, "", "")
                )
            department.posts[unit] = codes
        department.posts[""] = [department.head, *(post for post, _ in department.deputies)]

    # -- staff --

    def staff(self) -> None:
        rng = self.rng
        if rng.random() < 0.4:
            self.no_head = rng.choice(self.departments).head
        for department in self.departments:
            for unit, posts in department.posts.items():
                for post in posts:
                    category = (
                        "行政首长"
                        if post == department.head
                        else "分管领导"
                        if unit == ""
                        else "内设机构负责人"
                        if post == department.unit_heads.get(unit)
                        else "工作人员"
                    )
                    self._staff_post(department, post, category)
        self._plant_staffing()

    def _staff_post(self, department: Department, post: str, category: str) -> None:
        rng = self.rng
        held = {"行政首长": 0.97, "分管领导": 0.95, "内设机构负责人": 0.94}.get(category, 0.92)
        reference = REFERENCE_DATE.toordinal()
        if post != self.no_head and rng.random() < held:
            start = reference - rng.randint(20, 8 * 365)
            self._hold(department, post, start, None)
            end = start - (0 if rng.random() < 0.75 else rng.randint(10, 240))
        else:
            end = reference - rng.randint(10, 500)
            if post == self.no_head:
                start = end - rng.randint(300, 5 * 365)
                self._hold(department, post, start, end)
                end = start
        for chance in (0.55, 0.15):
            if rng.random() >= chance:
                break
            start = end - rng.randint(300, 6 * 365)
            self._hold(department, post, start, end)
            end = start - (0 if rng.random() < 0.75 else rng.randint(10, 240))

    def _person(self) -> tuple[str, str]:
        self.people += 1
        rng = self.rng
        given = "".join(rng.choice(GIVEN_NAME_CHARACTERS) for _ in range(rng.choice((1, 2, 2))))
        return f"R{self.gov.code}{self.people:05d}", rng.choice(SURNAMES) + given

    def _quota_type(self, department: Department) -> str:
        return "事业编制" if department.kind.kind == "事业单位" else "行政编制"

    def _hold(
        self,
        department: Department,
        post: str,
        start: int,
        end: int | None,
        person: tuple[str, str] | None = None,
        quota: bool = True,
    ) -> list[Any]:
        code, name = person or self._person()
        row = [
            code,
            name,
            post,
            _iso(start),
            _iso(end) if end else "",
            self._quota_type(department) if quota else "",
            department.name if quota else "",
        ]
        self.holding_rows.append(row)
        if post:
            self.holders[post].append((start, end, code))
        return row

    def _plant_staffing(self) -> None:
        rng = self.rng
        reference = REFERENCE_DATE.toordinal()
        for _ in range(rng.randint(1, 2)):  # on a quota, holding no post (吃空饷)
            department = rng.choice(self.departments)
            self._hold(department, "", reference - rng.randint(200, 3000), None)
        current = [
            row for row in self.holding_rows if row[2] and not row[4] and row[2][-2:] not in ("00", "01")
        ]
        for _ in range(rng.randint(0, 2)):  # a post in one department, the quota of another (混编混岗)
            row = rng.choice(current)
            other = rng.choice([d for d in self.departments if d.name != row[6]])
            row[5], row[6] = self._quota_type(other), other.name
        for _ in range(rng.randint(0, 2)):  # a second post in another department at once (兼职)
            row = rng.choice(current)
            other = rng.choice([d for d in self.departments if d.name != row[6]])
            unit = rng.choice([u for u in other.units if u in other.posts])
            post = rng.choice(other.posts[unit][1:] or other.posts[unit])
            self._hold(
                other, post, reference - rng.randint(30, 900), None, person=(row[0], row[1]), quota=False
            )
        self.over_quota = {d.name for d in rng.sample(self.departments, rng.randint(0, 2))}

    # -- power lists --

    def list_items(self) -> None:
        rng = self.rng
        functions = 5 * len(self.departments)
        budget = max(len(self.departments) * 3, self.gov.items - functions)
        total = sum(d.kind.weight for d in self.departments)
        for department in self.departments:
            count = max(3, round(budget * department.kind.weight / total * rng.uniform(0.85, 1.15)))
            catalogue = self.p.catalogue[department.kind.key]
            nodes = 0
            for entry in rng.sample(catalogue, len(catalogue)):
                if nodes >= count * 0.85:
                    break
                self._add_item(department, entry)
                nodes += max(1, len(entry.subs))
            attempts = 0
            while nodes < count and attempts < count * 20:
                attempts += 1
                type_code = rng.choices(list(department.kind.mix), list(department.kind.mix.values()))[0]
                name = self.p.namer.item(department.kind, type_code)
                if normalize(name) in self.names or normalize(name) in self.p.catalogue_names:
                    continue
                entry = Entry(
                    type_code,
                    name,
                    _citations(department.kind, type_code, self.p.laws, rng),
                    _subs(type_code, rng),
                )
                self._add_item(department, entry, local=True)
                nodes += max(1, len(entry.subs))

    def _add_item(
        self, department: Department | list[Department], entry: Entry, local: bool = False, planted: str = ""
    ) -> Item:
        departments = department if isinstance(department, list) else [department]
        owner = departments[0]
        self.seq[entry.type_code] += 1
        code = f"{self.gov.code}-{entry.type_code}-{self.seq[entry.type_code]:05d}"
        rng = self.rng
        statutory = promised = None
        if entry.type_code == "XK":
            statutory = rng.choice((20, 20, 20, 15, 10, 30, 45))
            promised = max(1, statutory // rng.choice((2, 3)))
        elif entry.type_code in ("QR", "JF"):
            statutory = rng.choice((10, 15, 20, 30))
            promised = max(1, statutory // 2) if rng.random() < 0.6 else None
        elif entry.type_code == "CF" and rng.random() < 0.3:
            statutory = 90
        enforcement = [u for u in owner.units if u.endswith(("支队", "大队"))]
        business = [u for u in owner.units if u not in ("办公室", "组织人事科", "财务审计科")] or owner.units
        if entry.type_code == "XK":
            unit = owner.approval_unit
        elif entry.type_code in ("CF", "QZ", "JC") and enforcement:
            unit = enforcement[0]
        else:
            unit = rng.choice(business)
        item = Item(code, entry, departments, statutory, promised, unit=unit)
        item.note = "local" if local else ""
        self.items.append(item)
        for d in departments:
            self.items_of[d.name].append(item)
        self.names.add(normalize(entry.name))
        if planted:
            self.planted_items.append(item)
            item.note = planted
        return item

    def write_charters(self) -> None:
        rng = self.rng
        for department in self.departments:
            kind = department.kind
            count = rng.randint(4, 6)
            texts: list[tuple[str, tuple[str, ...]]] = []
            for demo in kind.functions:
                text = self._scoped(demo)
                self.demo_texts.add(text)
                texts.append((text, tuple(r for r in kind.roots if r in text)))
            attempts = 0
            while len(texts) < count and attempts < 50:
                attempts += 1
                text, roots = self.p.namer.function(kind, self.scope)
                if normalize(text) not in self.function_texts and all(t != text for t, _ in texts):
                    texts.append((text, roots))
            for text, roots in texts[: max(count, 1)]:
                self._add_function(department, text, roots)

    def _add_function(
        self,
        department: Department,
        text: str,
        roots: tuple[str, ...] = (),
        units: list[str] | None = None,
        planted: str = "",
    ) -> Function:
        rng = self.rng
        business = [
            u for u in department.units if u not in ("办公室", "组织人事科", "财务审计科")
        ] or department.units
        if units is None:
            units = rng.sample(business, min(len(business), rng.choice((1, 1, 2))))
        number = sum(1 for f in self.functions if f.department is department) + 1
        mix = department.kind.mix
        main = max(mix, key=mix.__getitem__)
        category = (
            _FUNCTION_CATEGORY.get(main, "公共服务")
            if rng.random() < 0.7
            else rng.choice(("经济调节", "市场监管", "社会管理", "公共服务"))
        )
        function = Function(
            f"{self.gov.code}-ZN-{department.index:02d}{number:02d}",
            department,
            category,
            text,
            units,
            roots,
            planted=planted,
        )
        self.functions.append(function)
        self.function_texts.add(normalize(text))
        if planted:
            self.planted_functions.append(function)
        return function

    def background_texts(self) -> list[Text]:
        """The unplanted texts the analyses compare, each in its block (power type, or function)."""
        texts = [
            Text(item_id, name, item.entry.type_code, item.departments[0].name)
            for item in self.items
            if item.note in ("", "local", "unbased")
            for item_id, name in item.subjects()
        ]
        texts += [Text(f.id, f.text, "function", f.department.name) for f in self.functions if not f.planted]
        return texts

    def clean_background(self) -> None:
        """Make again the local names and charter texts that came out similar (0.5 or more, by
        `graph.similarity` with the blocks' idf weights) to another department's, so that similar texts of
        different departments are the planted ones. Standard-list items were cleaned when the list was
        made; what is left over (two standard items, demo charters) is counted."""
        if self.sample:
            self.truth.background.setdefault("before_cleaning", []).append(self.similarity_report())
        local = {item_id: item for item in self.items if item.note == "local" for item_id in item.ids}
        synthetic = {f.id: f for f in self.functions if f.roots and f.text not in self.demo_texts}
        for _ in range(4):
            pairs = similar_pairs(self.background_texts(), 0.5)
            if not pairs:
                break
            remade: set[str] = set()
            for pair in pairs:
                target = next((x for x in (pair.b, pair.a) if x in local or x in synthetic), None)
                if target is None or pair.a in remade or pair.b in remade:
                    if target is None:
                        self.truth.counts["background_pairs_kept"] += 1
                    continue
                remade.add(target)
                if target in local:
                    item = local.pop(target)
                    self.names.discard(normalize(item.entry.name))
                    name = self._unique_name(item.departments[0].kind, item.entry.type_code)
                    item.entry = replace(item.entry, name=name)
                    local.update(dict.fromkeys(item.ids, item))
                else:
                    function = synthetic.pop(target)
                    self.function_texts.discard(normalize(function.text))
                    text, roots = self.p.namer.function(function.department.kind, self.scope)
                    while normalize(text) in self.function_texts:
                        text, roots = self.p.namer.function(function.department.kind, self.scope)
                    function.text, function.roots = text, roots
                    self.function_texts.add(normalize(text))
                    synthetic[function.id] = function
            self.truth.counts["background_texts_remade"] += len(remade)
            if not remade:
                break

    def similarity_report(self, sample: int = 20_000) -> dict[str, Any]:
        return background_similarity(
            self.gov.name, self.background_texts(), random.Random(self.gov.code), sample
        )

    def _scoped(self, text: str) -> str:
        level = self.level
        for old, new in (
            ("全市", f"全{level}"),
            ("市政府", f"{level}政府"),
            ("本市", f"本{level}"),
            ("市级", f"{level}级"),
        ):
            text = text.replace(old, new)
        return text

    # -- plants: power items --

    def plant_unbased(self) -> None:
        """Local items listed without a basis that names a law (越位), as clean-ups find them."""
        local = [item for item in self.items if item.note == "local"]
        for item in self.rng.sample(local, min(len(local), self.rng.randint(2, 6))):
            item.entry = Entry(
                item.entry.type_code, item.entry.name, (), item.entry.subs, self.rng.choice(_UNBASED_TEXTS)
            )
            item.note = "unbased"
            for item_id in item.ids:
                self.truth.gaps["UNBASED_POWER"].append(item_id)
                self.truth.planted_gaps["UNBASED_POWER"].append(item_id)
                self.truth.may_also["POWER_OUTSIDE_MANDATE"].append(item_id)

    def index_citations(self) -> None:
        for item in self.items:
            self._index(item)

    def _index(self, item: Item) -> None:
        for short, article, _ in item.entry.citations:
            if article is not None:
                self.cited[(item.entry.type_code, short, article)].append(item)
                self.cited_any.add((short, article))

    def _source(self, type_code: str | None = None) -> Item | None:
        """An item to copy: one of a department's own, without sub-items, whose articles nothing else of its
        type in this government cites (so the copy overlaps with it alone)."""
        rng = self.rng
        for _ in range(200):
            item = rng.choice(self.items)
            if item.note not in ("", "local") or item.entry.subs or len(item.departments) > 1:
                continue
            if type_code and item.entry.type_code != type_code:
                continue
            general = _general(item.entry.type_code)
            specific = [c for c in item.entry.citations if c != general and c[1] is not None]
            if specific and all(len(self.cited[(item.entry.type_code, c[0], c[1])]) == 1 for c in specific):
                return item
        return None

    def _other(self, department: Department) -> Department:
        return self.rng.choice([d for d in self.departments if d is not department and self.items_of[d.name]])

    def _own_citations(self, department: Department, type_code: str) -> tuple[Citation, ...]:
        return _citations(department.kind, type_code, self.p.laws, self.rng)

    def _fresh(self, short: str, penalty: bool, competent: bool | None) -> int:
        """An article of `short` nothing in this government cites yet."""
        law = self.p.laws.setdefault(short, _law(short))
        span = list(law.penalty_articles if penalty else law.other_articles)
        self.rng.shuffle(span)
        for article in span:
            if (short, article) in self.cited_any:
                continue
            if competent is not None and self.p.has_competent(short, article) != competent:
                continue
            return article
        article = law.articles + 1
        while (short, article) in self.cited_any:
            article += 1
        return article

    def _unique_name(self, kind: Kind, type_code: str, roots: Sequence[str] | None = None) -> str:
        """A name of this kind and type no department of this government, and no standard list, uses."""
        for _ in range(200):
            name = self.p.namer.item(kind, type_code, roots)
            if normalize(name) not in self.names and normalize(name) not in self.p.catalogue_names:
                return name
        raise RuntimeError("no unique name left")

    def plant_overlaps(self) -> None:
        rng = self.rng
        gov = self.gov.name
        weights = self._weights()
        # SAME_ITEM: one item listed by two departments, some copies in traditional script
        same = rng.randint(6, 10)
        for n in range(same):
            source = self._source("XK" if n < 2 else None)
            if source is None:
                continue
            a = source.departments[0]
            b = self._other(a)
            name = source.entry.name
            traditional = rng.random() < 0.25
            if traditional:
                written = str(self.p.traditional.convert(name))
                traditional = written != name and normalize(written) == normalize(name)
                name = written if traditional else name
            same_basis = rng.random() < 0.6
            citations = (
                source.entry.citations if same_basis else self._own_citations(b, source.entry.type_code)
            )
            copy = self._add_item(b, Entry(source.entry.type_code, name, citations), planted="SAME_ITEM")
            self._index(copy)
            self.truth.overlap(
                (source.ids[0], copy.ids[0]),
                "SAME_ITEM",
                gov,
                self._department_ids(source, copy),
                traditional=traditional,
            )
            if same_basis:
                self.pending_pairs.append((source, copy, "SAME_ITEM"))
                self.truth.may_also["POWER_OUTSIDE_MANDATE"].append(copy.ids[0])
        # JOINT: one item naming two departments, on an article of each one's law
        for _ in range(rng.randint(2, 5)):
            a = rng.choice(self.departments)
            b = self._other(a)
            type_code = rng.choice(("JC", "JC", "XK", "JF", "QT", "CF"))
            name = self._unique_name(a.kind, type_code)
            citations = []
            for d in (a, b):
                short = rng.choice(d.kind.laws)
                citations.append((short, self._fresh(short, type_code in ("CF", "QZ"), None), None))
            item = self._add_item([a, b], Entry(type_code, name, tuple(citations)), planted="JOINT")
            self._index(item)
            self.truth.overlap((item.ids[0],), "JOINT", gov, self._department_ids(item))
        # SHARED_BASIS: two departments citing an article no other item of that type here cites
        for _ in range(rng.randint(4, 7)):
            a = rng.choice(self.departments)
            b = self._other(a)
            type_code = rng.choice(("CF", "CF", "CF", "XK", "JC", "QZ"))
            short = rng.choice(a.kind.laws)
            article = self._fresh(short, type_code in ("CF", "QZ"), False)
            name_a = self._unique_name(a.kind, type_code)
            name_b = self._unique_name(b.kind, type_code)
            if similarity(name_a, name_b, weights.get(type_code)) >= 0.5:
                continue
            shared: Citation = (short, article, None)
            first = self._add_item(a, Entry(type_code, name_a, (shared,)), planted="SHARED_BASIS")
            own = self._own_citations(b, type_code)[:1] if rng.random() < 0.5 else ()
            second = self._add_item(b, Entry(type_code, name_b, (shared, *own)), planted="SHARED_BASIS")
            self._index(first)
            self._index(second)
            self.pending_pairs.append((first, second, "SHARED_BASIS"))
            if not own:
                self.truth.may_also["POWER_OUTSIDE_MANDATE"].append(second.ids[0])
        # SIMILAR_TEXT: an item of another department worded a few characters differently
        for _ in range(rng.randint(6, 10)):
            source = self._source()
            if source is None:
                continue
            a = source.departments[0]
            b = self._other(a)
            variant = self._variant(source.entry.name, weights.get(source.entry.type_code))
            if variant is None:
                continue
            same_basis = rng.random() < 0.5
            citations = (
                source.entry.citations if same_basis else self._own_citations(b, source.entry.type_code)
            )
            item = self._add_item(
                b, Entry(source.entry.type_code, variant, citations), planted="SIMILAR_TEXT"
            )
            self._index(item)
            self.similar_plants.append((source, item))
            self.truth.overlap(
                (source.ids[0], item.ids[0]), "SIMILAR_TEXT", gov, self._department_ids(source, item)
            )
            if same_basis:
                self.pending_pairs.append((source, item, "SIMILAR_TEXT"))
                self.truth.may_also["POWER_OUTSIDE_MANDATE"].append(item.ids[0])

    def _department_ids(self, *items: Item) -> list[str]:
        return sorted({ids.department_id(self.gov.name, d.name) for item in items for d in item.departments})

    def _variant(self, text: str, weights: dict[str, float] | None, functions: bool = False) -> str | None:
        """`text` with a phrase reworded, a word put in or a character left out, or in traditional script and
        reworded, scoring at least threshold + margin against it; None when no edit does."""
        rng = self.rng
        taken = self.function_texts if functions else self.names
        for _ in range(40):
            edited = text
            for _ in range(rng.choice((1, 1, 2))):
                edited = self._edit(edited)
            if rng.random() < 0.2:
                edited = str(self.p.traditional.convert(edited))
            key = normalize(edited)
            if key == normalize(text) or key in taken or key in self.p.catalogue_names:
                continue
            if similarity(text, edited, weights) >= DEFAULT_TEXT_THRESHOLD + PLANT_MARGIN:
                return edited
        return None

    def _edit(self, text: str) -> str:
        """One edit a clerk makes copying a text: a phrase reworded, a word put in front of a phrase, or a
        qualifier left out."""
        rng = self.rng
        roll = rng.random()
        options = [(old, new) for old, new in _REWORDINGS if old in text]
        if options and roll < 0.55:
            old, new = rng.choice(options)
            return text.replace(old, new, 1)
        anchors = [anchor for anchor in _ANCHORS if anchor in text]
        if anchors and roll < 0.85:
            anchor = rng.choice(anchors)
            return text.replace(anchor, anchor + rng.choice(_FILLERS), 1)
        dropped = [word for word in _QUALIFIERS if word in text]
        if dropped:
            return text.replace(rng.choice(dropped), "", 1)
        if text.endswith(("的处罚", "的检查", "的奖励")):
            return text[:-3] + "行为" + text[-3:]
        return text if text.endswith(("事项", "工作")) else text + rng.choice(("事项", "工作"))

    def plant_item_gaps(self) -> None:
        rng = self.rng
        # MISPLACED (错位): an item citing an article that names another kind of department
        placed, wanted = 0, rng.randint(1, 3)
        for _ in range(40):
            if placed >= wanted:
                break
            a = rng.choice(self.departments)
            b = self._other(a)
            wording = self.p.competent.get(b.kind.key)
            if wording is None:
                continue
            words = competent_field(wording)
            if fields_match(department_fields(a.name, self.gov.place), words):
                continue
            short = rng.choice(b.kind.laws)
            if self.p.law_kind.get(short) != b.kind.key:
                continue
            article = self._fresh(short, True, True)
            if not self.p.has_competent(short, article):
                continue
            name = self._unique_name(a.kind, "CF")
            item = self._add_item(a, Entry("CF", name, ((short, article, None),)), planted="MISPLACED")
            self._index(item)
            self.truth.planted_gaps["MISPLACED"].append(item.ids[0])
            self.truth.may_also["POWER_OUTSIDE_MANDATE"].append(item.ids[0])
            placed += 1
        # POWER_OUTSIDE_MANDATE (越位 within a department): an item on a local rule none of its functions cite
        province = self.p.governments[0].place
        for _ in range(rng.randint(1, 3)):
            a = rng.choice(self.departments)
            charter = {token for f in self.functions if f.department is a for token in tokens(f.text)}
            free = [root for root in a.kind.roots if not charter.intersection(tokens(root))]
            if not free:
                continue
            root = rng.choice(free)
            name = self._unique_name(a.kind, "CF", roots=(root,))
            rule = f"{province}{root}管理办法"
            self.p.laws.setdefault(rule, Law(rule, rule, "地方政府规章", 40, 3))
            item = self._add_item(
                a, Entry("CF", name, ((rule, rng.randint(20, 36), None),)), planted="POWER_OUTSIDE_MANDATE"
            )
            self._index(item)
            self.truth.planted_gaps["POWER_OUTSIDE_MANDATE"].append(item.ids[0])

    # -- charters --

    def cite_in_charters(self) -> None:
        """Each department's functions cite the laws its own items cite (the first with its duty article), so
        every background item carries out some function and every function is carried out."""
        for department in self.departments:
            functions = [f for f in self.functions if f.department is department and not f.planted]
            own = list(
                dict.fromkeys(
                    c[0]
                    for item in self.items_of[department.name]
                    for c in item.entry.citations
                    if c[0] in department.kind.laws
                )
            )
            if not own or not functions:
                continue
            for i, function in enumerate(functions):
                laws = own[i :: len(functions)] or [own[i % len(own)]]
                duty = self.p.laws[laws[0]].duty_article
                function.citations = [(laws[0], duty, None), *((law, None, None) for law in laws[1:])]
                self.p.duty_cited.add(laws[0])
                self.p.cited.add((laws[0], duty))

    def plant_function_findings(self) -> None:
        rng = self.rng
        gov = self.gov.name
        weights = _Weights(idf_weights([f.text for f in self.functions]), len(self.functions))
        for _ in range(rng.randint(1, 3)):  # SIMILAR_TEXT between functions of two departments
            sources = [f for f in self.functions if not f.planted and len(f.text) >= 12]
            source = rng.choice(sources)
            b = self._other(source.department)
            variant = self._variant(source.text, weights, functions=True)
            if variant is None:
                continue
            function = self._add_function(b, variant, source.roots, planted="SIMILAR_TEXT")
            if rng.random() < 0.5:
                function.citations = list(source.citations)
            self.similar_plants.append((source, function))
            self.truth.overlap(
                (source.id, function.id),
                "SIMILAR_TEXT",
                gov,
                sorted({self._department_id(source.department), self._department_id(b)}),
            )
            self.truth.may_also["FUNCTION_NOT_EXERCISED"].append(function.id)
        templates = rng.sample(_NOT_EXERCISED, rng.randint(1, 2))
        for template in templates:  # FUNCTION_NOT_EXERCISED: a charter duty no item carries out
            department = rng.choice(self.departments)
            text = template
            if normalize(text) in self.function_texts:
                continue
            function = self._add_function(department, text, planted="FUNCTION_NOT_EXERCISED")
            self.truth.planted_gaps["FUNCTION_NOT_EXERCISED"].append(function.id)
        background = [f for f in self.functions if not f.planted]
        for function in rng.sample(background, rng.randint(1, 2)):  # FUNCTION_WITHOUT_UNIT
            function.units = []
            self.truth.planted_gaps["FUNCTION_WITHOUT_UNIT"].append(function.id)

    def _department_id(self, department: Department) -> str:
        return ids.department_id(self.gov.name, department.name)

    # -- checks of the plants, with the weights the analyses will use --

    def _blocks(self) -> dict[str, list[tuple[str, str, frozenset[str]]]]:
        """Power type -> (item id, the name compared, its departments) of every item of this government."""
        blocks: dict[str, list[tuple[str, str, frozenset[str]]]] = defaultdict(list)
        for item in self.items:
            names = frozenset(d.name for d in item.departments)
            for item_id, name in item.subjects():
                blocks[item.entry.type_code].append((item_id, name, names))
        return blocks

    def _weights(self) -> dict[str, dict[str, float]]:
        """Power type -> the idf weights of its block now, a token not seen yet weighing as a new one will."""
        return {
            code: _Weights(idf_weights([name for _, name, _ in block]), len(block))
            for code, block in self._blocks().items()
        }

    def verify_text_plants(self) -> None:
        """Score each planted pair with the final idf weights of its block (dropping the rare one that ends
        below the threshold), and add every pair a planted text makes with another department's text."""
        gov = self.gov.name
        blocks = self._blocks()
        blocks["function"] = [(f.id, f.text, frozenset((f.department.name,))) for f in self.functions]
        weights = {code: idf_weights([name for _, name, _ in block]) for code, block in blocks.items()}
        for source, variant in self.similar_plants:
            if isinstance(source, Item):
                block, a, b = source.entry.type_code, source.entry.name, variant.entry.name
                key = tuple(sorted((source.ids[0], variant.ids[0])))
            else:
                block, a, b = "function", source.text, variant.text
                key = tuple(sorted((source.id, variant.id)))
            score = similarity(a, b, weights[block])
            if score < DEFAULT_TEXT_THRESHOLD:
                del self.truth.overlaps[key]
                self.truth.counts["similar_text_plants_dropped"] += 1
            else:
                self.truth.overlaps[key]["text_score"] = round(score, 4)
        planted = [
            (item.entry.type_code, item_id, name)
            for item in self.planted_items
            for item_id, name in item.subjects()
        ]
        planted += [("function", f.id, f.text) for f in self.planted_functions]
        sets: dict[str, list[tuple[str, str, frozenset[str], frozenset[str], float]]] = defaultdict(list)
        for code, block in blocks.items():
            for i, n, d in block:
                bigrams = frozenset(tokens(n))
                sets[code].append((i, n, d, bigrams, sum(weights[code][t] for t in bigrams)))
        for code, item_id, name in planted:
            weight = weights[code]
            mine = next(d for i, _, d in blocks[code] if i == item_id)
            own = frozenset(tokens(name))
            total = sum(weight[t] for t in own)
            for other_id, other_name, departments, other_tokens, other_total in sets[code]:
                if other_id == item_id or departments & mine:
                    continue
                shared = own & other_tokens
                if not shared:
                    continue
                common = sum(weight[t] for t in shared)
                union = total + other_total - common
                if union <= 0 or common / union < DEFAULT_TEXT_THRESHOLD:
                    continue
                if code != "function" and normalize(name) == normalize(other_name):
                    continue  # the same name is SAME_ITEM, not SIMILAR_TEXT
                score = similarity(name, other_name, weight)
                if score < DEFAULT_TEXT_THRESHOLD:
                    continue
                key = tuple(sorted((item_id, other_id)))
                facts: dict[str, Any] = {"text_score": round(score, 4)}
                if key not in self.truth.overlaps:
                    self.truth.counts["implied_similar_text"] += 1
                    facts["implied"] = True
                departments_ids = sorted(ids.department_id(gov, d) for d in mine | departments)
                self.truth.overlap(key, "SIMILAR_TEXT", gov, departments_ids, **facts)

    def verify_item_plants(self) -> None:
        """Every SAME_ITEM and SHARED_BASIS pair a planted item makes with another department's item, by the
        definitions: the same name and power type; an article cited for items of the same power type, scored
        by the rarity weighting the analyses document (smoothed idf over the departments of this government
        citing articles for that power type; rare when at most a quarter of them, or two, cite it). A pair
        no plant meant (two copies of one item, an article a plant happened to share) is marked implied."""
        gov = self.gov.name
        citing: dict[tuple[str, str, int], set[str]] = defaultdict(set)
        departments_of: dict[str, set[str]] = defaultdict(set)
        named: dict[tuple[str, str], list[tuple[str, frozenset[str]]]] = defaultdict(list)
        for item in self.items:
            articles = [(c[0], c[1]) for c in item.entry.citations if c[1] is not None]
            names = frozenset(d.name for d in item.departments)
            for short, article in articles:
                citing[(item.entry.type_code, short, article)] |= names
            if articles:
                departments_of[item.entry.type_code] |= names
            for item_id, name in item.subjects():
                named[(item.entry.type_code, normalize(name))].append((item_id, names))

        def articles(item: Item) -> set[tuple[str, int]]:
            return {(c[0], c[1]) for c in item.entry.citations if c[1] is not None}

        planted_pairs = {tuple(sorted((a.ids[0], b.ids[0]))) for a, b, _ in self.pending_pairs}

        def add(key: tuple[str, ...], kind: str, departments: Iterable[str], **facts: Any) -> None:
            if key not in self.truth.overlaps and key not in planted_pairs:
                facts["implied"] = True
                self.truth.counts[f"implied_{kind.lower()}"] += 1
            self.truth.overlap(
                key, kind, gov, sorted(ids.department_id(gov, d) for d in departments), **facts
            )

        for planted in self.planted_items:
            mine = frozenset(d.name for d in planted.departments)
            type_code = planted.entry.type_code
            for item_id, name in planted.subjects():
                for other_id, departments in named[(type_code, normalize(name))]:
                    if other_id != item_id and not departments & mine:
                        add(tuple(sorted((item_id, other_id))), "SAME_ITEM", mine | departments)
            count = len(departments_of[type_code])
            mine_cited = articles(planted)
            for short, article in mine_cited:
                for other in self.cited[(type_code, short, article)]:
                    departments = frozenset(d.name for d in other.departments)
                    if other is planted or departments & mine:
                        continue
                    theirs = articles(other)
                    weight = {
                        x: math.log((count + 1) / len(citing[(type_code, *x)])) for x in mine_cited | theirs
                    }
                    shared = mine_cited & theirs
                    rare = any(
                        len(citing[(type_code, *x)]) <= max(2, int(DEFAULT_RARE_SHARE * count))
                        for x in shared
                    )
                    score = sum(weight[x] for x in shared) / sum(weight.values())
                    if rare and score >= DEFAULT_BASIS_THRESHOLD:
                        for item_id, other_id in itertools.product(planted.ids, other.ids):
                            key = tuple(sorted((item_id, other_id)))
                            add(key, "SHARED_BASIS", mine | departments, basis_score=round(score, 4))
        for a, b, kind in self.pending_pairs:
            entry = self.truth.overlaps.get(tuple(sorted((a.ids[0], b.ids[0]))))
            if kind == "SHARED_BASIS" and (entry is None or "SHARED_BASIS" not in entry["kinds"]):
                self.truth.counts["shared_basis_plants_dropped"] += 1

    # -- approvals --

    def stage(self) -> None:
        rng = self.rng
        rows: dict[str, list[list[Any]]] = {}
        licences = [item for item in self.items if item.entry.type_code == "XK"]
        for item in licences:
            owner = item.departments[0]
            plan = rng.choice(_STAGE_PLANS)
            unit = owner.approval_unit
            posts = owner.posts.get(unit) or owner.posts[""]
            staff = posts[1:] or posts
            chief = owner.unit_heads.get(unit, owner.head)
            deputy = next((post for post, units in owner.deputies if unit in units), owner.head)
            total = item.statutory or 20
            stages = []
            for step, (name, role) in enumerate(plan, start=1):
                post = (
                    chief
                    if name == "审核"
                    else deputy
                    if name in ("决定", "批准")
                    else staff[1 % len(staff)]
                    if name in ("审查", "现场核查")
                    else staff[0]
                )
                days = max(1, round(total / len(plan) * rng.uniform(0.6, 1.2)))
                stages.append(
                    [item.code, step, name, role, owner.name if rng.random() < 0.2 else "", unit, post, days]
                )
            rows[item.code] = stages
        plain = [
            item
            for item in licences
            if not item.entry.subs and len(item.departments) == 1 and item.note in ("", "local")
        ]
        rng.shuffle(plain)
        # STAGES: one stage carried by another department (a 现场核查 by the department that knows the site)
        for item in plain[: rng.randint(1, 3)]:
            stages = rows[item.code]
            other = self._other(item.departments[0])
            unit = (
                other.approval_unit
                if other.posts.get(other.approval_unit)
                else next(u for u in other.units if other.posts.get(u))
            )
            index = rng.randrange(1, len(stages) - 1)
            stages[index][4], stages[index][5] = other.name, unit
            stages[index][6] = rng.choice(other.posts[unit][1:] or other.posts[unit])
            item.note = "STAGES"
            self.truth.splits["STAGES"].append([item.ids[0]])
        chained = [item for item in plain if item.note != "STAGES"]
        # CHAIN: prerequisite approvals across departments; and some within one department (not a split)
        for _ in range(rng.randint(1, 2)):
            if len(chained) < 3:
                break
            first = chained.pop()
            picks = [first]
            for _ in range(2 if rng.random() < 0.4 else 1):
                following = next(
                    (i for i in chained if i.departments[0] not in [p.departments[0] for p in picks]), None
                )
                if following is None:
                    break
                chained.remove(following)
                picks.append(following)
            if len(picks) < 2:
                continue
            for before, after in itertools.pairwise(picks):
                before.prerequisites.append(after.code)
            self.truth.splits["CHAIN"].append([p.ids[0] for p in picks])
        for _ in range(rng.randint(1, 3)):
            if len(chained) < 2:
                break
            first = chained.pop()
            following = next((i for i in chained if i.departments[0] is first.departments[0]), None)
            if following is not None:
                chained.remove(following)
                first.prerequisites.append(following.code)
        # STAGE_WITHOUT_POST: a stage nobody answers for
        for code in rng.sample(sorted(rows), min(len(rows), rng.randint(1, 3))):
            stage = rng.choice(rows[code])
            stage[6] = ""
            for item in licences:
                if item.code == code:
                    for item_id in item.ids:
                        self.truth.gaps["STAGE_WITHOUT_POST"].append(ids.stage_id(item_id, stage[1]))
                        self.truth.planted_gaps["STAGE_WITHOUT_POST"].append(ids.stage_id(item_id, stage[1]))
        for item in licences:
            if (
                len(item.departments) > 1
            ):  # a joint licence: the departments the list names count as carrying it
                self.truth.splits["STAGES"].extend([item_id] for item_id in item.ids)
            stages = rows[item.code]
            self.stage_rows.extend(tuple(stage) for stage in stages)
            self.stage_posts.update(stage[6] for stage in stages if stage[6])
            self.staged.append((item, [(s[1], s[6], s[7], s[4] or item.departments[0].name) for s in stages]))

    # -- what the analyses must find, computed from the rows --

    def expect(self) -> None:
        gov = self.gov.name
        reference = REFERENCE_DATE.toordinal()
        department_of_post = {row[0]: row[1] for row in self.post_rows}

        def held(post: str) -> bool:
            return any(
                start <= reference and (end is None or reference < end)
                for start, end, _ in self.holders[post]
            )

        heads = {d.head: d for d in self.departments}
        for post in sorted(self.stage_posts | set(heads)):
            if not held(post):
                self.truth.gaps["VACANT_POST"].append(ids.post_id(post))
                if post in heads:
                    self.truth.gaps["NO_HEAD"].append(self._department_id(heads[post]))
        if self.no_head:
            self.truth.planted_gaps["NO_HEAD"].append(self._department_id(heads[self.no_head]))
        # staffing on the reference date
        quota_of: dict[str, set[tuple[str, str]]] = defaultdict(set)
        posts_of: dict[str, set[str]] = defaultdict(set)
        for row in self.holding_rows:
            start = date.fromisoformat(row[3]).toordinal()
            if start > reference or (row[4] and reference >= date.fromisoformat(row[4]).toordinal()):
                continue
            if row[6]:
                quota_of[row[0]].add((row[6], row[5]))
            if row[2]:
                posts_of[row[0]].add(row[2])
        people: Counter[str] = Counter(name for held_quota in quota_of.values() for name, _ in held_quota)
        self.quota: dict[str, int] = {}
        for department in self.departments:
            count = people[department.name]
            if department.name in self.over_quota and count > 1:
                self.quota[department.name] = count - self.rng.randint(1, min(3, count - 1))
                self.truth.gaps["OVER_QUOTA"].append(self._department_id(department))
            else:
                self.quota[department.name] = count + self.rng.randint(0, 4)
        for person in sorted(set(quota_of) | set(posts_of)):
            person_id = ids.person_id(person)
            departments = {department_of_post[post] for post in posts_of.get(person, ())}
            if quota_of.get(person) and not posts_of.get(person):
                self.truth.gaps["GHOST_PAYROLL"].append(person_id)
            if departments and any(q not in departments for q, _ in quota_of.get(person, ())):
                self.truth.gaps["MIXED_QUOTA"].append(person_id)
            if len(departments) > 1:
                self.truth.gaps["CONCURRENT_POSTS"].append(person_id)
        # 错位: every item citing an article whose 主管部门 names a field none of its holders works in
        fields = {d.name: department_fields(d.name, self.gov.place) for d in self.departments}
        for item in self.items:
            for short, article, _ in item.entry.citations:
                if not self.p.has_competent(short, article):
                    continue
                words = competent_field(self.p.competent[self.p.law_kind[short]] or "")
                if any(fields_match(fields[d.name], words) for d in item.departments):
                    continue
                if any(fields_match(f, words) for f in fields.values()):
                    self.truth.gaps["MISPLACED"].extend(item.ids)
                    break
        for function in self.functions:
            if not function.units:
                self.truth.gaps["FUNCTION_WITHOUT_UNIT"].append(function.id)
        # SAME_MATTER: one licence (name and sub-item) approved by several departments
        matters: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for item in self.items:
            if item.entry.type_code == "XK":
                for sub, item_id in zip(item.entry.subs or ("",), item.ids, strict=True):
                    matters[normalize(item.entry.name + sub)].append((item_id, item.departments[0].name))
        for group in matters.values():
            if len({owner for _, owner in group}) > 1:
                self.truth.splits["SAME_MATTER"].append(sorted(item_id for item_id, _ in group))
        for item in self.items:
            for short, article, _ in item.entry.citations:
                if article is not None:
                    self.p.cited.add((short, article))
                    if self.p.has_competent(short, article):
                        self.p.competent_cited.add((short, article))
            if item.note == "" and len(self.truth.cross_level) < 100:
                first = self.p.first_listed.setdefault(id(item.entry), (gov, item.ids[0]))
                if first[0] != gov and self.rng.random() < 0.02:
                    self.truth.cross_level.append([first[1], item.ids[0]])
        for function in self.functions:
            for short, article, _ in function.citations:
                self.p.cited_laws.add(short)
                if article is not None:
                    self.p.cited.add((short, article))
        self.p.cited_laws.update(c[0] for item in self.items for c in item.entry.citations)
        self.truth.counts["items"] += sum(len(item.ids) for item in self.items)
        self.truth.counts["functions"] += len(self.functions)

    # -- rows --

    def sheets(self) -> dict[str, list[Sequence[Any]]]:
        """The rows of every sheet but cases and laws, in the order of the workbook format."""
        laws = self.p.laws
        departments = []
        for d in self.departments:
            parent = self.by_key.get(d.kind.parent or "")
            quota = self.quota[d.name]
            admin, institution = ("", quota) if self._quota_type(d) == "事业编制" else (quota, "")
            departments.append(
                (
                    d.name,
                    d.code,
                    self.gov.name,
                    d.kind.kind,
                    parent.name if parent else "",
                    admin,
                    institution,
                )
            )
        functions = [
            (f.code, f.department.name, f.category, f.text, "、".join(f.units), basis_text(f.citations, laws))
            for f in self.functions
        ]
        powers = []
        for item in self.items:
            type_name = TYPE_CODES[item.entry.type_code]
            variants = DUTIES[type_name]
            duties = variants[_crc(item.entry.name) % len(variants)]
            basis = (
                item.entry.basis_text
                if item.entry.basis_text is not None
                else basis_text(item.entry.citations, laws)
            )
            holders = "、".join(d.name for d in item.departments)
            for sub in item.entry.subs or ("",):
                powers.append(
                    (
                        item.code,
                        type_name,
                        item.entry.name,
                        sub,
                        holders,
                        item.unit,
                        basis,
                        duties,
                        TRIGGERS[type_name],
                        item.statutory or "",
                        item.promised or "",
                        "、".join(item.prerequisites),
                        "",
                    )
                )
        return {
            "部门": departments,
            "内设机构": self.unit_rows,
            "岗位": self.post_rows,
            "任职": self.holding_rows,
            "职能": functions,
            "权责清单": powers,
            "审批环节": self.stage_rows,
        }

    def cases(self, count: int, writer: Writer) -> None:
        """`count` cases of this government's licensing items, with their steps, streamed to the writer."""
        if count <= 0 or not self.staged:
            return
        rng = random.Random(
            f"{self.p.seed}/cases/{self.gov.code}"
        )  # the workbook is the same with or without
        people: dict[str, list[str]] = defaultdict(list)
        department_of_post = {row[0]: row[1] for row in self.post_rows}
        for row in self.holding_rows:
            if row[2]:
                people[department_of_post[row[2]]].append(row[0])
        first, last = date(2023, 1, 3).toordinal(), REFERENCE_DATE.toordinal() - 40
        cases, steps, records = [], [], []
        # demand is skewed, as service centres see it: the n-th most asked-for licence gets ~1/n of the cases
        popular = rng.sample(self.staged, len(self.staged))
        demand = list(itertools.accumulate(1 / rank for rank in range(1, len(popular) + 1)))
        for number in range(1, count + 1):
            item, stages = rng.choices(popular, cum_weights=demand)[0]
            case = f"{self.gov.code}{number:07d}"
            accepted = add_workdays(rng.randint(first, last) - 1, 1)
            day = accepted
            open_case = rng.random() < 0.04
            done = len(stages) if not open_case else rng.randrange(0, len(stages))
            performers = []
            for index, (step, post, days, department) in enumerate(stages[:done]):
                if 0 < index < len(stages) - 1 and rng.random() < 0.02:
                    continue  # a stage skipped
                took = days + rng.randint(1, 5) if rng.random() < 0.06 else rng.randint(0, days)
                finished = add_workdays(day, took)
                performer = None
                if post and rng.random() >= 0.03:
                    for start, end, person in self.holders.get(post, ()):
                        if start <= day and (end is None or day < end):
                            performer = person
                            break
                if performer is None:
                    performer = rng.choice(people[department])
                performers.append(performer)
                steps.append(
                    (
                        case,
                        step,
                        performer,
                        _iso(day),
                        _iso(finished),
                        rng.choice(("同意", "拟同意", "符合条件", "")),
                    )
                )
                day = finished
            outcome = "" if open_case else rng.choice(_OUTCOMES)
            cases.append((case, item.code, _iso(accepted), "" if open_case else _iso(day), outcome, ""))
            if performers and rng.random() < 0.002:
                records.append(
                    (
                        f"W{case}",
                        rng.choice(performers),
                        case,
                        "超期办理",
                        rng.choice(("直接责任", "主要领导责任")),
                        rng.choice(("诫勉谈话", "通报批评", "警告")),
                        _iso(day + rng.randint(30, 200)),
                        f"{self.gov.place}纪委监委",
                    )
                )
            if len(steps) >= 50_000:
                writer.write("办件", cases)
                writer.write("办件环节", steps)
                cases, steps = [], []
        writer.write("办件", cases)
        writer.write("办件环节", steps)
        writer.write("问责", records)
        self.truth.counts["cases"] += count


class Writer:
    """One CSV file a sheet, written as the governments are built."""

    def __init__(self, folder: Path, with_cases: bool) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.files: dict[str, IO[str]] = {}
        self.writers: dict[str, Any] = {}
        self.rows: Counter[str] = Counter()
        for sheet, headers in SHEETS.items():
            if sheet in ("办件", "办件环节", "问责") and not with_cases:
                continue
            handle = (folder / f"{sheet}.csv").open("w", encoding="utf-8", newline="")
            self.files[sheet] = handle
            self.writers[sheet] = csv.writer(handle)
            self.writers[sheet].writerow(headers)

    def write(self, sheet: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        self.writers[sheet].writerows(rows)
        self.rows[sheet] += len(rows)

    def close(self) -> None:
        for handle in self.files.values():
            handle.close()


# --- the laws sheet, the background and the whole workbook -------------------------------------------

_LAW_SUFFIXES = ("实施细则", "实施条例", "暂行条例", "条例", "暂行办法", "办法", "规定", "法")


def _core(short: str) -> str:
    for suffix in _LAW_SUFFIXES:
        if short.endswith(suffix) and len(short) > len(suffix) + 1:
            return short[: -len(suffix)]
    return short


def law_rows(province: Province) -> list[tuple[Any, ...]]:
    """The laws sheet: every law cited, the duty article of each law a charter cites (规定职责, 主管部门),
    the penalty articles whose 主管部门 the list names, and a few duty articles nobody holds (缺位)."""
    rows: list[tuple[Any, ...]] = []
    truth = province.truth
    for short in sorted(province.cited_laws):
        law = province.laws[short]
        rows.append((law.written, law.rank, "", "", "", ""))
    wording = {
        short: province.competent.get(province.law_kind.get(short, "")) or "" for short in province.laws
    }
    for short in sorted(province.duty_cited):
        law = province.laws[short]
        duty = f"负责本行政区域内{_core(short)}的监督管理工作"
        text = f"{wording[short] or '县级以上地方人民政府有关部门'}{duty}。"
        rows.append((law.written, law.rank, article_label(law.duty_article), text, duty, wording[short]))
    for short, article in sorted(province.competent_cited):
        law = province.laws[short]
        if article == law.duty_article:
            continue
        kind = "本法" if law.rank == "法律" else "本条例"
        text = f"违反{kind}规定的，由{wording[short]}责令改正，给予警告，并处罚款。"
        rows.append((law.written, law.rank, article_label(article), text, "", wording[short]))
    unheld = 3 + len(province.governments) // 20
    rng = province.rng
    for short in rng.sample(sorted(province.duty_cited), min(unheld, len(province.duty_cited))):
        law = province.laws[short]
        free = [a for a in law.other_articles if (short, a) not in province.cited]
        if not free:
            continue
        article = rng.choice(free)
        duty = f"组织开展本行政区域{_core(short)}宣传教育和信息统计工作"
        text = f"{wording[short] or '县级以上地方人民政府有关部门'}应当{duty}。"
        rows.append((law.written, law.rank, article_label(article), text, duty, wording[short]))
        truth.gaps["UNHELD_DUTY"].append(ids.article_id(short, article))
        truth.planted_gaps["UNHELD_DUTY"].append(ids.article_id(short, article))
    return rows


def background_similarity(
    government: str, texts: list[Text], rng: random.Random, sample: int
) -> dict[str, Any]:
    """How similar one government's texts of different departments are: every pair at 0.5 or more (found
    with `graph.similarity.similar_pairs`, per block, with the blocks' idf weights), and
    `graph.similarity.similarity` over a random sample of pairs of different departments."""
    blocks: dict[str, list[Text]] = defaultdict(list)
    for text in texts:
        blocks[text.block].append(text)
    pairs = similar_pairs(texts, 0.5)
    by_id = {text.id: text for text in texts}
    weights = {code: idf_weights([t.text for t in block]) for code, block in blocks.items()}
    checked = [similarity(by_id[p.a].text, by_id[p.b].text, weights[by_id[p.a].block]) for p in pairs]
    codes = [code for code, block in blocks.items() if len(block) > 1]
    sizes = [len(blocks[code]) ** 2 for code in codes]
    scores = []
    while len(scores) < sample and codes:
        code = rng.choices(codes, sizes)[0]
        a, b = rng.sample(blocks[code], 2)
        if a.group != b.group:
            scores.append(similarity(a.text, b.text, weights[code]))
    scores.sort()
    return {
        "government": government,
        "texts": len(texts),
        "pairs_at_least_0.5": sum(1 for score in checked if score >= 0.5),
        "pairs_at_least_0.6": sum(1 for score in checked if score >= 0.6),
        "examples": [[by_id[p.a].text, by_id[p.b].text, p.score] for p in pairs[:8]],
        "random_pairs": len(scores),
        "random_pairs_at_least_0.3": sum(1 for s in scores if s >= 0.3),
        "random_pairs_at_least_0.5": sum(1 for s in scores if s >= 0.5),
        "random_pairs_median": round(scores[len(scores) // 2], 4) if scores else None,
        "random_pairs_max": round(scores[-1], 4) if scores else None,
    }


def generate(
    items: int,
    out: Path,
    *,
    seed: int = 7,
    cases: int = 0,
    governments: int | None = None,
    log: IO[str] | None = None,
) -> dict[str, Any]:
    """Write the workbook of `items` power items and functions (and `cases` cases) into the folder `out`,
    and truth.json beside the sheets; returns the truth. `governments` overrides one for every 5,000
    items (the trace benchmark wants a province's staff with fewer items)."""
    started = time.perf_counter()
    province = Province(items, seed, cases, governments)
    writer = Writer(out, cases > 0)
    total = sum(g.items for g in province.governments)
    shares = [cases * g.items // total for g in province.governments]
    shares[0] += cases - sum(shares)
    background = []
    for index, government in enumerate(province.governments):
        builder = GovernmentBuilder(province, government, sample=index < 2)
        builder.build()
        for sheet, rows in builder.sheets().items():
            writer.write(sheet, rows)
        builder.cases(shares[index], writer)
        if index < 2:
            background.append(builder.similarity_report())
        if log and (index + 1) % 20 == 0:
            print(f"  {index + 1} governments, {time.perf_counter() - started:.0f} s", file=log, flush=True)
    writer.write("法律依据", law_rows(province))
    writer.close()
    truth = _truth_json(province, writer, background)
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return truth


def _truth_json(province: Province, writer: Writer, background: list[dict[str, Any]]) -> dict[str, Any]:
    truth = province.truth
    overlaps = sorted(truth.overlaps.values(), key=lambda o: o["subjects"])
    by_kind = Counter(kind for o in overlaps for kind in o["kinds"])
    return {
        "about": "What bench/generate.py planted in this workbook for the analyses to find (do not edit).",
        "seed": province.seed,
        "items_asked": province.items,
        "reference_date": REFERENCE_DATE.isoformat(),
        "counts": {
            **dict(truth.counts),
            "rows": dict(writer.rows),
            "planted_overlaps": len(overlaps),
            "overlaps_by_kind": dict(by_kind),
        },
        "governments": [
            {"name": g.name, "code": g.code, "level": g.level, "parent": g.parent}
            for g in province.governments
        ],
        "conventions": [
            "overlaps: each entry is one overlap the analysis must report: its subjects (two item or function "
            "ids, or one joint item id) and every kind of evidence it must carry. `implied` marks a pair that "
            "follows from a plant by the definitions (a planted text similar to a third text).",
            "Items of different governments are never overlaps: cross_level lists examples of one catalogue "
            "item held at two levels.",
            "gaps: every finding of a kind that the data holds, computed from the rows for the kinds that can be "
            "(UNBASED_POWER, UNHELD_DUTY, MISPLACED, FUNCTION_WITHOUT_UNIT, STAGE_WITHOUT_POST, VACANT_POST, "
            "NO_HEAD and the staffing kinds, on the reference date); planted_gaps what was put in on purpose; "
            "may_also subjects an analysis may flag besides (a copied item cites the other department's law, so "
            "it may match none of its own department's functions).",
            "splits: STAGES lists the licences whose stages another department carries and the joint licences "
            "(the departments the list names count among those carrying it); CHAIN the planted chains across "
            "departments (from the last approval to what it needs); SAME_MATTER the licences planted as SAME_ITEM "
            "pairs.",
            "background: how similar unplanted texts of different departments of one government are.",
        ],
        "background": {"after_cleaning": background, **truth.background},
        "overlaps": overlaps,
        "cross_level": truth.cross_level,
        "gaps": {kind: sorted(set(found)) for kind, found in sorted(truth.gaps.items())},
        "planted_gaps": {kind: sorted(set(found)) for kind, found in sorted(truth.planted_gaps.items())},
        "may_also": {kind: sorted(set(found)) for kind, found in sorted(truth.may_also.items())},
        "splits": {kind: sorted(found) for kind, found in sorted(truth.splits.items())},
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--items", type=int, required=True, help="power items and functions, over all governments"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--governments", type=int, help="governments (default: one for every 5,000 items)")
    parser.add_argument(
        "--cases", type=int, default=0, help="cases (办件) with their steps; 0 writes no case sheets"
    )
    parser.add_argument(
        "--out", type=Path, required=True, help="the folder to write (outside the repository)"
    )
    args = parser.parse_args(argv)
    if args.out.resolve().is_relative_to(Path(__file__).resolve().parents[1]):
        parser.error("write the workbook outside the repository")
    started = time.perf_counter()
    truth = generate(
        args.items, args.out, seed=args.seed, cases=args.cases, governments=args.governments, log=sys.stderr
    )
    seconds = time.perf_counter() - started
    counts = truth["counts"]
    rows = ", ".join(f"{sheet} {n:,}" for sheet, n in counts["rows"].items())
    print(f"{args.out}: {len(truth['governments'])} governments; {rows}")
    print(
        f"  {counts['items']:,} items and {counts['functions']:,} functions; {counts['planted_overlaps']:,} overlaps "
        f"to find ({', '.join(f'{k} {n:,}' for k, n in counts['overlaps_by_kind'].items())}); {seconds:.0f} s"
    )
    for sample in truth["background"]["before_cleaning"] + truth["background"]["after_cleaning"]:
        print(
            f"  background of {sample['government']}: {sample['texts']:,} texts, {sample['pairs_at_least_0.5']} pairs "
            f">= 0.5 and {sample['pairs_at_least_0.6']} >= 0.6 across departments; random pairs: median "
            f"{sample['random_pairs_median']}, {sample['random_pairs_at_least_0.5']} of {sample['random_pairs']:,} >= 0.5"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
