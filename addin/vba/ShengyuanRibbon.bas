Attribute VB_Name = "ShengyuanRibbon"
Option Explicit
' The callbacks of the workbook's ribbon tab (addin/customUI/customUI14.xml names them). Part of
' shengyuan-xl, MIT licence. Each button sends the workbook to its endpoint of the
' server with xlwings' VBA client (RunServerPython, module Remote) and the college's
' token, both read from the very hidden xlwings.conf sheet (GetConfig, module xlwings).
' OnSelftest (the 7th button) runs the server's self-test: see there.
'
' This file must stay ASCII: a VBA project stores its source in a code page, and the
' college PC's code page is not known when the workbook is built. The Chinese text
' for the user is written here as \uXXXX escapes and turned into characters by Zh()
' with ChrW; the server's own answers arrive as Unicode through the client.

Private Const MSG_TITLE As String = "\u751F\u6E90\u6838\u5BF9"
Private Const MSG_NO_SERVER As String = "\u672C\u5DE5\u4F5C\u7C3F\u6CA1\u6709\u670D\u52A1\u5668\u5730\u5740\uFF08\u6DF1\u5EA6\u9690\u85CF\u7684 xlwings.conf \u8868\uFF09\uFF1A\u8BF7\u5411\u62DB\u751F\u5C31\u4E1A\u5904\u7D22\u53D6\u5E26\u6309\u94AE\u7684\u5DE5\u4F5C\u7C3F\u3002"
Private Const MSG_TOO_BIG_1 As String = "\u5DE5\u4F5C\u8868\u201C"
Private Const MSG_TOO_BIG_2 As String = "\u201D\u6709 "
Private Const MSG_TOO_BIG_3 As String = " \u884C\uFF0C\u8D85\u8FC7\u4E86\u6309\u94AE\u4E00\u6B21\u80FD\u53D1\u9001\u7684 32,767 \u884C\uFF08xlwings \u5BA2\u6237\u7AEF\u7684\u4E0A\u9650\uFF09\uFF0C\u6CA1\u6709\u53D1\u9001\u3002\u8BF7\u5220\u9664\u8868\u683C\u4E0B\u65B9\u591A\u4F59\u7684\u884C\uFF0C\u6216\u628A\u5DE5\u4F5C\u7C3F\u4EA4\u7ED9\u62DB\u751F\u5C31\u4E1A\u5904\u7528\u547D\u4EE4\u884C\u5904\u7406\u3002"
Private Const MSG_NO_CONNECTION As String = "\u8FDE\u4E0D\u4E0A\u670D\u52A1\u5668 "
Private Const MSG_NO_ANSWER As String = "\u670D\u52A1\u5668\u6CA1\u6709\u6B63\u5E38\u56DE\u7B54\uFF1A"
Private Const MSG_CHECK_NETWORK As String = "\u8BF7\u68C0\u67E5\u7F51\u7EDC\uFF08\u6821\u56ED\u7F51\u6216 VPN\uFF09\u540E\u518D\u8BD5\uFF1B\u4ECD\u7136\u4E0D\u884C\u8BF7\u8054\u7CFB\u62DB\u751F\u5C31\u4E1A\u5904\u3002"
Private Const MSG_FAILED As String = "\u6309\u94AE\u6CA1\u6709\u5B8C\u6210\uFF1A"
Private Const MSG_TRY_LATER As String = "\u8BF7\u7A0D\u540E\u518D\u8BD5\uFF1B\u4ECD\u7136\u4E0D\u884C\u8BF7\u8054\u7CFB\u62DB\u751F\u5C31\u4E1A\u5904\u3002"
Private Const MSG_NOT_STARTED As String = "\u81EA\u68C0\u6CA1\u6709\u5F00\u59CB\uFF1A\u5DE5\u4F5C\u7C3F\u4E2D\u6CA1\u6709\u51FA\u73B0\u201C_\u81EA\u68C0\u201D\u8868\u3002\u670D\u52A1\u5668\u7684\u56DE\u7B54\u89C1\u524D\u4E00\u4E2A\u63D0\u793A\uFF1B\u6CA1\u6709\u63D0\u793A\u65F6\uFF0C\u8BF7\u628A\u8FD9\u53E5\u8BDD\u544A\u8BC9\u62DB\u751F\u5C31\u4E1A\u5904\u3002"
Private Const MSG_FIRST_STEP As String = "\u81EA\u68C0\u7684\u7B2C\u4E00\u6B65\u6CA1\u6709\u5168\u90E8\u5B8C\u6210\uFF0C\u4ECD\u4F1A\u8BFB\u56DE\u201C_\u81EA\u68C0\u201D\u8868\uFF0C\u7ED3\u679C\u4F1A\u8BF4\u660E\u54EA\u79CD\u6539\u52A8\u6CA1\u6709\u751F\u6548\uFF1A"
Private Const MSG_NO_RESULT As String = "\u81EA\u68C0\u7684\u7ED3\u679C\u6CA1\u6709\u9001\u5230\u670D\u52A1\u5668\uFF1A"

