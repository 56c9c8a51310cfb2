"""Whole procedures out of VBA modules: what the macro workbook keeps of xlwings' VBA client.

The college workbook's buttons use one thing of xlwings' VBA code: the remote call
(``RunServerPython``), with VBA-Web sending the request. The modules it lives in also
hold the code that starts a local Python, reads and deletes files, runs shell commands
and declares DLL functions: what mail filters and antivirus look for. This module cuts
a module's source into its parts, so the build keeps only the procedures the remote
call needs, each exactly as the package ships it:

* the **header** (a class's ``VERSION``/``BEGIN``/``END`` block, the ``Attribute VB_``
  lines), always kept;
* the **declarations** (``Const``, ``Declare``, variables, ``Type`` and ``Enum`` blocks),
  each kept when a kept procedure (or another kept declaration) names it;
* the **procedures** (``Sub``, ``Function``, ``Property Get/Let/Set``), kept or dropped
  whole, by name;
* the module's first comment block (its notice, its licence), ``Option`` and ``#Const``
  lines, always kept; every other comment goes with the piece it comes before;
* the ``#If``/``#ElseIf``/``#Else``/``#End If`` lines, around declarations or procedures:
  a block is kept, all its #-lines, when it still holds a kept piece, else dropped whole.

What is written is the module's own lines, in its order, nothing changed or added (but
the stand-ins, at the end).

Which names a piece of code uses is read from the code VBA compiles on Windows (Excel
2016/2019, 32 or 64 bit, and VBA6): an ``#If Mac`` branch is not compiled there, so what
only a Mac branch calls is not kept, and the trimmed project compiles on Windows only.
Names are matched without types (``x.Execute`` keeps every ``Execute``), and without
case, as VBA does: more is kept than strictly needed, never less.

A **stand-in** is a procedure of ours put in a module in place of the package's
procedure of the same name, for a kept procedure that calls it where the package's
would bring in what the workbook must not carry (see ``addin/vba/README.md``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

NEWLINE = "\r\n"

# Windows configurations the project must compile in (Win32 is True on 64-bit Windows too)
WINDOWS = (
    {"mac": False, "win16": False, "win32": True, "win64": True, "vba6": True, "vba7": True},
    {"mac": False, "win16": False, "win32": True, "win64": False, "vba6": True, "vba7": True},
    {"mac": False, "win16": False, "win32": True, "win64": False, "vba6": True, "vba7": False},
)

_PROC_START = re.compile(
    r"^\s*(?:(?:Public|Private|Friend)\s+)?(?:Static\s+)?"
    r"(Sub|Function|Property\s+(?:Get|Let|Set))\s+(\w+)",
    re.IGNORECASE,
)
_PROC_END = re.compile(r"^\s*End\s+(Sub|Function|Property)\b", re.IGNORECASE)
_DIRECTIVE = re.compile(r"^\s*#(If|ElseIf|Else|End\s*If|Const)\b", re.IGNORECASE)
_BLOCK_START = re.compile(r"^\s*(?:(?:Public|Private)\s+)?(Type|Enum)\s+(\w+)", re.IGNORECASE)
_BLOCK_END = re.compile(r"^\s*End\s+(Type|Enum)\b", re.IGNORECASE)
_DECLARE = re.compile(
    r"^\s*(?:(?:Public|Private)\s+)?Declare\s+(?:PtrSafe\s+)?(?:Sub|Function)\s+(\w+)",
    re.IGNORECASE,
)
_CONST = re.compile(r"^\s*(?:(?:Public|Private|Global)\s+)?Const\s+(.*)$", re.IGNORECASE)
_VARIABLE = re.compile(
    r"^\s*(?:Public|Private|Dim|Global|Friend)\s+(?:WithEvents\s+)?(.*)$", re.IGNORECASE
)
_EVENT = re.compile(r"^\s*(?:Public\s+)?Event\s+(\w+)", re.IGNORECASE)
_ALWAYS = re.compile(r"^\s*(?:Option\s|Attribute\s|Implements\s|Def\w+\s)", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"^\s*Attribute\s", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z_]\w*")
_IMPLICIT = ("class_initialize", "class_terminate")  # a class's event procedures


class VbaSourceError(ValueError):
    """A module the trimmer cannot cut (a shape of VBA source it does not know)."""


def _is_comment(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("'") or stripped.lower().startswith("rem ")


def _code_part(line: str, strings: bool = False) -> str:
    """The line without its comment, and without its string literals unless ``strings``."""
    out = []
    in_string = False
    for ch in line:
        if ch == '"':
            in_string = not in_string
            out.append(ch if strings else " ")
        elif in_string:
            out.append(ch if strings else " ")
        elif ch == "'":
            break
        else:
            out.append(ch)
    code = "".join(out)
    if re.match(r"^\s*Rem\b", code, re.IGNORECASE):
        return ""
    return code


def _code_texts(lines: list[str]) -> list[str]:
    """Each line's code (``_code_part``); a comment that ends in ' _' goes on, so the line
    after it is comment too."""
    out = []
    continued = False
    for line in lines:
        code = "" if continued else _code_part(line)
        comment = continued or len(code.rstrip()) < len(line.rstrip()) and "'" in line
        continued = comment and line.rstrip().endswith(" _")
        out.append(code)
    return out


def _logical_lines(lines: list[str], start: int, stop: int) -> list[tuple[int, int]]:
    """[first, last] physical line pairs of the logical lines (a trailing ' _' continues)."""
    out = []
    i = start
    while i < stop:
        j = i
        while j + 1 < stop and (lines[j].rstrip().endswith(" _") or lines[j].strip() == "_"):
            j += 1
        out.append((i, j))
        i = j + 1
    return out


# -- conditional compilation -----------------------------------------------------------------

_CC_TOKEN = re.compile(r'\s*(?:(\d+)|"([^"]*)"|([A-Za-z_]\w*)|(<>|<=|>=|[=<>()]))')


def cc_value(expression: str, constants: Mapping[str, object]) -> object:
    """The value of a conditional-compilation expression (``Mac Or Not X``, ``App = "..."``);
    an undefined constant is Empty (False)."""
    tokens: list[tuple[str, object]] = []
    pos = 0
    text = expression.strip()
    while pos < len(text):
        found = _CC_TOKEN.match(text, pos)
        if found is None or found.end() == pos:
            raise VbaSourceError(f"cannot read the #If expression {expression!r}")
        number, string, word, op = found.groups()
        if number is not None:
            tokens.append(("value", int(number)))
        elif string is not None:
            tokens.append(("value", string))
        elif word is not None:
            lowered = word.lower()
            if lowered in ("and", "or", "not", "xor"):
                tokens.append(("op", lowered))
            elif lowered == "true":
                tokens.append(("value", True))
            elif lowered == "false":
                tokens.append(("value", False))
            else:
                tokens.append(("value", constants.get(lowered, False)))
        else:
            tokens.append(("op", op))
        pos = found.end()
    tokens.append(("end", None))
    index = 0

    def peek() -> tuple[str, object]:
        return tokens[index]

    def take() -> tuple[str, object]:
        nonlocal index
        index += 1
        return tokens[index - 1]

    def disjunction() -> object:
        value = conjunction()
        while peek() in (("op", "or"), ("op", "xor")):
            op = take()[1]
            right = conjunction()
            value = (bool(value) or bool(right)) if op == "or" else (bool(value) != bool(right))
        return value

    def conjunction() -> object:
        value = negation()
        while peek() == ("op", "and"):
            take()
            right = negation()
            value = bool(value) and bool(right)
        return value

    def negation() -> object:
        if peek() == ("op", "not"):
            take()
            return not bool(negation())
        return comparison()

    def comparison() -> object:
        value = primary()
        if peek()[0] == "op" and peek()[1] in ("=", "<>", "<", ">", "<=", ">="):
            op = take()[1]
            right = primary()
            if isinstance(value, bool) or isinstance(right, bool):
                value, right = bool(value), bool(right)
            table = {
                "=": value == right,
                "<>": value != right,
                "<": value < right,  # type: ignore[operator]
                ">": value > right,  # type: ignore[operator]
                "<=": value <= right,  # type: ignore[operator]
                ">=": value >= right,  # type: ignore[operator]
            }
            return table[str(op)]
        return value

    def primary() -> object:
        kind, value = take()
        if (kind, value) == ("op", "("):
            inner = disjunction()
            if take() != ("op", ")"):
                raise VbaSourceError(f"cannot read the #If expression {expression!r}")
            return inner
        if kind != "value":
            raise VbaSourceError(f"cannot read the #If expression {expression!r}")
        return value

    result = disjunction()
    if peek()[0] != "end":
        raise VbaSourceError(f"cannot read the #If expression {expression!r}")
    return result


def _directive(line: str) -> tuple[str, str] | None:
    """('if'|'elseif'|'else'|'endif'|'const', rest) for a directive line."""
    found = _DIRECTIVE.match(line)
    if found is None:
        return None
    kind = re.sub(r"\s+", "", found.group(1)).lower()
    rest = _code_part(line[found.end() :], strings=True).strip()
    if kind in ("if", "elseif"):
        rest = re.sub(r"\s+Then\s*$", "", rest, flags=re.IGNORECASE)
    return kind, rest


def active_lines(lines: list[str], platform: Mapping[str, object]) -> list[bool]:
    """Which lines VBA compiles under ``platform`` (the module's own #Const included)."""
    constants: dict[str, object] = dict(platform)
    # an #If frame: (enclosing active, this branch active, a branch already taken)
    stack: list[tuple[bool, bool, bool]] = []
    active = True
    out = []
    for number, line in enumerate(lines):
        directive = _directive(line)
        if directive is None:
            out.append(active)
            continue
        kind, rest = directive
        out.append(False)  # the directive itself is not code
        if kind == "const":
            if active:
                name, _, value = rest.partition("=")
                constants[name.strip().lower()] = cc_value(value, constants)
        elif kind == "if":
            taken = active and bool(cc_value(rest, constants))
            stack.append((active, taken, taken))
            active = taken
        elif kind in ("elseif", "else"):
            if not stack:
                raise VbaSourceError(f"line {number + 1}: #{kind} without #If")
            outer, _branch, done = stack[-1]
            taken = outer and not done and (kind == "else" or bool(cc_value(rest, constants)))
            stack[-1] = (outer, taken, done or taken)
            active = taken
        else:  # endif
            if not stack:
                raise VbaSourceError(f"line {number + 1}: #End If without #If")
            active = stack.pop()[0]
    if stack:
        raise VbaSourceError("an #If without its #End If")
    return out


# -- the parts of a module -------------------------------------------------------------------


@dataclass(frozen=True)
class Procedure:
    name: str
    kind: str  # Sub, Function, Property Get, ...
    start: int  # its first line: the signature (or an #If line before alternative signatures)
    end: int  # its End line


@dataclass
class Item:
    """A piece of a module after its header: a procedure, a declaration, an #-line, or the
    module's first comment block; each with the comment lines just before it."""

    kind: str  # "procedure", "declaration", "directive", "notice"
    names: frozenset[str]  # lower case: what it declares; for a directive, its kind
    lines: list[int]  # its own lines, the comments before it included
    procedure: Procedure | None = None


@dataclass
class ParsedModule:
    name: str
    lines: list[str]
    header_end: int  # lines[:header_end] are the header
    items: list[Item]
    _masks: list[list[bool]] | None = None
    _code: list[str] | None = None

    @property
    def is_class(self) -> bool:
        return bool(self.lines) and self.lines[0].startswith("VERSION ")

    @property
    def procedures(self) -> list[Procedure]:
        return [i.procedure for i in self.items if i.procedure is not None]

    def procedure_names(self) -> set[str]:
        return {p.name.lower() for p in self.procedures}

    def by_name(self, name: str) -> list[Procedure]:
        return [p for p in self.procedures if p.name.lower() == name.lower()]

    def procedure_text(self, procedure: Procedure) -> str:
        """The procedure as written: its signature to its End line."""
        return NEWLINE.join(self.lines[procedure.start : procedure.end + 1])

    def names_used(self, line_numbers: Iterable[int]) -> set[str]:
        """The identifiers (lower case) on these lines in code compiled on Windows."""
        if self._masks is None or self._code is None:
            self._masks = [active_lines(self.lines, platform) for platform in WINDOWS]
            self._code = _code_texts(self.lines)
        used: set[str] = set()
        for n in line_numbers:
            if any(mask[n] for mask in self._masks) and not _ATTRIBUTE.match(self.lines[n]):
                used.update(w.lower() for w in _WORD.findall(self._code[n]))
        return used


def _joined(lines: list[str], first: int, last: int) -> str:
    return " ".join(lines[k].rstrip().rstrip("_") for k in range(first, last + 1))


def _declared_names(code: str) -> set[str] | None:
    """The names a one-line declaration declares, None for a line that is not one."""
    found = _DECLARE.match(code)
    if found:
        return {found.group(1).lower()}
    found = _EVENT.match(code)
    if found:
        return {found.group(1).lower()}
    found = _CONST.match(code)
    if found:
        return {m.group(1).lower() for m in re.finditer(r"(?:^|,)\s*(\w+)", found.group(1))}
    found = _VARIABLE.match(code)
    if found:
        # "a As String, b() As Long": the first word of each comma-separated part
        names = set()
        for part in re.split(r",(?![^(]*\))", found.group(1)):
            word = re.match(r"\s*(\w+)", part)
            if word:
                names.add(word.group(1).lower())
        return names
    return None


def parse_module(name: str, source: str) -> ParsedModule:
    """Cut a module's source (CRLF or LF line ends) into its header and items."""
    lines = source.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    i = 0
    if lines and lines[0].startswith("VERSION "):
        while i < len(lines) and lines[i].strip() != "END":
            i += 1
        if i == len(lines):
            raise VbaSourceError(f"{name}: class header without END")
        i += 1
    while i < len(lines) and lines[i].startswith("Attribute VB_"):
        i += 1
    header_end = i

    items: list[Item] = []
    pending: list[int] = []  # comment and blank lines, for the item they precede
    notice = True  # still in the module's first comment block (its notice, its licence)
    logical = _logical_lines(lines, header_end, len(lines))
    k = 0
    while k < len(logical):
        first, last = logical[k]
        span = list(range(first, last + 1))
        text = _joined(lines, first, last)
        code = _code_part(text)
        if _is_comment(text):
            if notice:
                items.append(Item("notice", frozenset(), span))
            else:
                pending.extend(span)
            k += 1
            continue
        directive = _directive(text)
        if not (directive and directive[0] == "const") and not _ALWAYS.match(code):
            notice = False
        if directive:
            items.append(Item("directive", frozenset({directive[0]}), pending + span))
            pending = []
            k += 1
            continue
        if _ALWAYS.match(code):
            items.append(Item("directive", frozenset({"always"}), pending + span))
            pending = []
            k += 1
            continue
        start = _PROC_START.match(code)
        if start and not _DECLARE.match(code):
            j = k
            while j < len(logical) and not _PROC_END.match(_code_part(_joined(lines, *logical[j]))):
                j += 1
            if j == len(logical):
                raise VbaSourceError(f"{name}: {start.group(2)} has no End line")
            begin, end = first, logical[j][1]
            # alternative signatures under #If (#If A Then / Function f(x) / #Else /
            # Function f(y) / #End If / body): the #If line before belongs to the procedure
            depth = 0
            for n in range(begin, end + 1):
                d = _directive(lines[n])
                depth += 1 if d and d[0] == "if" else -1 if d and d[0] == "endif" else 0
            while depth < 0:
                if not items or items[-1].kind != "directive" or "if" not in items[-1].names:
                    raise VbaSourceError(f"{name}: an #End If in {start.group(2)} closes nothing")
                taken = items.pop()
                pending = taken.lines[:-1] + pending  # its comments stay comments
                begin = taken.lines[-1]
                depth += 1
            procedure = Procedure(
                start.group(2), re.sub(r"\s+", " ", start.group(1)).title(), begin, end
            )
            own = [n for n in range(begin, end + 1)]
            items.append(
                Item("procedure", frozenset({procedure.name.lower()}), pending + own, procedure)
            )
            pending = []
            k = j + 1
            continue
        block = _BLOCK_START.match(code)
        if block:
            names = {block.group(2).lower()}
            j = k + 1
            while j < len(logical) and not _BLOCK_END.match(lines[logical[j][0]]):
                member = lines[logical[j][0]]
                word = _WORD.match(member.strip())
                if block.group(1).lower() == "enum" and word and not _is_comment(member):
                    names.add(word.group(0).lower())
                j += 1
            if j == len(logical):
                raise VbaSourceError(f"{name}: {block.group(2)} has no End line")
            span = list(range(first, logical[j][1] + 1))
            items.append(Item("declaration", frozenset(names), pending + span))
            pending = []
            k = j + 1
            continue
        declared = _declared_names(code)
        if declared is None:
            raise VbaSourceError(f"{name}: cannot read the line {text.strip()!r}")
        items.append(Item("declaration", frozenset(declared), pending + span))
        pending = []
        k += 1
    # comments after the last item go with nothing: they are not kept
    return ParsedModule(name, lines, header_end, items)


# -- what to keep ----------------------------------------------------------------------------


@dataclass
class Project:
    """The modules, by name; ``ours`` are kept whole, the others are trimmed. A module's
    stand-ins are procedures of ours that take the place of its procedures of those names."""

    modules: dict[str, ParsedModule]
    ours: set[str]
    standins: dict[str, ParsedModule] = field(default_factory=dict)  # by module name

    def standin_names(self, module: str) -> set[str]:
        standin = self.standins.get(module)
        return standin.procedure_names() if standin else set()


@dataclass
class Selection:
    procedures: dict[str, set[str]]  # module -> kept procedure names (lower case)
    items: dict[str, set[int]]  # module -> indexes of its kept declaration items


def select(project: Project, roots: Mapping[str, Iterable[str]]) -> Selection:
    """The closure: ``roots`` (module -> procedure names to keep, e.g. those run by name),
    our modules, the stand-ins and a class's Class_Initialize/Terminate, then whatever
    their Windows code names, transitively."""
    trimmed = [m for m in project.modules if m not in project.ours]
    procedures: dict[str, set[str]] = {m: set() for m in trimmed}
    kept_items: dict[str, set[int]] = {m: set() for m in trimmed}
    seen: set[str] = set()
    todo: list[str] = []

    def use(names: Iterable[str]) -> None:
        for name in names:
            if name not in seen:
                seen.add(name)
                todo.append(name)

    for module_name in project.ours:
        module = project.modules[module_name]
        use(module.names_used(range(len(module.lines))))
    for standin in project.standins.values():
        use(standin.names_used(range(len(standin.lines))))
    for module_name in trimmed:
        module = project.modules[module_name]
        if module.is_class:
            use(n for n in _IMPLICIT if n in module.procedure_names())
    for module_name, names in roots.items():
        if module_name not in procedures:
            raise VbaSourceError(f"{module_name} is not a module to trim")
        for name in names:
            if not project.modules[module_name].by_name(name):
                raise VbaSourceError(f"{module_name} has no procedure {name}")
            procedures[module_name].add(name.lower())
            module = project.modules[module_name]
            for p in module.by_name(name):
                use(module.names_used(range(p.start, p.end + 1)))

    while todo:
        name = todo.pop()
        for module_name in trimmed:
            module = project.modules[module_name]
            standins = project.standin_names(module_name)
            for index, item in enumerate(module.items):
                if name not in item.names or index in kept_items[module_name]:
                    continue
                if item.kind == "procedure":
                    if name in standins:
                        continue
                    procedures[module_name].add(name)
                elif item.kind != "declaration":
                    continue
                kept_items[module_name].add(index)
                use(module.names_used(item.lines))
    return Selection(procedures, kept_items)


def kept_lines(module: ParsedModule, kept: set[str], declarations: set[int]) -> list[int]:
    """The lines to write after the header: the notice, Option and #Const lines, the kept
    procedures (``kept``, by name) and declarations (by item index), each with its comments,
    and the #-lines of each #If block that still holds one of them."""
    keep = []
    for index, item in enumerate(module.items):
        if item.kind == "notice" or item.names & {"always", "const"}:
            keep.append(True)
        elif item.kind == "procedure":
            keep.append(item.procedure is not None and item.procedure.name.lower() in kept)
        elif item.kind == "declaration":
            keep.append(index in declarations)
        else:
            keep.append(False)  # an #If/#ElseIf/#Else/#End If: decided with its block
    blocks: list[tuple[list[int], bool]] = []  # open #If blocks: their #-lines, holds a kept item
    for index, item in enumerate(module.items):
        if "if" in item.names and item.kind == "directive":
            blocks.append(([index], False))
        elif item.kind == "directive" and item.names & {"elseif", "else"}:
            blocks[-1][0].append(index)
        elif item.kind == "directive" and "endif" in item.names:
            directives, held = blocks.pop()
            for d in directives + [index]:
                keep[d] = held
            if held and blocks:
                blocks[-1] = (blocks[-1][0], True)
        elif (
            keep[index] and blocks and item.names != frozenset({"always"}) and item.kind != "notice"
        ):
            blocks[-1] = (blocks[-1][0], True)
    if blocks:
        raise VbaSourceError(f"{module.name}: an #If without its #End If")
    return sorted(n for index, item in enumerate(module.items) if keep[index] for n in item.lines)


def trimmed_source(
    module: ParsedModule, selection: Selection, standin: ParsedModule | None = None
) -> str:
    """The module as the workbook carries it: its header, then its kept lines (as the
    package has them, in its order), then the stand-ins. CRLF line ends."""
    lines = module.lines[: module.header_end]
    chosen = kept_lines(module, selection.procedures[module.name], selection.items[module.name])
    lines += [module.lines[n] for n in chosen]
    if standin is not None:
        lines += standin.lines
    return NEWLINE.join(lines) + NEWLINE
