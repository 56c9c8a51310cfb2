"""生源所在地: GB/T 2260 region names and codes.

The table is python-stdnum's ``stdnum/cn/loc.dat`` (the codes with their
history); only names in use today are resolved. A name resolves to a
6-digit code and a level:

* ``province`` — 湖南省, 北京市 (a municipality is province-level);
* ``prefecture`` — 湖南省长沙市, 广东省东莞市 (a city without districts);
* ``county`` — 北京市海淀区, 湖北省仙桃市 (a county-level city the province
  administers directly), 湖南省长沙市岳麓区.

Whether a level is enough is the campaign's ``origin_level``; see
``Region.is_complete``. 港澳台 and abroad come from ``rules/regions.toml``.
"""

from __future__ import annotations

import difflib
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

from ..paths import RULES_DIR

Level = Literal["province", "prefecture", "county"]
MUNICIPALITIES = frozenset({"11", "12", "31", "50"})
# Codes that group things rather than name a place: 市辖区, 县, 省直辖县级行政单位.
_GROUP_NAMES = frozenset(
    {"市辖区", "县", "市", "省直辖县级行政单位", "自治区直辖县级行政单位", "省直辖行政单位"}
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
LEVEL_NAMES = {"province": "省一级", "prefecture": "市一级", "county": "县（区）一级"}


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    name: str  # its own name: 长沙市
    full_name: str  # 湖南省长沙市
    level: Level
    has_children: bool = False  # a prefecture with counties under it


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a 生源所在地 cell resolves to."""

    status: Literal["ok", "no_province", "unknown", "ambiguous", "special"]
    place: Place | None = None
    candidates: tuple[str, ...] = ()
    where: str = ""  # for special: 港澳台 or 国外


@dataclass(eq=False)  # hashed by identity: the resolver caches per table
class RegionTable:
    places: dict[str, Place] = field(default_factory=dict)
    by_full_name: dict[str, list[str]] = field(default_factory=dict)
    provinces: dict[str, str] = field(default_factory=dict)  # short or full name -> code2
    # within a province: name or short name of a prefecture / county -> codes
    prefectures: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    counties: dict[str, dict[str, list[str]]] = field(
        default_factory=dict
    )  # keyed by code4 or code2
    everywhere: dict[str, list[str]] = field(
        default_factory=dict
    )  # name/short -> codes, no province
    special: dict[str, str] = field(default_factory=dict)  # alias -> name
    abroad: tuple[str, ...] = ()

    # -- building --------------------------------------------------------
    def _add(self, index: dict[str, list[str]], key: str, code: str) -> None:
        codes = index.setdefault(key, [])
        if code not in codes:
            codes.append(code)

    # -- resolving -------------------------------------------------------
    def place(self, code: str) -> Place | None:
        return self.places.get(code)

    def resolve(self, text: str) -> Resolution:
        return _resolve_cached(self, _clean(text))

    def suggestions(self, text: str, n: int = 3) -> tuple[str, ...]:
        return _suggest_cached(self, _clean(text), n)


def _clean(text: str) -> str:
    s = unicodedata.normalize("NFKC", text)
    s = re.sub(r"\s+", "", s)
    for prefix in ("中华人民共和国", "中国"):
        if s.startswith(prefix) and len(s) > len(prefix) + 1:
            s = s[len(prefix) :]
    return s


def _short_forms(name: str, ethnic_names: tuple[str, ...]) -> list[str]:
    """长沙市 -> 长沙, 湘西土家族苗族自治州 -> 湘西; never shorter than two characters."""
    forms = []
    if name.endswith("自治州") or name.endswith("自治县") or name.endswith("自治旗"):
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
    for suffix in _SUFFIXES_PLACE:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            forms.append(name[: -len(suffix)])
            break
    return forms


def _province_short(name: str) -> str:
    if name == "内蒙古自治区":
        return "内蒙古"
    for suffix in _SUFFIXES_PROVINCE:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


@cache
def region_table() -> RegionTable:
    """The table of current region names, built once from python-stdnum's data."""
    from .codes import code_table

    ethnic = tuple(
        sorted(
            {n for c in code_table("ethnicity").codes for n in (c.name, *c.aliases)},
            key=len,
            reverse=True,
        )
    )
    text = resources.files("stdnum.cn").joinpath("loc.dat").read_text(encoding="utf-8")
    current: dict[str, str] = {}
    prov_names: dict[str, str] = {}
    province = ""
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        if not line.startswith(" "):
            province, rest = line.split(" ", 1)
            prov_names[province] = rest.split("=", 1)[1].strip('"')
            continue
        code4, rest = line.strip().split(" ", 1)
        for part in rest.split("=", 1)[1].strip('"').split(","):
            if part.startswith("["):
                span, name = part[1:].split("]", 1)
                if span.split("-")[1]:
                    continue  # no longer in use
            else:
                name = part
            current[province + code4] = name

    table = RegionTable()
    rules = tomllib.loads((RULES_DIR / "regions.toml").read_text(encoding="utf-8"))
    special_names = {
        code: aliases[1] if len(aliases) > 1 else aliases[0]
        for code, aliases in rules["special"].items()
    }
    for code, aliases in rules["special"].items():
        for alias in aliases:
            table.special[alias] = special_names[code]
    table.abroad = tuple(rules["abroad"]["keywords"]) + tuple(rules["abroad"]["countries"])

    for code2, pname in prov_names.items():
        code = code2 + "0000"
        if code in {c + "0000" for c in ("71", "81", "82")}:
            continue
        table.places[code] = Place(code, pname, pname, "province")
        table.by_full_name.setdefault(pname, []).append(code)
        table.provinces[pname] = code2
        table.provinces[_province_short(pname)] = code2
        table.prefectures[code2] = {}
        table.counties[code2] = {}

    # prefectures first, so counties can name their parent
    for code, name in current.items():
        code2, mid, tail = code[:2], code[2:4], code[4:]
        if code2 not in table.prefectures or tail != "00" or mid == "00":
            continue
        if name in _GROUP_NAMES or code2 in MUNICIPALITIES or mid == "90":
            continue
        pname = prov_names[code2]
        full = pname + name
        table.places[code] = Place(code, name, full, "prefecture")
        table._add(table.by_full_name, full, code)
        for key in (name, *_short_forms(name, ethnic)):
            table._add(table.prefectures[code2], key, code)
            table._add(table.everywhere, key, code)
        table.counties[code[:4]] = {}

    for code, name in current.items():
        code2, mid, tail = code[:2], code[2:4], code[4:]
        if code2 not in table.prefectures or tail == "00" or name in _GROUP_NAMES:
            continue
        pname = prov_names[code2]
        parent = table.places.get(code[:4] + "00")
        if parent is not None:
            full = parent.full_name + name
            table.places[parent.code] = Place(
                parent.code, parent.name, parent.full_name, "prefecture", has_children=True
            )
            scope = table.counties[code[:4]]
        else:
            # a municipality's district or county, or a county-level city the province
            # administers directly (XX90YY): the province is its parent
            full = pname + name
            scope = table.counties[code2]
        table.places[code] = Place(code, name, full, "county")
        table._add(table.by_full_name, full, code)
        for key in (name, *_short_forms(name, ethnic)):
            table._add(scope, key, code)
            if scope is not table.counties[code2]:
                table._add(table.counties[code2], key, code)  # 湖南省浏阳市
            table._add(table.everywhere, key, code)
    return table


def _match_prefix(
    text: str, names: dict[str, list[str]] | dict[str, str]
) -> tuple[str, str] | None:
    """The longest name in ``names`` that starts ``text``: (name, rest)."""
    best = None
    for i in range(min(len(text), 12), 1, -1):
        if text[:i] in names:
            best = (text[:i], text[i:])
            break
    return best


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
        place = table.places.get(s)
        return Resolution("ok", place) if place else Resolution("unknown")

    exact = table.by_full_name.get(s)
    if exact and len(exact) == 1:
        return Resolution("ok", table.places[exact[0]])

    hit = _match_prefix(s, table.provinces)
    if hit:
        code2 = table.provinces[hit[0]]
        rest = hit[1]
        province = table.places[code2 + "0000"]
        if not rest:
            return Resolution("ok", province)
        within = _resolve_within(table, province, rest)
        if within.status != "unknown":
            return within
        # 吉林市: 吉林 is a province's short name too
    return _resolve_without_province(table, s)


def _resolve_without_province(table: RegionTable, s: str) -> Resolution:
    """A prefecture or county written without its province."""
    hit = _match_prefix(s, table.everywhere)
    if hit:
        codes = table.everywhere[hit[0]]
        prefecture_codes = [c for c in codes if table.places[c].level == "prefecture"]
        codes = prefecture_codes or codes
        if len(codes) > 1:
            return Resolution(
                "ambiguous", candidates=tuple(table.places[c].full_name for c in codes[:5])
            )
        place = table.places[codes[0]]
        if hit[1] and place.level == "prefecture":
            inner = _match_prefix(hit[1], table.counties.get(place.code[:4], {}))
            if inner and len(table.counties[place.code[:4]][inner[0]]) == 1:
                place = table.places[table.counties[place.code[:4]][inner[0]][0]]
        return Resolution("no_province", place)
    return Resolution("unknown")


def _resolve_within(table: RegionTable, province: Place, rest: str) -> Resolution:
    code2 = province.code[:2]
    hit = _match_prefix(rest, table.prefectures[code2])
    county_hit = _match_prefix(rest, table.counties[code2])
    if hit and county_hit and len(county_hit[1]) < len(hit[1]):
        hit = None  # 湖南省长沙县: the county's name is the longer match
    if hit:
        codes = table.prefectures[code2][hit[0]]
        prefecture = table.places[codes[0]]
        tail = hit[1]
        if tail:
            inner = _match_prefix(tail, table.counties.get(prefecture.code[:4], {}))
            if inner:
                return Resolution(
                    "ok", table.places[table.counties[prefecture.code[:4]][inner[0]][0]]
                )
        # a finer place we do not list (a town, an address): the prefecture is enough
        return Resolution("ok", prefecture)
    hit = county_hit
    if hit:
        codes = table.counties[code2][hit[0]]
        if len(codes) > 1:
            return Resolution(
                "ambiguous", candidates=tuple(table.places[c].full_name for c in codes[:5])
            )
        return Resolution("ok", table.places[codes[0]])
    return Resolution("unknown")


@lru_cache(maxsize=2048)
def _suggest_cached(table: RegionTable, s: str, n: int) -> tuple[str, ...]:
    names = [p.full_name for p in table.places.values() if p.level != "province"]
    hits = difflib.get_close_matches(s, names, n=n, cutoff=0.5)
    if not hits:
        # the text may start with a valid province: suggest its cities
        hit = _match_prefix(s, table.provinces)
        if hit:
            code2 = table.provinces[hit[0]]
            hits = [
                p.full_name
                for p in table.places.values()
                if p.code[:2] == code2 and p.level != "province"
            ][:n]
    return tuple(hits)


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
