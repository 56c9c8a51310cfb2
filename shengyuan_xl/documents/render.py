"""Render a docxtpl template: autoescaped, every variable checked, cell properties in order.

* ``autoescape``: without it a ``<`` or ``&`` in a name silently cuts the text;
* every variable the template uses must be in the context, and jinja's
  ``StrictUndefined`` makes a misspelt attribute an error when the document
  is made, not a blank on paper;
* docxtpl's ``{% vm %}`` appends ``<w:vMerge>`` at the end of the cell's
  properties; the schema wants it before borders, shading and vertical
  alignment, and Word can refuse a file that breaks the order, so the
  children of every ``<w:tcPr>`` are put back in schema order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateError

from ..adapters.atomic_file import write_atomically
from ..errors import ShengyuanError

# ECMA-376 §17.4.70 (CT_TcPr): the order of a table cell's properties
_TCPR_ORDER = [
    qn(f"w:{name}")
    for name in (
        "cnfStyle",
        "tcW",
        "gridSpan",
        "hMerge",
        "vMerge",
        "tcBorders",
        "shd",
        "noWrap",
        "tcMar",
        "textDirection",
        "tcFitText",
        "vAlign",
        "hideMark",
        "headers",
        "cellIns",
        "cellDel",
        "cellMerge",
        "tcPrChange",
    )
]


class TemplateProblem(ShengyuanError):
    """A template that cannot be filled: a missing variable, broken template syntax."""


def render(template: Path, context: dict[str, Any], out: Path) -> Path:
    if not template.exists():
        raise TemplateProblem(f"找不到模板：{template}")
    tpl = DocxTemplate(template)
    env = Environment(undefined=StrictUndefined, autoescape=True)
    try:
        wanted = tpl.get_undeclared_template_variables(env)
    except TemplateError as exc:
        raise TemplateProblem(f"模板 {template.name} 的标记有误：{exc}") from None
    missing = sorted(wanted - set(context))
    if missing:
        raise TemplateProblem(
            f"模板 {template.name} 用到了程序没有提供的变量：{'、'.join(missing)}"
        )
    try:
        tpl.render(context, jinja_env=env, autoescape=True)
    except TemplateError as exc:
        raise TemplateProblem(f"模板 {template.name} 无法填写：{exc}") from None
    _order_cell_properties(tpl.docx.element.body)
    return write_atomically(out, tpl.save)


def _order_cell_properties(body: Any) -> None:
    rank = {tag: i for i, tag in enumerate(_TCPR_ORDER)}
    for tcpr in body.iter(qn("w:tcPr")):
        children = list(tcpr)
        ordered = sorted(children, key=lambda el: rank.get(el.tag, len(rank)))
        if ordered != children:
            for el in children:
                tcpr.remove(el)
            tcpr.extend(ordered)
