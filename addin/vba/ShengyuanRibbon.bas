Attribute VB_Name = "ShengyuanRibbon"
Option Explicit
' The callbacks of the workbook's ribbon tab (addin/customUI/customUI14.xml names them). Part of
' shengyuan-xl, MIT licence. Each button sends the workbook to its endpoint of the
' server with xlwings' VBA client (RunServerPython, module Remote) and the college's
' token, both read from the very hidden xlwings.conf sheet (GetConfig, module xlwings).
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
