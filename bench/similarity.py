"""How fast `graph.similarity.similar_pairs` finds similar texts, and how it compares with MinHash LSH.

    python bench/similarity.py                              # N = 10,000, 100,000 and 1,000,000
    python bench/similarity.py --sizes 10000 100000 --threshold 0.6
    python bench/similarity.py --lsh-at-every-size          # datasketch at 1,000,000 too (slow, large)

The input imitates a province's lists of powers and duties: N short texts (power item names made
from templates of real wording, like `对未取得食品经营许可从事食品经营活动的处罚`, and department
functions, like `负责全市食品安全监督管理工作`, of kinds `行政处罚` and `职能`), in blocks of
`--block-size` texts (a government each), split among some 40 departments (the groups). Some items are planted as near-duplicates in
another department: a few characters inserted, deleted or replaced, a phrase reworded, or the whole
text in traditional script; some are copied unchanged.

Each measurement runs in a fresh process, so its peak memory (`ru_maxrss`) is its own; `input MB`
is the process after making the texts, before the call. The engine runs with IDF weights (what the
overlap analysis uses: document frequencies among a block's texts and the shipped reference corpus's
texts of their kind) and without weights (plain Jaccard); datasketch's MinHash LSH (character
bigram MinHash, num_perm=128, LSH threshold = ours, one index per block, same-group candidates
dropped, candidates verified with exact Jaccard) runs on the same input and is measured against the
plain-Jaccard pairs. At the smallest size the engine is also checked against brute force (every pair
of a block and kind scored with `idf_weights` of its texts). The
table is printed as Markdown, ready for docs/benchmarks.md, followed by the growth exponent of
each engine (the slope of log time against log N).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import resource
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import opencc

from graph.corpus import FUNCTION_KIND
from graph.similarity import SimilarPair, Text, idf_weights, similar_pairs, tokens

ROOT = Path(__file__).resolve().parents[1]

# --- realistic texts ---------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


SUBJECTS = _words("""
    食品 药品 医疗器械 化妆品 保健食品 特殊医学用途配方食品 食品添加剂 建设工程 危险化学品 道路运输
    水路运输 烟花爆竹 特种设备 农药 兽药 饲料和饲料添加剂 农作物种子 林木种苗 野生动物 文物 出版物
    网络游戏 娱乐场所 互联网上网服务营业场所 旅行社 医疗机构 民办学校 校外培训机构 燃气 城镇供水
    城镇排水 城市道路 地下管线 房地产开发 物业服务 建筑施工 安全生产 消防 非煤矿山 粉尘防爆
    放射性物品 固体废物 危险废物 大气污染防治 水污染防治 环境噪声 土壤污染防治 广告 计量器具 价格
    商标 专利 拍卖 典当 成品油 单用途商业预付卡 生猪屠宰 畜禽养殖 渔业 水产苗种 河道采砂 取水
    水土保持 测绘 土地 矿产资源 城乡规划 人民防空工程 档案 统计 劳动保障 社会保险 职业介绍
    劳务派遣 养老机构 殡葬 宗教活动场所 慈善组织 社会团体 出租汽车 网络预约出租汽车 机动车维修
    机动车驾驶员培训 公路 港口 航道 船舶 气象 雷电防护装置 地震安全性评价 电力设施 节能
    石油天然气管道 粮食 食盐 烟草专卖品 彩票 高危险性体育项目 校车 病原微生物实验室 放射诊疗
    母婴保健 公共场所卫生 生活饮用水 职业病防治 疫苗 麻醉药品和精神药品 易制毒化学品 民用爆炸物品
    保安服务 旅馆业 印章刻制 文化市场 艺术品经营 营业性演出 电影放映 广播电视
    卫星电视广播地面接收设施 古树名木 森林防火 草原 湿地 自然保护区 风景名胜区 城市绿化 市容环境卫生
    建筑垃圾 户外广告设施 城市供热 公共停车场 预拌混凝土 建设工程质量检测 工程监理 招标投标 政府采购
    国有资产 会计 注册会计师 价格认证 农产品质量安全 农业机械 农民专业合作社 动物防疫 动物诊疗
    植物检疫 蜂业 茧丝
""")
ENTITIES = _words("""
    生产经营单位 经营者 生产企业 经营企业 使用单位 建设单位 施工单位 监理单位 勘察设计单位 运输企业
    检验检测机构 从业人员 网络交易平台经营者 举办单位 承办单位 个体工商户 农民专业合作社 培训机构
    中介机构 物业服务企业 房地产开发企业 医疗机构 养殖场 屠宰厂 仓储单位 销售单位 进口单位 委托单位
    服务机构 管理单位
