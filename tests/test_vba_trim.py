"""``vba_trim``: cutting VBA modules into whole procedures and keeping what is called.

Small modules written here show each shape of source the trimmer must read (the xlwings
modules have all of them): procedures with their comments, line continuations, Property
Get/Let of one name, #If blocks around declarations, around one procedure and around
several, alternative signatures under #If, Declare lines, Type and Enum blocks. The
workbook's own modules are checked in test_xlsm_build.py.
"""

from __future__ import annotations

import pytest

from shengyuan_xl.office import vba_trim
from shengyuan_xl.office.vba_trim import (
    Project,
    VbaSourceError,
    active_lines,
    cc_value,
    parse_module,
    select,
    trimmed_source,
)

WIN64 = vba_trim.WINDOWS[0]
MAC = {"mac": True, "vba7": True, "win64": False, "win32": False}


def _source(*lines: str) -> str:
    return "\r\n".join(lines) + "\r\n"


# -- conditional compilation ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "constants", "expected"),
    [
        ("Mac", WIN64, False),
        ("VBA7", WIN64, True),
        ("VBA7 And Win64", WIN64, True),
        ("Win32 Or Win64", WIN64, True),
        ("Not Mac", MAC, False),
        (
            "Mac Or Not UseScriptingDictionaryIfAvailable",
            {"usescriptingdictionaryifavailable": True},
            False,
        ),
        ("Mac Or Not UseScriptingDictionaryIfAvailable", {}, True),  # undefined: Empty, False
        ('App = "Microsoft Excel"', {"app": "Microsoft Excel"}, True),
        ('App = "Microsoft Word"', {"app": "Microsoft Excel"}, False),
        ("(Mac Or Win64) And Not VBA6", {"win64": True, "vba6": False}, True),
        ("Not (Mac Or Win64)", {"win64": True}, False),
    ],
)
def test_cc_value(expression, constants, expected):
    assert bool(cc_value(expression, constants)) is expected


def test_cc_value_refuses_what_it_cannot_read():
    with pytest.raises(VbaSourceError):
        cc_value("Mac +", WIN64)


def test_active_lines_follow_nested_blocks_and_the_modules_own_constants():
    lines = [
        "#Const Custom = True",  # 0
        "#If Mac Then",  # 1
        "mac",  # 2
        "#ElseIf VBA7 Then",  # 3
        "#If Custom Then 'a comment",  # 4
        "vba7 custom",  # 5
        "#Else",  # 6
        "vba7 plain",  # 7
        "#End If",  # 8
        "#Else",  # 9
        "vba6",  # 10
        "#End If",  # 11
        "always",  # 12
    ]
    on = active_lines(lines, WIN64)
    assert [lines[n] for n, yes in enumerate(on) if yes] == ["vba7 custom", "always"]
    on = active_lines(lines, MAC)
    assert [lines[n] for n, yes in enumerate(on) if yes] == ["mac", "always"]
    with pytest.raises(VbaSourceError):
        active_lines(["#If Mac Then", "x"], WIN64)
    with pytest.raises(VbaSourceError):
        active_lines(["#End If"], WIN64)


# -- cutting a module -------------------------------------------------------------------------