' The self-test's scratch sheet ("_\u81EA\u68C0"): the server's first answer adds it, this
' module reads it back, the second answer deletes it (shengyuan_xl/core/selftest.py).
Private Const SCRATCH As String = "_\u81EA\u68C0"
' What the self-test says of this client: the build writes shengyuan-xl's version here.
Private Const CLIENT_VERSION As String = "dev"
Private Const XL_COLOR_NONE As Long = -4142  ' xlColorIndexNone: a cell without a fill
Private Const MAX_READ_ROWS As Long = 40  ' what the self-test reads back, at most
Private Const MAX_READ_COLUMNS As Long = 10
Private Const SELFTEST_TIMEOUT_MS As Long = 60000

' Remote.bas counts a sheet's rows in a 16-bit Integer (Dim nRows As Integer): a used
' range reaching below this row overflows inside the client, so it is refused here first.
Private Const MAX_ROWS As Long = 32767
' The server's health check must answer within this time (ms) before the workbook is sent.
Private Const PROBE_TIMEOUT_MS As Long = 15000

Public Sub OnValidate(control As IRibbonControl)
    CallServer "validate"
End Sub

Public Sub OnWithdrawals(control As IRibbonControl)
    CallServer "withdrawals"
End Sub

Public Sub OnAdditions(control As IRibbonControl)
    CallServer "additions"
End Sub

Public Sub OnPull(control As IRibbonControl)
    CallServer "pull"
End Sub

Public Sub OnLetter(control As IRibbonControl)
    CallServer "letter"
End Sub

Public Sub OnSubmit(control As IRibbonControl)
    CallServer "submit"
End Sub

Public Sub OnSelftest(control As IRibbonControl)
    ' The self-test (zi jian), in one press. First the buttons' own path: RunServerPython
    ' sends the workbook (only the sheets' names: every sheet is excluded) to
    ' /xlwings/selftest and runs each action of the answer with Application.Run, as for any
    ' button; the answer adds the scratch sheet and does one action of every kind there.
    ' Then the scratch sheet is read back (values as RunServerPython reads them, number
    ' formats, fills, links) and posted with what this client and Excel are (no user, no
    ' file name) to /xlwings/selftest/result with VBA-Web, the same client
    ' RunServerPython uses, and the answer's actions are run the same way: the scratch
    ' sheet deleted, the result shown (all passed, or what did not take effect).
    Dim server As String, detail As String
    Dim wb As Workbook
    server = CStr(GetConfig("SERVER"))
    If server = "" Then
        MsgBox Zh(MSG_NO_SERVER), vbExclamation, Zh(MSG_TITLE)
        Exit Sub
    End If
    If Not ServerAnswers(server) Then Exit Sub
    Set wb = ActiveWorkbook

    ' an action that fails midway stops RunServerPython: what was done is still read back
    On Error Resume Next
    RunServerPython server & "/xlwings/selftest", exclude:=SheetsBut(wb, Zh(SCRATCH))
    detail = Err.Description
    On Error GoTo Failed
    If Not HasSheet(wb, Zh(SCRATCH)) Then
        ' refused (RunServerPython showed the server's sentence), or nothing was applied
        If detail <> "" Then MsgBox Zh(MSG_FAILED) & detail, vbCritical, Zh(MSG_TITLE)
        MsgBox Zh(MSG_NOT_STARTED), vbExclamation, Zh(MSG_TITLE)
        Exit Sub
    End If
    If detail <> "" Then MsgBox Zh(MSG_FIRST_STEP) & detail, vbExclamation, Zh(MSG_TITLE)
    PostReadBack wb, server & "/xlwings/selftest/result"
    Exit Sub
