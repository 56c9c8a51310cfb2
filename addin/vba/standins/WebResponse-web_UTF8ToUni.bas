' shengyuan-xl (MIT), not VBA-Web code: in the workbook's class WebResponse in place of
' the web_UTF8ToUni that xlwings ships, which CreateFromHttp calls to read the server's
' answer (UTF-8 JSON: the cells' values and the messages, in Chinese).
Private Function web_UTF8ToUni(bySrc() As Byte) As String
    ' The one that xlwings ships has Windows convert the bytes, through a function of a
    ' Windows DLL that the module declares for it; the workbook declares none, so the
    ' bytes are decoded here, in VBA. As that one: fewer than 2 bytes give "", a byte
    ' sequence that is not UTF-8 gives U+FFFD, a character beyond U+FFFF two UTF-16 units.
    Dim lBytes As Long, i As Long, last As Long, n As Long
    Dim b As Long, cp As Long, need As Long, k As Long
    Dim out As String
    ' U+FFFD, the first high and low surrogates, the last surrogate. In decimal: a Long to
    ' every reader (pyOpenVBA's interpreter, which the tests run this in, reads &HD800& as
    ' the Integer -10240)
    Const REPLACEMENT As Long = 65533, HIGH_FIRST As Long = 55296
    Const LOW_FIRST As Long = 56320, SURROGATE_LAST As Long = 57343

    lBytes = UBound(bySrc) - LBound(bySrc) + 1
    If lBytes < 2 Then
        web_UTF8ToUni = vbNullString
        Exit Function
    End If

    ' UTF-8 never takes fewer bytes than UTF-16 takes units: fill a string of that length
    out = String$(lBytes, 0)
    i = LBound(bySrc)
    last = UBound(bySrc)
    Do While i <= last
        b = bySrc(i)
        i = i + 1
        If b < &H80& Then
            cp = b
            need = 0
        ElseIf b >= &HC2& And b <= &HDF& Then
            cp = b And &H1F&
            need = 1
        ElseIf b >= &HE0& And b <= &HEF& Then
            cp = b And &HF&
            need = 2
        ElseIf b >= &HF0& And b <= &HF4& Then
            cp = b And &H7&
            need = 3
        Else
            cp = REPLACEMENT
            need = 0
        End If
        For k = 1 To need
            If i > last Then Exit For
            If (bySrc(i) And &HC0&) <> &H80& Then Exit For
            cp = cp * 64 + (bySrc(i) And &H3F&)
            i = i + 1
        Next k
        If k <= need Then
            cp = REPLACEMENT
        ElseIf need = 2 And (cp < &H800& Or (cp >= HIGH_FIRST And cp <= SURROGATE_LAST)) Then
            cp = REPLACEMENT
        ElseIf need = 3 And (cp < &H10000 Or cp > &H10FFFF) Then
            cp = REPLACEMENT
        End If
        If cp >= &H10000 Then
            cp = cp - &H10000
            n = n + 1
            Mid(out, n, 1) = ChrW(HIGH_FIRST + cp \ &H400&)
            n = n + 1
            Mid(out, n, 1) = ChrW(LOW_FIRST + (cp And &H3FF&))
        Else
            n = n + 1
            Mid(out, n, 1) = ChrW(cp)
        End If
    Loop
    web_UTF8ToUni = Left$(out, n)
End Function