MODULE = _source(
    'Attribute VB_Name = "Helpers"',
    "' Helpers v1 (c) Someone",  # the notice: always kept
    "' @license MIT",
    "Option Explicit",
    "",
    "#If Mac Then",
    'Private Declare PtrSafe Function popen Lib "libc.dylib" (ByVal c As String) As LongPtr',
    "#ElseIf VBA7 Then",
    "' a DLL function for Sleepy",
    'Private Declare PtrSafe Sub CopyMemory Lib "kernel32" Alias "RtlMoveMemory" _',
    "    (ByVal d As LongPtr, ByVal s As LongPtr, ByVal n As Long)",
    "#End If",
    "",
    "Private Type Pair",
    "    Key As String",
    "    Value As Variant",
    "End Type",
    "Public Enum Colour",
    "    Red = 1",
    "    Green = 2",
    "End Enum",
    'Public Const Version As String = "1.0", Unused As Long = 3',
    "Private cache As Object, counts() As Long",
    "",
    "''",
    "' Greets: the doc comment goes with the procedure",
    "''",
    "Public Function Greet(ByVal name As String, _",
    "    Optional ByVal colour As Colour = Green) As String",
    "    Dim p As Pair",
    "    p.Key = name  ' Sleepy is not called here: Sleepy",
    "    Greet = Format(p.Key) & Version",
    "End Function",
    "",
    "Private Function Format(ByVal s As String) As String",
    "#If Mac Then",
    "    Format = Shelled(s)",
    "#Else",
    "    Format = s",
    "#End If",
    "End Function",
    "",
    "Public Function Shelled(ByVal s As String) As String",
    "    Shelled = popen(s)",
    "End Function",
    "",
    "Public Sub Sleepy()",
    "    CopyMemory 0, 0, 0",
    "End Sub",
    "",
    "Public Property Get Size() As Long",
    "    Size = 1",
    "End Property",
    "Public Property Let Size(ByVal value As Long)",
    "End Property",
    "",
    '#If App = "Microsoft Excel" Then',
    "Function Book(wb As Workbook) As String",
    "#Else",
    "Function Book(wb As Variant) As String",
    "#End If",
    "    Book = wb.Name",
    "End Function",
    "",
    "#If Mac Then",
    "' Mac only, both",
    "Sub MacOne()",
    "End Sub",
    "",
    "Sub MacTwo()",
    "End Sub",
    "#End If",
    "",
    '#If App = "Microsoft Excel" Then',
    "Function Exists(wb As Workbook) As Boolean",
    "    Exists = True",
    "End Function",
    "#End If",
)


def test_parse_finds_each_procedure_with_its_own_text():
    module = parse_module("Helpers", MODULE)
    names = [(p.name, p.kind) for p in module.procedures]
    assert names == [
        ("Greet", "Function"),
        ("Format", "Function"),
        ("Shelled", "Function"),
        ("Sleepy", "Sub"),
        ("Size", "Property Get"),
        ("Size", "Property Let"),
        ("Book", "Function"),
        ("MacOne", "Sub"),
        ("MacTwo", "Sub"),
        ("Exists", "Function"),
    ]
    (greet,) = module.by_name("greet")  # VBA's names know no case
    assert module.procedure_text(greet).startswith(
        "Public Function Greet(ByVal name As String, _\r\n"
    )
    assert module.procedure_text(greet).endswith("End Function")
    # alternative signatures under #If: the #If line is the procedure's
    (book,) = module.by_name("Book")
    assert module.procedure_text(book).startswith(
        '#If App = "Microsoft Excel" Then\r\nFunction Book('
    )
    declared = set().union(*(i.names for i in module.items if i.kind == "declaration"))
    assert declared == {
        "popen", "copymemory", "pair", "colour", "red", "green", "version", "unused", "cache",
        "counts",
    }  # fmt: skip


def test_names_used_are_those_compiled_on_windows_outside_strings_and_comments():
    module = parse_module("Helpers", MODULE)
    (fmt,) = module.by_name("Format")
    used = module.names_used(range(fmt.start, fmt.end + 1))
    assert "shelled" not in used  # only in the #If Mac branch
    (greet,) = module.by_name("Greet")
    used = module.names_used(range(greet.start, greet.end + 1))
    assert {"format", "version", "pair", "colour", "green"} <= used
    assert "sleepy" not in used  # only in a comment
    continued = parse_module(
        "M", _source("Sub A()", "    ' a comment goes on _", "    Sleepy", "End Sub")
    )
    assert "sleepy" not in continued.names_used(range(4))


def _project(*roots: str, standin: str | None = None) -> tuple[Project, dict[str, list[str]]]:
    ours = parse_module(
        "Ours",
        _source('Attribute VB_Name = "Ours"', "Sub Go()", '    Debug.Print Greet("x")', "End Sub"),
    )
    helpers = parse_module("Helpers", MODULE)
    standins = {"Helpers": parse_module("Helpers", standin)} if standin else {}
    return Project({"Helpers": helpers, "Ours": ours}, {"Ours"}, standins), {"Helpers": list(roots)}