Failed:
    detail = Err.Description  ' first: any call may reset Err
    MsgBox Zh(MSG_FAILED) & detail & vbCrLf & Zh(MSG_TRY_LATER), vbCritical, Zh(MSG_TITLE)
End Sub

Private Function SheetsBut(wb As Workbook, kept As String) As String
    ' The names of the workbook's sheets but one, for RunServerPython's exclude.
    Dim ws As Worksheet
    Dim names As String
    For Each ws In wb.Worksheets
        If ws.Name <> kept Then
            If names <> "" Then names = names & ","
            names = names & ws.Name
        End If
    Next ws
    SheetsBut = names
End Function

Private Function HasSheet(wb As Workbook, sheetName As String) As Boolean
    Dim ws As Worksheet
    For Each ws In wb.Worksheets
        If ws.Name = sheetName Then HasSheet = True
    Next ws
End Function

Private Sub PostReadBack(wb As Workbook, url As String)
    ' POST the read-back as JSON; run the answer's actions as RunServerPython does.
    Dim client As New WebClient
    Dim request As New WebRequest
    Dim response As WebResponse
    Dim action As Dictionary
    client.BaseUrl = url
    client.TimeoutMs = SELFTEST_TIMEOUT_MS
    request.Method = WebMethod.HttpPost
    request.Format = WebFormat.Json
    Set request.Body = ReadBack(wb)
    Set response = client.Execute(request)
    If response.StatusCode = WebStatusCode.Ok Then
        For Each action In response.Data("actions")
            Application.Run action("func"), wb, action
        Next action
    ElseIf response.Content <> "" Then
        MsgBox Zh(MSG_NO_RESULT) & response.Content, vbCritical, Zh(MSG_TITLE)
    Else
        MsgBox Zh(MSG_NO_RESULT) & url & " (" & response.StatusCode & " " & _
            response.StatusDescription & ")" & vbCrLf & Zh(MSG_TRY_LATER), vbCritical, Zh(MSG_TITLE)
    End If
End Sub

Private Function ReadBack(wb As Workbook) As Dictionary
    ' The payload RunServerPython would send with only the scratch sheet's cells, and the
    ' self-test's read-back of that sheet beside it.
    Dim payload As New Dictionary
    Dim bookPayload As New Dictionary
    Dim sheetsPayload() As Dictionary
    Dim sheetDict As Dictionary
    Dim i As Long
    payload.Add "client", "VBA"
    payload.Add "version", XLWINGS_VERSION
    bookPayload.Add "name", wb.Name
    bookPayload.Add "active_sheet_index", wb.ActiveSheet.Index - 1
    If TypeOf Selection Is Range Then
        bookPayload.Add "selection", Selection.Address(False, False)
    Else
        bookPayload.Add "selection", Null
    End If
    payload.Add "book", bookPayload
    payload.Add "names", Array()
    ReDim sheetsPayload(wb.Worksheets.Count - 1)
    For i = 1 To wb.Worksheets.Count
        Set sheetDict = New Dictionary
        sheetDict.Add "name", wb.Worksheets(i).Name
        sheetDict.Add "pictures", Array()
        sheetDict.Add "tables", Array()
        If wb.Worksheets(i).Name = Zh(SCRATCH) Then
            sheetDict.Add "values", ScratchValues(wb.Worksheets(i))
            payload.Add "selftest", ScratchFound(wb.Worksheets(i))
        Else
            sheetDict.Add "values", Array(Array())
        End If
        Set sheetsPayload(i - 1) = sheetDict
    Next i
    payload.Add "sheets", sheetsPayload
    Set ReadBack = payload