""")
VIOLATIONS = _words("""
    未取得{s}许可从事{s}经营活动 未按规定建立{s}进货查验记录制度
    伪造、变造、出租、出借{s}许可证件 超越许可范围从事{s}经营 拒绝、阻碍{s}监督检查
    未按规定报送{s}统计资料 未按规定办理{s}备案 未按照规定对{s}进行检验 使用不符合标准的{s}
    未按规定配备{s}专职管理人员 擅自变更{s}用途 未按规定公示{s}相关信息
    未经批准擅自从事{s}活动 提供虚假材料骗取{s}许可 未建立{s}安全管理制度
    未按规定开展{s}安全培训 未按规定保存{s}原始记录 销售不符合要求的{s} 未按规定对{s}进行标识
    违反规定处置{s} 未按规定进行{s}年度检验 隐瞒{s}事故 未落实{s}安全防范措施
""")
ITEM_TEMPLATES = _words("""
    对{e}{v}的处罚 对{e}{v}行为的行政处罚 对{v}的处罚 对{e}{v}的处罚（含{s2}）
    对{e}的{s}监督检查 对{s}{e}的日常监督检查 {s}经营许可 {s}生产许可证核发
    {s}经营许可证变更 {s}项目审批 {s}从业资格认定 查封、扣押{v}的{s}及相关物品
    对{s}违法行为的举报奖励 {s}登记 {s}备案 对{e}{s}档案的检查 {s}许可证注销
    对违反{s}管理规定行为的行政强制 {s}事故调查处理 对{e}{v}的警告、罚款
    责令{e}停止{s}违法行为
""")
FUNCTION_TEMPLATES = _words("""
    负责全市{s}的监督管理工作 负责全市{s}和{s2}的监督管理 拟订全市{s}发展规划并组织实施
    承担全市{s}的统筹协调和指导工作 负责{s}行政执法和监督检查 组织开展{s}专项整治工作
    指导全市{s}行业安全生产工作 负责{s}相关标准的组织实施和监督 负责{s}统计和信息发布工作
    负责全市{s}的宏观调控和统筹规划，拟订{s2}目录并组织实施 参与拟订{s}相关政策措施
""")
REWORDINGS = [
    ("行为的行政处罚", "的处罚"),
    ("的处罚", "行为的处罚"),
    ("监督检查", "检查"),
    ("未按规定", "未按照规定"),
    ("负责全市", "负责本市"),
    ("的监督管理工作", "的监督管理"),
    ("许可证核发", "许可"),
    ("并组织实施", "并负责实施"),
]
FILLERS = "的和及与等其相关有关规定管理工作活动行为单位人员"


class TextMaker:
    """Makes texts of one province, deterministically from `seed`."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.traditional = opencc.OpenCC("s2t")

    def original(self) -> tuple[str, str]:
        """A new text and its kind: a function (`职能`) or an item name (`行政处罚`, the kind the
        reference corpus holds most of)."""
        pick = self.random.choice
        if self.random.random() < 0.2:
            template, violation, kind = pick(FUNCTION_TEMPLATES), "", FUNCTION_KIND
        else:
            template, violation, kind = pick(ITEM_TEMPLATES), pick(VIOLATIONS), "行政处罚"
        subject, other = pick(SUBJECTS), pick(SUBJECTS)
        return template.format(e=pick(ENTITIES), v=violation.format(s=subject), s=subject, s2=other), kind

    def mutated(self, text: str) -> str:
        """`text` with a few characters changed, a phrase reworded, or in traditional script."""
        roll = self.random.random()
        if roll < 0.15:
            return str(self.traditional.convert(text))
        if roll < 0.35:
            for old, new in self.random.sample(REWORDINGS, len(REWORDINGS)):
                if old in text:
                    return text.replace(old, new, 1)
        chars = list(text)
        for _ in range(self.random.randint(1, 3)):
            where = self.random.randrange(len(chars) + 1)
            kind = self.random.random()
            if kind < 0.4:
                chars.insert(where, self.random.choice(FILLERS))
            elif kind < 0.7 and len(chars) > 6:
                del chars[min(where, len(chars) - 1)]
            else:
                chars[min(where, len(chars) - 1)] = self.random.choice(FILLERS)
        return "".join(chars)