def test_select_keeps_what_is_called_on_windows_and_what_it_declares():
    project, roots = _project()
    selection = select(project, roots)
    assert selection.procedures["Helpers"] == {"greet", "format"}
    kept = trimmed_source(project.modules["Helpers"], selection)
    assert "Option Explicit" in kept and "' @license MIT" in kept  # notice and options
    assert "Private Type Pair" in kept and "Public Enum Colour" in kept
    assert 'Public Const Version As String = "1.0", Unused As Long = 3' in kept  # the whole line
    # not named by what is kept: gone, with the #If block that held them and its comments
    for gone in (
        "Declare", "RtlMoveMemory", "#ElseIf", "a DLL function", "Private cache",
        "Sub Sleepy", "Function Shelled", "Size", "MacOne",
    ):  # fmt: skip
        assert gone not in kept, gone
    assert "Format = Shelled(s)" in kept  # a kept procedure is kept whole, Mac branch included
    # each line is the module's, in its order
    lines = MODULE.split("\r\n")
    position = 0
    for line in kept.split("\r\n")[:-1]:
        position = lines.index(line, position) + 1


def test_select_from_roots_keeps_property_accessors_and_blocks_around_procedures():
    project, roots = _project("Size", "Exists", "Book", "Sleepy")
    selection = select(project, roots)
    assert selection.procedures["Helpers"] == {
        "greet",
        "format",
        "size",
        "exists",
        "book",
        "sleepy",
    }
    kept = trimmed_source(project.modules["Helpers"], selection)
    assert kept.count("Property") == 4  # Get and Let, with their End lines
    # the #If around Exists stays with it; the one around MacOne/MacTwo goes with them
    assert '#If App = "Microsoft Excel" Then\r\nFunction Exists' in kept
    assert "End Function\r\n#End If\r\n" in kept
    assert "Mac only" not in kept
    # Sleepy's Declare comes along, in its #If branch, with the branch above it left empty
    assert (
        "#If Mac Then\r\n#ElseIf VBA7 Then\r\n' a DLL function for Sleepy\r\nPrivate Declare PtrSafe Sub CopyMemory"
        in kept
    )
    assert "popen" not in kept


def test_a_standin_takes_the_place_of_the_packages_procedure():
    standin = _source(
        "' ours",
        "Private Function Format(ByVal s As String) As String",
        "    Format = UCase(s)",
        "End Function",
    )
    project, roots = _project(standin=standin)
    selection = select(project, roots)
    assert selection.procedures["Helpers"] == {"greet"}
    kept = trimmed_source(project.modules["Helpers"], selection, project.standins["Helpers"])
    assert kept.endswith(standin)
    assert kept.count("Function Format") == 1


def test_a_class_keeps_its_event_procedures():
    cls = parse_module(
        "Thing",
        _source(
            "VERSION 1.0 CLASS",
            "BEGIN",
            "  MultiUse = -1  'True",
            "END",
            'Attribute VB_Name = "Thing"',
            "Attribute VB_Exposed = True",
            "Option Explicit",
            "Private Sub Class_Initialize()",
            "    Setup",
            "End Sub",
            "Private Sub Setup()",
            "End Sub",
            "Public Sub Unused()",
            "End Sub",
        ),  # fmt: skip
    )
    ours = parse_module("Ours", _source('Attribute VB_Name = "Ours"'))
    selection = select(Project({"Thing": cls, "Ours": ours}, {"Ours"}), {})
    assert selection.procedures["Thing"] == {"class_initialize", "setup"}
    kept = trimmed_source(cls, selection)
    assert kept.startswith(
        'VERSION 1.0 CLASS\r\nBEGIN\r\n  MultiUse = -1  \'True\r\nEND\r\nAttribute VB_Name = "Thing"'
    )


def test_select_refuses_a_root_the_module_does_not_have():
    project, _ = _project()
    with pytest.raises(VbaSourceError, match="Nowhere"):
        select(project, {"Helpers": ["Nowhere"]})


@pytest.mark.parametrize(
    "source",
    [
        _source("Sub A()", "    x = 1"),  # no End Sub
        _source("Private Type T", "    a As Long"),  # no End Type
        _source("Goto nowhere"),  # a statement outside any procedure
        _source("#If Mac Then", "Sub A()", "End Sub"),  # an #If that does not end
    ],
)
def test_parse_refuses_what_it_cannot_cut(source):
    with pytest.raises(VbaSourceError):
        module = parse_module("M", source)
        trimmed_source(module, select(Project({"M": module}, set()), {"M": ["A"]}))