End Function

Private Function ScratchValues(ws As Worksheet) As Variant
    ' Its values from A1, as RunServerPython reads a sheet (at most MAX_READ_ROWS x
    ' MAX_READ_COLUMNS).
    Dim values As Variant
    With ws.Range(ws.Cells(1, 1), ws.Cells(LastRow(ws), LastColumn(ws)))
        values = .Value
        If .Count = 1 Then values = Array(Array(values))
    End With
    ScratchValues = values
End Function

Private Function LastRow(ws As Worksheet) As Long
    With ws.UsedRange
        LastRow = .Row + .Rows.Count - 1
    End With
    If LastRow > MAX_READ_ROWS Then LastRow = MAX_READ_ROWS
End Function

Private Function LastColumn(ws As Worksheet) As Long
    With ws.UsedRange
        LastColumn = .Column + .Columns.Count - 1
    End With
    If LastColumn > MAX_READ_COLUMNS Then LastColumn = MAX_READ_COLUMNS
End Function

Private Function ScratchFound(ws As Worksheet) As Dictionary
    ' This client and Excel, and of the scratch sheet each cell's number format and fill
    ' (Excel's BGR colour, Null without a fill) from A1, and its links.
    Dim found As New Dictionary
    Dim formats() As Variant, fills() As Variant
    Dim links() As Dictionary
    Dim link As Dictionary
    Dim h As Hyperlink
    Dim r As Long, c As Long, n As Long
    found.Add "client", "VBA"
    found.Add "client_version", CLIENT_VERSION
    found.Add "host", Application.Name
    found.Add "host_version", Application.Version & "." & Application.Build
    found.Add "platform", Application.OperatingSystem
    ReDim formats(1 To LastRow(ws), 1 To LastColumn(ws))
    ReDim fills(1 To LastRow(ws), 1 To LastColumn(ws))
    For r = 1 To LastRow(ws)
        For c = 1 To LastColumn(ws)
            formats(r, c) = ws.Cells(r, c).NumberFormat
            If ws.Cells(r, c).Interior.ColorIndex = XL_COLOR_NONE Then
                fills(r, c) = Null
            Else
                fills(r, c) = ws.Cells(r, c).Interior.Color
            End If
        Next c
    Next r
    found.Add "formats", formats
    found.Add "fills", fills
    If ws.Hyperlinks.Count = 0 Then
        found.Add "links", Array()
    Else
        ReDim links(ws.Hyperlinks.Count - 1)
        For Each h In ws.Hyperlinks
            Set link = New Dictionary
            link.Add "cell", h.Range.Address(False, False)
            link.Add "address", h.Address
            link.Add "sub_address", h.SubAddress
            Set links(n) = link
            n = n + 1
        Next h
        found.Add "links", links
    End If
    Set ScratchFound = found
End Function

Private Sub CallServer(endpoint As String)
    Dim server As String, detail As String
    server = CStr(GetConfig("SERVER"))
    If server = "" Then
        MsgBox Zh(MSG_NO_SERVER), vbExclamation, Zh(MSG_TITLE)
        Exit Sub
    End If
    If Not SizeFits() Then Exit Sub
    ' RunServerPython shows a connection it could not make as an English
    ' "Request Timeout (408)" box and returns normally, so the server is asked
    ' first, with the same client, and a failure is said in Chinese.
    If Not ServerAnswers(server) Then Exit Sub

    On Error GoTo Failed
    RunServerPython CStr(GetConfig("SERVER")) & "/xlwings/" & endpoint, auth:=CStr(GetConfig("AUTH"))
    Exit Sub