def make_texts(count: int, block_size: int, seed: int = 20240601) -> list[Text]:
    """`count` texts in blocks of `block_size`, 40 departments a block, with planted near-duplicates."""
    maker = TextMaker(seed)
    texts: list[Text] = []
    written: set[str] = set()  # a government lists an item once, unless it is planted again
    for number in range(count):
        block = f"government:{number // block_size:04d}"
        if number % block_size == 0:
            written.clear()
        group = f"department:{maker.random.randrange(40):02d}"
        earlier = texts[max(number - number % block_size, number - 50) : number]
        roll = maker.random.random()
        if earlier and roll < 0.05:
            source = maker.random.choice(earlier)
            text, kind = maker.mutated(source.text), source.kind
        elif earlier and roll < 0.07:
            source = maker.random.choice(earlier)
            text, kind = source.text, source.kind
        else:
            text, kind = maker.original()
            while text in written:
                text, kind = maker.original()
            written.add(text)
        texts.append(Text(f"item:{number:07d}", text, block, group, kind))
    maker.random.shuffle(texts)
    return texts


# --- the engines -------------------------------------------------------------------------------


def brute_force(texts: list[Text], threshold: float, idf: bool) -> dict[tuple[str, str], float]:
    """Every pair of every block and kind scored, the slow and obvious way."""
    found: dict[tuple[str, str], float] = {}
    for block in _blocks(texts).values():
        weight = idf_weights([t.text for t in block], block[0].kind) if idf else None
        sets = [frozenset(tokens(t.text)) for t in block]
        totals = [sum(weight[token] for token in s) if weight else len(s) for s in sets]
        for i, x in enumerate(block):
            set_x, total_x = sets[i], totals[i]
            for j in range(i + 1, len(block)):
                y = block[j]
                if x.group == y.group or not set_x or not sets[j]:
                    continue
                shared_set = set_x & sets[j]
                shared = sum(weight[token] for token in shared_set) if weight else len(shared_set)
                score = shared / (total_x + totals[j] - shared)  # sums of weights are exact
                if score >= threshold:
                    found[(x.id, y.id) if x.id < y.id else (y.id, x.id)] = round(score, 4)
    return found


def minhash_lsh(texts: list[Text], threshold: float) -> tuple[set[tuple[str, str]], int]:
    """datasketch's MinHash LSH, one index per block; the verified pairs and the candidate count."""
    from datasketch import MinHash, MinHashLSH

    found: set[tuple[str, str]] = set()
    candidates = 0
    for block in _blocks(texts).values():
        lsh = MinHashLSH(threshold=threshold, num_perm=128)
        sets = {t.id: set(tokens(t.text)) for t in block}
        group = {t.id: t.group for t in block}
        hashes = []
        for text in block:
            minhash = MinHash(num_perm=128)
            minhash.update_batch([token.encode("utf-8") for token in sets[text.id]])
            hashes.append((text.id, minhash))
        with lsh.insertion_session() as session:
            for key, minhash in hashes:
                session.insert(key, minhash)
        for key, minhash in hashes:
            for other in lsh.query(minhash):
                if other <= key or group[other] == group[key]:
                    continue
                candidates += 1
                set_x, set_y = sets[key], sets[other]
                if set_x and set_y and len(set_x & set_y) / len(set_x | set_y) >= threshold:
                    found.add((key, other))
    return found, candidates


def _blocks(texts: list[Text]) -> dict[tuple[str, str], list[Text]]:
    """The texts compared with each other: those of one block and kind."""
    blocks: dict[tuple[str, str], list[Text]] = defaultdict(list)
    for text in texts:
        blocks[(text.block, text.kind)].append(text)
    return blocks


def _keys(pairs: list[SimilarPair]) -> dict[tuple[str, str], float]:
    return {(pair.a, pair.b): pair.score for pair in pairs}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- one measurement, in its own process ---------------------------------------------------------


