"""The catalogue of findings: every code a check can produce, as data.

Codes are stable (tools read them from the JSON report); the texts are what a
counsellor reads: what is wrong, then how to fix it. ``docs/findings.md`` is
generated from this table (``shengyuan codes``), and a test fails when a
check uses a code that is not here.
"""

from __future__ import annotations

from .finding_kinds import FindingType, Severity

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

_TYPES = (
    # -- the header row ---------------------------------------------------
    FindingType(
        "column-missing",
        E,
        "缺少必填列",
        "表头中没有“{field}”列",
        "在表头加上“{field}”列{also}，并为每个学生填写",
    ),
    FindingType(
        "column-duplicate",
        W,
        "列重复",
        "“{field}”列出现了两次（第 {first} 列和第 {second} 列），只校验第一列",
        "删除多余的一列，或把它改成别的列名",
    ),
    FindingType(
        "identity-sheet-visible",
        W,
        "身份信息表可见",
        "隐藏的身份信息表“{field}”变成了可见的（如用 LibreOffice 另存过）：它记录本工作簿是哪次生成的，改动后无法合并",
        "不要修改这张表；右键工作表标签选“隐藏”即可，合并不受影响",
    ),
    # -- Excel's data-loss habits, caught at the edge ---------------------
    FindingType(
        "excel-number-lost-digits",
        E,
        "长数字存成了数值",
        "{field}存成了数值，Excel 只保留 15 位有效数字，后面几位已经丢失（现在是 {value}）",
        "先把该列设为“文本”格式，再按原件重新输入完整号码（或在号码前加英文单引号 '）",
    ),
    FindingType(
        "excel-number-stored",
        W,
        "号码存成了数值",
        "{field}存成了数值，开头的 0 会丢失，也可能被显示成科学计数法",
        "把该列设为“文本”格式后重新输入并核对：{fixed}",
    ),
    FindingType(
        "excel-number-format",
        INFO,
        "号码存成了数值",
        "{field}存成了数值（{fixed}），号码本身没有丢失",
        "建议把该列设为“文本”格式，以免以后被改成科学计数法",
    ),
    FindingType(
        "excel-fullwidth",
        E,
        "全角字符",
        "{field}中有全角字符 {chars}（“{value}”），上报系统时会出错",
        "改为半角：{fixed}",
    ),
    FindingType(
        "excel-stray-space",
        W,
        "多余的空格",
        "{field}前后或中间有多余的空格或换行",
        "改为：{fixed}",
    ),
    FindingType(
        "excel-lowercase-x",
        W,
        "身份证号末位小写 x",
        "身份证号末位是小写 x",
        "改为大写 X：{fixed}",
    ),
    FindingType(
        "excel-formula",
        E,
        "数据单元格中是公式",
        "{field}单元格里是公式（{formula}），不是数据；复制或上报时会变成别的值",
        "复制该单元格，用“选择性粘贴 → 数值”粘回原处",
    ),
    FindingType(
        "excel-error-value",
        E,
        "Excel 错误值",
        "{field}是 Excel 的错误值 {value}",
        "重新输入正确的{field}",
    ),
    FindingType(
        "excel-date-serial",
        INFO,
        "日期序号",
        "{field}是 Excel 的日期序号 {value}，已按 {fixed} 理解",
        "如不对，请把该列设为“文本”后输入年月，如 {fixed}",
    ),
    FindingType(
        "excel-scientific",
        E,
        "号码成了科学计数法",
        "{field}是科学计数法 {value}：它曾被 Excel 当成数值，只剩前几位有效数字，后面的数字已经丢失",
        "把该列设为“文本”格式，再按原件（学籍系统、身份证或学生本人）重新输入完整号码；"
        "丢失的数字无法从这个文件里找回",
    ),
    FindingType(
        "date-impossible",
        E,
        "日期不存在",
        "{field}“{value}”不是存在的日期（如 9 月没有 31 日，没有 13 月）",
        "按学籍写成存在的年月，如 2018-09",
    ),
    FindingType(
        "text-invisible-char",
        E,
        "不可见字符或表情符号",
        "{field}中有看不见的字符或表情符号（{chars}），看起来一样的内容会对不上，上报和导出时也会出错",
        "删除这些字符（常见于从网页、微信或其他系统复制的内容），改为：{fixed}",
    ),
    # -- required ---------------------------------------------------------
    FindingType(
        "required-missing",
        E,
        "必填项为空",
        "{field}没有填",
        "请补上{field}（由{editor}填写）",
    ),
    # -- 姓名 --------------------------------------------------------------
    FindingType(
        "name-invalid",
        E,
        "姓名含数字或符号",
        "姓名中有数字或符号（{chars}）",
        "按身份证上的姓名填写",
    ),
    FindingType(
        "name-space",
        E,
        "姓名中有空格",
        "姓名中间有空格（半角或全角），上报系统后与身份证上的姓名对不上",
        "去掉空格：{fixed}",
    ),
    FindingType(
        "name-latin",
        E,
        "汉字姓名中夹有字母",
        "姓名中有汉字也有拉丁字母（{chars}），不是身份证上的写法",
        "按身份证上的姓名填写，如：{fixed}（外国留学生的姓名可以全部是字母）",
    ),
    FindingType(
        "name-dot",
        W,
        "姓名间隔号",
        "姓名中的间隔号写成了“{dot}”",
        "少数民族姓名的间隔号请用“·”：{fixed}",
    ),
    # -- 身份证号 ----------------------------------------------------------
    FindingType(
        "id-length",
        E,
        "身份证号位数不对",
        "身份证号应为 18 位，现在是 {length} 位",
        "{hint}",
    ),
    FindingType(
        "id-format",
        E,
        "身份证号含非法字符",
        "身份证号只能是数字，最后一位可以是 X",
        "对照身份证原件重新输入",
    ),
    FindingType(
        "id-check-digit",
        E,
        "身份证号校验位不对",
        "身份证号校验位不对（按前 17 位算应为 {expected}），号码中有数字输错了",
        "对照身份证原件逐位核对",
    ),
    FindingType(
        "id-birth-date",
        E,
        "身份证号出生日期不存在",
        "身份证号中的出生日期 {birth} 不存在",
        "对照身份证原件核对第 7–14 位",
    ),
    FindingType(
        "id-birth-future",
        E,
        "身份证号出生日期在未来",
        "身份证号中的出生日期 {birth} 晚于{latest}，不可能是本届毕业生的出生日期",
        "对照身份证原件核对第 7–14 位（出生年月日）",
    ),
    FindingType(
        "id-age-unusual",
        W,
        "毕业时年龄异常",
        "按身份证号中的出生日期 {birth}，该生 {cohort}届毕业时 {age} 岁，不在常见的 {low}–{high} 岁之间",
        "对照身份证原件核对第 7–14 位（出生年月日）；号码确实如此就不用改",
    ),
    FindingType(
        "id-age-impossible",
        E,
        "毕业时年龄不可能",
        "按身份证号中的出生日期 {birth}，该生 {cohort}届毕业时 {age} 岁：本科毕业生不可能是这个年龄"
        "（界线 {low}–{high} 岁：有记录的最年轻的本科毕业生 13 岁）",
        "对照身份证原件核对第 7–14 位（出生年月日）",
    ),
    FindingType(
        "id-province-unknown",
        E,
        "身份证号省份代码不存在",
        "身份证号前两位 {province} 不是任何省级行政区的代码，号码有误",
        "对照身份证原件核对前 6 位（前两位是省份，如湖南 43、北京 11）",
    ),
    FindingType(
        "id-area-unknown",
        W,
        "身份证号地区码未知",
        "身份证号前 6 位 {area} 在 {year} 年不是已知的行政区划代码",
        "对照身份证原件核对前 6 位；号码确实如此就不用改",
    ),
    FindingType(
        "id-gender-mismatch",
        E,
        "性别与身份证号不符",
        "性别“{value}”与身份证号不符（身份证号第 17 位表示{expected}）",
        "核对性别和身份证号，改正错的一项",
    ),
    # -- 学籍 compared with the central database (the 校验 button, with the college's token)
    FindingType(
        "enrolment-differs",
        W,
        "与校库不同",
        "{field}与校库不同：校库中是“{office}”",
        "是真实的更正就保留（提交后由校库采用）；是误改的，改回“{office}”",
    ),
    # -- 所在院系 ----------------------------------------------------------
    FindingType(
        "college-other",
        E,
        "不是本学院的学生",
        "该生的所在院系是“{value}”，不是本工作簿的学院“{college}”（{source}）",
        "学生在学院之间的调整只能由{office}办理：该生确属“{value}”的，请联系{office}；"
        "是填错了的，改回“{college}”",
    ),
    FindingType(
        "college-mixed",
        W,
        "几个学院的学生人数一样多",
        "工作簿中几个学院的学生人数一样多（{colleges}），分不出这是哪个学院的工作簿",
        "一个学院一个工作簿：核对所在院系，不是本学院的学生请联系{office}调整",
    ),
    # -- 生源所在地 --------------------------------------------------------
    FindingType(
        "origin-unknown",
        E,
        "生源所在地无法识别",
        "生源所在地“{value}”不是已知的地名",
        "写成完整的行政区划名称，如：{candidates}",
    ),
    FindingType(
        "origin-part-unknown",
        E,
        "生源所在地有不存在的地名",
        "{where}下没有“{part}”这个地方",
        "改为{where}下真实的地名，如：{candidates}",
    ),
    FindingType(
        "origin-wrong-place",
        E,
        "生源所在地的区县不在该市",
        "“{part}”属于{owner}，不在{where}",
        "如果是{owner}的{part}，写作：{fixed}；如果确实在{where}，改写成{where}下真实的地名",
    ),
    FindingType(
        "origin-former-name",
        E,
        "生源所在地是旧地名",
        "生源所在地中的“{part}”是旧地名（{change}），上报系统只认现行的行政区划",
        "改为现在的名称：{current}",
    ),
    FindingType(
        "origin-extra-text",
        E,
        "生源所在地多了文字",
        "生源所在地在“{where}”之后还有“{part}”，它不是行政区划名称",
        "生源所在地只写行政区划，不写乡镇、街道、门牌等：{where}",
    ),
    FindingType(
        "origin-too-coarse",
        E,
        "生源所在地不够具体",
        "生源所在地只写到了{level}（{value}），需要写到{required}",
        "{example}",
    ),
    FindingType(
        "origin-no-province",
        W,
        "生源所在地缺省份",
        "生源所在地没有写省份",
        "写成完整名称：{fixed}",
    ),
    FindingType(
        "origin-ambiguous",
        E,
        "生源所在地有同名",
        "“{value}”有多个同名的地方",
        "写明省份和城市，如：{candidates}",
    ),
    FindingType(
        "origin-special",
        INFO,
        "生源所在地为港澳台或国外",
        "生源所在地为{where}（{value}），不按行政区划层级校验",
        "",
    ),
    # -- 培养方式、师范生类别、定向委培单位 ---------------------------------
    FindingType(
        "code-invalid",
        E,
        "不是可选的值",
        "{field}“{value}”不是可选的值{meaning}",
        "{fix}请从下拉列表中选择：{choices}",
    ),
    FindingType(
        "funded-teacher-not-directed",
        E,
        "免费师范生应为定向",
        "师范生类别为免费师范生，培养方式却是“{value}”",
        "公费定向培养师范生的培养方式应为“定向”",
    ),
    FindingType(
        "directed-not-funded",
        W,
        "定向但不是免费师范生",
        "培养方式为定向，但师范生类别是“{category}”",
        "只有“吐鲁番对口援疆定向招生计划”的学生可以这样，请确认；不是该计划的学生请改为非定向",
    ),
    FindingType(
        "teacher-category-teacher-major",
        E,
        "师范专业的师范生类别",
        "所在专业“{major}”是师范专业，师范生类别不应为“{value}”",
        "公费定向培养师范生填免费师范生，其他学生填普通师范生",
    ),
    FindingType(
        "teacher-category-other-major",
        E,
        "非师范专业的师范生类别",
        "所在专业“{major}”不是师范专业，师范生类别不应为“{value}”",
        "非师范专业填非师范生；如果该专业其实是师范专业，请招生就业处在规则文件中登记",
    ),
    FindingType(
        "directed-unit-missing",
        E,
        "缺定向委培单位",
        "培养方式为{mode}，{what}",
        "填写录取时确定的定向委培单位",
    ),
    FindingType(
        "training-mode-unusual",
        W,
        "培养方式少见",
        "培养方式“{value}”：通知规定本校本科生一般为非定向，公费定向培养师范生和吐鲁番对口援疆定向招生计划的毕业生为定向",
        "按高考录取时的实际情况填写；确为{value}的，请与招生就业处确认",
    ),
    FindingType(
        "directed-unit-unexpected",
        W,
        "非定向却有定向单位",
        "培养方式为非定向，却填了定向委培单位“{value}”",
        "非定向学生请清空定向委培单位；确是定向生请把培养方式改为定向",
    ),
    # -- 联系方式 ----------------------------------------------------------
    FindingType(
        "qq-format",
        E,
        "QQ号码不是纯数字",
        "QQ号码“{value}”不对：只能是 5–11 位数字，不以 0 开头",
        "{hint}",
    ),
    FindingType(
        "mobile-format",
        E,
        "手机号码不对",
        "手机号码“{value}”不是 11 位、以 1 开头的手机号",
        "填写本人常用的 11 位手机号码，不加区号和分隔符",
    ),
    FindingType(
        "mobile-prefix",
        W,
        "手机号码带区号或分隔符",
        "手机号码“{value}”带了国家区号或分隔符",
        "改为：{fixed}",
    ),
    FindingType(
        "email-format",
        E,
        "电子邮箱格式不对",
        "电子邮箱“{value}”格式不对",
        "写成 zhangsan@163.com 这样的地址，@ 和 . 用半角",
    ),
    # -- 学制、入学时间、毕业时间 ------------------------------------------
    FindingType(
        "years-format",
        E,
        "学制不对",
        "学制“{value}”应为 2–8 的整数年数",
        "填写数字，如 4",
    ),
    FindingType(
        "month-format",
        E,
        "年月无法识别",
        "{field}“{value}”不是可识别的年月",
        "写成 2018-09 这样的年月",
    ),
    FindingType(
        "graduates-not-cohort",
        E,
        "不属于本届",
        "毕业时间 {graduates} 不在 {cohort} 年内，不属于 {cohort}届",
        "核对毕业时间；不属于本届的学生请把状态改为“退出”并写明原因，不要删除行",
    ),
    FindingType(
        "graduates-late",
        W,
        "毕业晚于学制",
        "入学 {enrolled}、学制 {years} 年，应在 {expected} 年毕业，毕业时间却是 {graduates}",
        "留级、休学后复学的学生属于这种情况，请确认；否则请核对入学时间和学制",
    ),
    FindingType(
        "graduates-too-early",
        E,
        "毕业比学制早一年以上",
        "入学 {enrolled}、学制 {years} 年，应在 {expected} 年毕业，毕业时间却是 {graduates}："
        "提前毕业最多提前一年，早一年以上不可能",
        "核对入学时间、学制和毕业时间，改正错的一项",
    ),
    FindingType(
        "graduates-early",
        W,
        "毕业早于学制",
        "入学 {enrolled}、学制 {years} 年，应在 {expected} 年毕业，毕业时间却是 {graduates}",
        "提前毕业的学生属于这种情况，请确认；否则请核对入学时间和学制",
    ),
    FindingType(
        "enrolled-after-graduates",
        E,
        "入学晚于毕业",
        "入学时间 {enrolled} 晚于毕业时间 {graduates}",
        "核对入学时间和毕业时间",
    ),
    # -- 学院的核对标记 ----------------------------------------------------
    FindingType(
        "withdrawal-reason-missing",
        E,
        "退出缺原因",
        "状态为“{value}”，没有写退出原因",
        "在“退出原因”中写明，如：2021年3月起休学一年",
    ),
    FindingType(
        "review-reason-missing",
        E,
        "不通过缺原因",
        "学院审核为不通过，没有写不通过原因",
        "在“不通过原因”中写明，学生会据此修改后重新提交",
    ),
    # -- 重复 --------------------------------------------------------------
    FindingType(
        "duplicate-student-no",
        E,
        "学号重复",
        "学号 {value} 与“{other_sheet}”第 {other_row} 行（{other_name}）重复",
        "核对学号；同一个学生只保留一行",
    ),
    FindingType(
        "duplicate-id-number",
        E,
        "身份证号重复",
        "身份证号与“{other_sheet}”第 {other_row} 行（{other_name}）重复",
        "核对身份证号；同一个学生只保留一行",
    ),
)

CATALOGUE: dict[str, FindingType] = {t.code: t for t in _TYPES}
assert len(CATALOGUE) == len(_TYPES), "duplicate finding code"


def reference_markdown() -> str:
    """The reference page of all finding codes (docs/findings.md)."""
    lines = [
        "# 问题代码一览",
        "",
        "由 `shengyuan codes` 从 `shengyuan_xl/core/catalogue.py` 生成，请勿手改。",
        "",
        "| 代码 | 级别 | 问题 | 说明 | 建议 |",
        "|---|---|---|---|---|",
    ]
    for t in _TYPES:
        lines.append(
            f"| `{t.code}` | {t.severity.label} | {t.title} | {t.message} | {t.suggestion} |"
        )
    return "\n".join(lines) + "\n"