Failed:
    detail = Err.Description  ' first: any call may reset Err
    MsgBox Zh(MSG_FAILED) & detail & vbCrLf & Zh(MSG_TRY_LATER), vbCritical, Zh(MSG_TITLE)
End Sub

Private Function SizeFits() As Boolean
    ' The sheets the client sends (all but those listed in EXCLUDE) must fit its counters.
    Dim ws As Worksheet
    Dim excluded As String
    Dim lastRow As Long
    excluded = "," & CStr(GetConfig("EXCLUDE")) & ","
    For Each ws In ActiveWorkbook.Worksheets
        If InStr(1, excluded, "," & ws.Name & ",", vbTextCompare) = 0 Then
            With ws.UsedRange
                lastRow = .Row + .Rows.Count - 1
            End With
            If lastRow > MAX_ROWS Then
                MsgBox Zh(MSG_TOO_BIG_1) & ws.Name & Zh(MSG_TOO_BIG_2) & CStr(lastRow) & Zh(MSG_TOO_BIG_3), _
                    vbExclamation, Zh(MSG_TITLE)
                SizeFits = False
                Exit Function
            End If
        End If
    Next ws
    SizeFits = True
End Function

Private Function ServerAnswers(server As String) As Boolean
    ' GET <server>/health with VBA-Web, as RunServerPython would connect.
    Dim client As New WebClient
    Dim request As New WebRequest
    Dim response As WebResponse
    Dim detail As String
    client.BaseUrl = server
    client.TimeoutMs = PROBE_TIMEOUT_MS
    request.Resource = "health"
    request.Method = WebMethod.HttpGet
    request.ResponseFormat = WebFormat.PlainText

    On Error GoTo NoConnection
    Set response = client.Execute(request)
    On Error GoTo 0
    If response.StatusCode = WebStatusCode.Ok Then
        ServerAnswers = True
    ElseIf response.StatusCode = WebStatusCode.RequestTimeout Then
        ' VBA-Web answers "cannot connect", "name not resolved" and "timed out" with 408
        MsgBox Zh(MSG_NO_CONNECTION) & server & vbCrLf & response.StatusDescription & vbCrLf & _
            Zh(MSG_CHECK_NETWORK), vbCritical, Zh(MSG_TITLE)
    Else
        MsgBox Zh(MSG_NO_ANSWER) & server & " (" & response.StatusCode & " " & _
            response.StatusDescription & ")" & vbCrLf & Zh(MSG_TRY_LATER), vbCritical, Zh(MSG_TITLE)
    End If
    Exit Function
NoConnection:
    detail = Err.Description  ' first: any call may reset Err
    MsgBox Zh(MSG_NO_CONNECTION) & server & vbCrLf & detail & vbCrLf & _
        Zh(MSG_CHECK_NETWORK), vbCritical, Zh(MSG_TITLE)
    ServerAnswers = False
End Function

Private Function Zh(escaped As String) As String
    ' Each \uXXXX (four hex digits) becomes ChrW of that code point; the rest is kept.
    Dim i As Long, k As Long, code As Long
    Dim result As String
    i = 1
    Do While i <= Len(escaped)
        If Mid$(escaped, i, 2) = "\u" And i + 5 <= Len(escaped) Then
            code = 0
            For k = i + 2 To i + 5
                code = code * 16 + InStr(1, "0123456789ABCDEF", Mid$(escaped, k, 1), vbTextCompare) - 1
            Next k
            result = result & ChrW(code)
            i = i + 6
        Else
            result = result & Mid$(escaped, i, 1)
            i = i + 1
        End If
    Loop
    Zh = result
End Function
