/* The add-in's two dialogs: message.html shows what a button reports (its text comes
 * from the function file through messageChild, so it can be long and is never put in a
 * URL); settings.html asks once for a server address and token. */
"use strict";
Office.onReady(function () {
  var page = document.body.getAttribute("data-page");
  if (page === "message") {
    var show = function (data) {
      document.getElementById("title").textContent = data.title || "生源核对";
      document.getElementById("message").textContent = data.message || "";
      if (data.mode === "critical") document.body.className = "critical";
      document.title = data.title || "生源核对";
    };
    // first what the address carries (shortened), then the whole text from the function file
    var query = /[?&]d=([^&]*)/.exec(location.search);
    if (query) show(JSON.parse(decodeURIComponent(query[1])));
    Office.context.ui.addHandlerAsync(Office.EventType.DialogParentMessageReceived, function (arg) {
      show(JSON.parse(arg.message));
    });
    document.getElementById("ok").onclick = function () {
      Office.context.ui.messageParent("ok");
    };
  } else {
    document.getElementById("settings").onsubmit = function (e) {
      e.preventDefault();
      var server = document.getElementById("server").value.trim();
      if (server.indexOf("https://") !== 0) {
        document.getElementById("error").textContent = "服务器地址要以 https:// 开头。";
        return;
      }
      Office.context.ui.messageParent(
        JSON.stringify({ server: server, auth: document.getElementById("auth").value.trim() })
      );
    };
    document.getElementById("cancel").onclick = function () {
      Office.context.ui.messageParent("");
    };
  }
  Office.context.ui.messageParent("ready");
});
