' shengyuan-xl (MIT), not VBA-Web code: in the workbook's class WebClient in place of
' VBA-Web's own web_LoadAutoProxy, which PrepareHttpRequest calls.
Private Sub web_LoadAutoProxy(web_Request As WebRequest)
    ' VBA-Web's own asks WinHTTP for the proxy of the request's URL through functions of
    ' Windows DLLs that WebHelpers declares for it, which the workbook does not carry.
    ' PrepareHttpRequest calls this only when the client's enableAutoProxy is set, which
    ' RunServerPython does only for ENABLE_AUTO_PROXY in xlwings.conf, and the build never
    ' writes it: such a request fails, saying why, rather than going without its proxy.
    Err.Raise 11099 + vbObjectError, "WebClient.LoadAutoProxy", _
        "Automatic proxy detection (ENABLE_AUTO_PROXY) is not available in this workbook; " & _
        "set PROXY_SERVER in its xlwings.conf sheet instead"
End Sub
