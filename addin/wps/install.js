// @ts-check
/*
 * The 安装 page's one button (/wps/install): ask WPS's own local service to list the
 * add-in in the user's publish.xml (publish mode), as WPS's publish pages do.
 *
 * WPS Office runs a small HTTP service on 127.0.0.1:58890 that manages the jsaddons
 * folder; a POST to /deployaddons/runParams whose body is the base64 of a UTF-8 JSON
 * {cmd: "enable", name, url, addonType, online} adds the add-in; "OK" (or an empty 200)
 * means done. When the service is not running, the ksoWPSCloudSvr:// link starts it (the
 * browser asks first), and the request is tried again. From WPS's documentation and its
 * wpsjs tool; not yet tried on a real WPS. The page's address list (CSP) allows only
 * this one address besides the server's own.
 */
"use strict";

(function () {
  var SERVICE = "http://127.0.0.1:58890";
  var START_SERVICE = "ksoWPSCloudSvr://start=RelayHttpServer";
  var TRIES = 4;
  var box = document.getElementById("wps-install");
  var button = document.getElementById("wps-install-button");
  var status = document.getElementById("wps-install-status");
  if (!box || !button || !status) return;
  var name = box.getAttribute("data-name") || "";
  var url = box.getAttribute("data-url") || "";
  var statusLine = status;

  /** @param {string} text @param {string} kind "ok" / "error" / "hint" */
  function say(text, kind) {
    statusLine.textContent = text;
    statusLine.className = kind;
  }

  /** base64 of the text's UTF-8 bytes (btoa takes Latin-1 only). @param {string} text */
  function base64(text) {
    return btoa(unescape(encodeURIComponent(text)));
  }

  /** @param {string} path @param {string} body @param {(status: number, text: string) => void} done */
  function call(path, body, done) {
    var request = new XMLHttpRequest();
    request.open("POST", SERVICE + path, true);
    request.timeout = 5000;
    request.onload = function () {
      done(request.status, String(request.responseText || ""));
    };
    request.onerror = request.ontimeout = function () {
      done(0, "");
    };
    request.send(body);
  }

  /** @param {number} left tries left @param {boolean} started whether the service was asked to start */
  function install(left, started) {
    var order = { cmd: "enable", name: name, url: url, addonType: "et", online: "true" };
    call("/deployaddons/runParams", base64(JSON.stringify(order)), function (code, text) {
      if (code === 200 && (text === "OK" || text === "")) {
        say("已安装：请重新打开 WPS 表格，功能区会出现“生源核对”选项卡。", "ok");
        button && button.removeAttribute("disabled");
        return;
      }
      if (code === 0 && left > 1) {
        if (!started) location.href = START_SERVICE; // the browser asks whether to open WPS
        say("正在启动本机 WPS 的服务……", "hint");
        setTimeout(function () {
          install(left - 1, true);
        }, 3000);
        return;
      }
      say(
        code === 0
          ? "连不上本机 WPS 的服务：请确认本机装有 WPS Office、打开过一次 WPS 表格，并在浏览器询问时点“允许”；仍不行请用下面的手工安装。"
          : "WPS 没有接受安装（" + (text || "状态 " + code) + "）：请用下面的手工安装。",
        "error"
      );
      button && button.removeAttribute("disabled");
    });
  }

  button.addEventListener("click", function () {
    if (button) button.setAttribute("disabled", "disabled");
    say("正在连接本机的 WPS……", "hint");
    install(TRIES, false);
  });
})();
