/*
 * Run the WPS add-in under Node with the fake ET Application (fake_et.js) standing in for
 * WPS 表格.
 *
 *   node run_button.js <request.json>
 *
 * request.json: {"mode": "press" | "actions" | "callbacks", "button", "book": {"name",
 * "active", "selection", "selection_areas", "sheets": [{"name", "values", "visible",
 * "formatted"}]}, "location" (the add-in page's address, default
 * https://addin.example.edu.cn/wps/index.html), "press_twice", "payload_out" (a file for
 * the payload sent), "actions" (mode "actions": applied directly), "names" (mode
 * "callbacks": the functions ribbon.xml names)}.
 *
 * The scripts load as WPS loads them: index.html's main.js, which writes the script tag of
 * js/client.js (document.write; the fake document loads that file next). The ribbon's
 * callback is called as WPS calls it, synchronously; the run ends at the alert the press
 * ends with. The HTTP request is real: an XMLHttpRequest made of Node's http module, to the
 * server named in the workbook's xlwings.conf (or the add-in's own server).
 *
 * Prints the final state as JSON: the fake's sheets (values from A1, fills as BGR longs,
 * number formats and hyperlinks keyed "row,column" from 0), the active sheet, the
 * selection, the alerts shown, the requests sent, the kinds of action the server answered
 * with, what the callback returned and whether it returned before the answer arrived.
 */
"use strict";

const fs = require("fs");
const http = require("http");
const https = require("https");
const path = require("path");
const vm = require("vm");

const ROOT = path.join(__dirname, "..");
const input = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));

function load(file) {
  vm.runInThisContext(fs.readFileSync(path.join(ROOT, file), "utf8"), { filename: file });
}

// ---- ET, faked --------------------------------------------------------------------
load("test/fake_et.js");
const fake = global.createFakeEt(input.book || { name: "空.xlsx", sheets: [{ name: "Sheet1" }] });
global.Application = fake.application;
global.wps = fake.application;

// ---- the page around the add-in ---------------------------------------------------
const written = [];
global.location = { href: input.location || "https://addin.example.edu.cn/wps/index.html" };
global.document = {
  write(html) {
    const found = /<script\s+src="([^"]+)"\s*><\/script>/.exec(html);
    if (!found) throw new Error(`document.write of something else than a script: ${html}`);
    written.push(found[1]);
  },
};
const alerts = [];
let alerted = null;
global.alert = (text) => {
  alerts.push(String(text));
  if (alerted) alerted();
};

// ---- XMLHttpRequest over Node's http: a real request ---------------------------------
const requests = [];
const answered = []; // the funcs of the actions the server answered with
let pending = 0;
class NodeXMLHttpRequest {
  constructor() {
    this.readyState = 0;
    this.status = 0;
    this.responseText = "";
    this.timeout = 0;
    this.headers = {};
    this.answerHeaders = {};
    this.onload = null;
    this.onerror = null;
    this.ontimeout = null;
  }
  open(method, url, async) {
    if (async !== true) throw new Error("the add-in must not block WPS with a synchronous request");
    this.method = method;
    this.url = url;
    this.readyState = 1;
  }
  setRequestHeader(name, value) {
    this.headers[name] = value;
  }
  getResponseHeader(name) {
    const value = this.answerHeaders[name.toLowerCase()];
    return value === undefined ? null : String(value);
  }
  send(body) {
    const sent = JSON.parse(body);
    if (input.payload_out) fs.writeFileSync(input.payload_out, body);
    requests.push({
      url: this.url,
      method: this.method,
      authorization: this.headers.Authorization || null,
      content_type: this.headers["Content-Type"] || null,
      timeout: this.timeout,
      bytes: Buffer.byteLength(body),
      client: sent.client,
      version: sent.version,
      book: sent.book,
      sheets: sent.sheets.map((s) => ({ name: s.name, rows: s.values.length, columns: (s.values[0] || []).length })),
    });
    pending += 1;
    let settled = false;
    const settle = (handler, status) => {
      if (settled) return;
      settled = true;
      pending -= 1;
      this.readyState = 4;
      this.status = status;
      if (handler) handler.call(this);
    };
    const url = new URL(this.url);
    const agent = url.protocol === "https:" ? https : http;
    const request = agent.request(
      url,
      { method: this.method, headers: { ...this.headers, "Content-Length": Buffer.byteLength(body) } },
      (response) => {
        const chunks = [];
        response.on("data", (chunk) => chunks.push(chunk));
        response.on("end", () => {
          this.responseText = Buffer.concat(chunks).toString("utf8");
          try {
            answered.push(...JSON.parse(this.responseText).actions.map((a) => a.func));
          } catch (error) {
            // a refusal: no actions
          }
          this.answerHeaders = response.headers;
          settle(this.onload, response.statusCode);
        });
        response.on("error", () => settle(this.onerror, 0));
      }
    );
    request.on("error", () => settle(this.onerror, 0));
    if (this.timeout) {
      request.setTimeout(this.timeout, () => {
        request.destroy();
        settle(this.ontimeout, 0);
      });
    }
    request.end(body);
  }
}
global.XMLHttpRequest = NodeXMLHttpRequest;

// ---- the add-in, as WPS loads it ---------------------------------------------------------
load("main.js");
for (const src of written.slice()) load(src);
const ribbon = { invalidated: 0, Invalidate() {}, InvalidateControl() {} };

function finish(extra) {
  const out = {
    ...fake.snapshot(),
    alerts,
    requests,
    answered,
    scripts: ["main.js"].concat(written),
    ...extra,
  };
  process.stdout.write(JSON.stringify(out));
}

function waitForAlerts(count, seconds) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no alert within ${seconds} s`)), seconds * 1000);
    const check = () => {
      if (alerts.length >= count) {
        clearTimeout(timer);
        setImmediate(resolve); // let the press finish what follows its alert
      }
    };
    alerted = check;
    check();
  });
}

(async () => {
  const mode = input.mode || "press";
  if (mode === "callbacks") {
    const kinds = {};
    for (const name of input.names) kinds[name] = typeof global[name];
    finish({ kinds, on_load: global.ShengyuanOnLoad(ribbon) });
    return;
  }
  if (mode === "actions") {
    let error = null;
    let shown = [];
    try {
      const book = global.Application.ActiveWorkbook;
      shown = global.ShengyuanWps.applyActions(book, global.ShengyuanWps.sheetsOf(book), input.actions);
    } catch (e) {
      error = { name: e.name, message: e.message };
    }
    finish({ shown, error });
    return;
  }
  global.ShengyuanOnLoad(ribbon);
  const control = { Id: input.control || `shengyuan${input.button[0].toUpperCase()}${input.button.slice(1)}` };
  const returned = global.ShengyuanOnAction(control);
  const answeredBeforeReturn = requests.length > 0 && pending === 0;
  let second = null;
  if (input.press_twice) second = global.ShengyuanOnAction(control);
  await waitForAlerts(input.press_twice ? 2 : 1, 300);
  finish({
    returned,
    returned_type: typeof returned,
    answered_before_return: answeredBeforeReturn,
    second_returned: second,
    image: global.ShengyuanGetImage(control),
  });
})().catch((error) => {
  process.stderr.write(String((error && error.stack) || error));
  process.exit(1);
});
