' shengyuan-xl (MIT), not xlwings code: in the workbook's module xlwings in place of
' xlwings' own GetConfig, which RunServerPython and the ribbon callbacks call.
Function GetConfig(configKey As String, Optional default As String = "", Optional source As String = "") As Variant
    ' The workbook's settings (SERVER, AUTH, EXCLUDE, TIMEOUT) are all in its very hidden
    ' xlwings.conf sheet, where the build writes them, and this reads that sheet only.
    ' xlwings' own GetConfig also reads xlwings.conf files in the workbook's folder and in
    ' the user's profile, and expands %VARIABLES% in every value through the Windows Script
    ' Host, which the workbook does not carry. As xlwings' own: the keys are column A from
    ' A1 down to the first empty cell, compared in upper case, the first one found counts;
    ' the value is returned as text, the default when the key is not there. (source is
    ' accepted for the same signature; the sheet is the only source.)
    Dim sht As Worksheet
    Dim r As Long
    GetConfig = default
    On Error Resume Next
    Set sht = ThisWorkbook.Worksheets("xlwings.conf")
    On Error GoTo 0
    If sht Is Nothing Then Exit Function
    r = 1
    Do While CStr(sht.Cells(r, 1).Value) <> ""
        If UCase(CStr(sht.Cells(r, 1).Value)) = configKey Then
            GetConfig = CStr(sht.Cells(r, 2).Value)
            Exit Function
        End If
        r = r + 1
    Loop
End Function