def measure(engine: str, size: int, block_size: int, threshold: float, check: bool) -> dict[str, object]:
    texts = make_texts(size, block_size)
    input_mb = _peak_mb()
    row: dict[str, object] = {"engine": engine, "size": size, "blocks": math.ceil(size / block_size)}
    if engine == "lsh":
        started, cpu = time.perf_counter(), time.process_time()
        found, candidates = minhash_lsh(texts, threshold)
        row["seconds"], row["cpu"] = time.perf_counter() - started, time.process_time() - cpu
        row["peak_mb"] = _peak_mb()
        exact = _keys(similar_pairs(texts, threshold, weights="none"))
        row["pairs"] = len(found)
        row["candidates"] = candidates
        row["recall"] = len(found & set(exact)) / len(exact) if exact else 1.0
    else:
        weights = "idf" if engine == "exact-idf" else "none"
        started, cpu = time.perf_counter(), time.process_time()
        pairs = similar_pairs(texts, threshold, weights=weights)
        row["seconds"], row["cpu"] = time.perf_counter() - started, time.process_time() - cpu
        row["pairs"] = len(pairs)
        row["peak_mb"] = _peak_mb()
        if check:
            truth = brute_force(texts, threshold, idf=weights == "idf")
            row["recall"] = len(set(truth) & set(_keys(pairs))) / len(truth) if truth else 1.0
            row["identical"] = _keys(pairs) == truth
    row["input_mb"] = input_mb
    row.setdefault("peak_mb", _peak_mb())
    return row


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--block-size", type=int, default=5_000, help="texts a block (a government)")
    parser.add_argument("--threshold", type=float, default=0.6)
    parser.add_argument("--lsh-up-to", type=int, default=100_000, help="largest N datasketch runs at")
    parser.add_argument("--lsh-at-every-size", action="store_true", help="run datasketch at every size")
    parser.add_argument("--no-lsh", action="store_true", help="skip datasketch")
    parser.add_argument("--one", nargs=2, metavar=("ENGINE", "N"), help=argparse.SUPPRESS)
    parser.add_argument("--check", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.one:
        engine, size = args.one[0], int(args.one[1])
        print(json.dumps(measure(engine, size, args.block_size, args.threshold, args.check)))
        return

    sizes = sorted(args.sizes)
    rows = []
    for size in sizes:
        engines = ["exact-idf", "exact-plain"]
        if not args.no_lsh and (args.lsh_at_every_size or size <= args.lsh_up_to):
            engines.append("lsh")
        for engine in engines:
            rows.append(measure_in_process(engine, size, args, check=size == sizes[0] and engine != "lsh"))
            _print_row(rows[-1])
    print()
    print(_markdown(rows, args.threshold, args.block_size))


def measure_in_process(engine: str, size: int, args: argparse.Namespace, check: bool) -> dict[str, object]:
    """`measure` in a fresh interpreter, so that its peak memory is its own."""
    command = [sys.executable, __file__, "--one", engine, str(size)]
    command += ["--block-size", str(args.block_size), "--threshold", str(args.threshold)]
    if check:
        command.append("--check")
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    row: dict[str, object] = json.loads(output.strip().splitlines()[-1])
    return row


def _print_row(row: dict[str, object]) -> None:
    recall = f"recall {row['recall']:.4f}" if "recall" in row else ""
    identical = f"same as brute force: {row['identical']}" if "identical" in row else ""
    print(
        f"{row['engine']:12} N={row['size']:>9,} {row['seconds']:8.2f} s (CPU {row['cpu']:.2f} s)"
        f"  peak {row['peak_mb']:7.0f} MB"
        f"  (input {row['input_mb']:.0f} MB)  pairs {row['pairs']:>9,}  {recall}  {identical}",
        flush=True,
    )


ENGINE_NAMES = {
    "exact-idf": "similar_pairs, IDF weights",
    "exact-plain": "similar_pairs, plain Jaccard",
    "lsh": "datasketch MinHash LSH (128 perm)",
}


def _markdown(rows: list[dict[str, object]], threshold: float, block_size: int) -> str:
    lines = [
        f"`python bench/similarity.py {' '.join(sys.argv[1:])}`".replace(" `", "`"),
        f"threshold {threshold}, blocks of {block_size:,} texts, 40 groups a block, one process a row;",
        "time is wall-clock time of the call (CPU time in brackets), input is the process before it.",
        "",
        "| engine | N | blocks | time (s) | peak RSS (MB) | input (MB) | pairs | recall |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        recall = f"{row['recall']:.4f}" if "recall" in row else "–"
        if row["engine"] == "lsh":
            recall += " (vs plain)"
        elif "identical" in row:
            recall += " (vs brute force)"
        lines.append(
            f"| {ENGINE_NAMES[str(row['engine'])]} | {row['size']:,} | {row['blocks']} "
            f"| {row['seconds']:.2f} ({row['cpu']:.2f}) | "
            f"{row['peak_mb']:.0f} | {row['input_mb']:.0f} | {row['pairs']:,} | {recall} |"
        )
    lines.append("")
    for engine, name in ENGINE_NAMES.items():
        measured = [r for r in rows if r["engine"] == engine]
        if len(measured) >= 2:
            wall = _slope([(float(str(r["size"])), float(str(r["seconds"]))) for r in measured])
            cpu = _slope([(float(str(r["size"])), float(str(r["cpu"]))) for r in measured])
            lines.append(f"Growth of {name}: CPU time ∝ N^{cpu:.2f} (wall-clock time ∝ N^{wall:.2f}).")
    return "\n".join(lines)


def _slope(points: list[tuple[float, float]]) -> float:
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(y) for _, y in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


if __name__ == "__main__":
    main()
