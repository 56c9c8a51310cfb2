/*
 * The 安装 page's script (install.js) under Node: a fake page with the page's elements, and
 * WPS's local service faked by answers given in order.
 *
 *   node run_install.js <request.json>
 *
 * request.json: {"name", "url" (the page's data-), "answers": [[status, text], ...] (the
 * local service's answer to each request in turn; status 0 is "nobody listens")}.
 * Prints what the script sent (address and the decoded body), where it navigated, and the
 * status line it ends with.
 */
"use strict";

const fs = require("fs");
const path = require("path");
const vm = require("vm");

const input = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));

function element(attributes) {
  const listeners = {};
  return {
    attributes: { ...attributes },
    textContent: "",
    className: "",
    getAttribute(name) {
      return name in this.attributes ? this.attributes[name] : null;
    },
    setAttribute(name, value) {
      this.attributes[name] = String(value);
    },
    removeAttribute(name) {
      delete this.attributes[name];
    },
    addEventListener(type, fn) {
      listeners[type] = fn;
    },
    fire(type) {
      listeners[type]({ type });
    },
  };
}

const elements = {
  "wps-install": element({ "data-name": input.name, "data-url": input.url }),
  "wps-install-button": element({}),
  "wps-install-status": element({}),
};
const sent = [];
const answers = input.answers.slice();
const navigated = [];
let finished = null;

global.document = { getElementById: (id) => elements[id] || null };
global.location = {
  set href(value) {
    navigated.push(value);
  },
  get href() {
    return "https://addin.example.edu.cn/wps/install";
  },
};
global.setTimeout = (fn) => setImmediate(fn); // the retries' pauses, without waiting
global.XMLHttpRequest = class {
  open(method, url, async) {
    this.method = method;
    this.url = url;
    this.async = async;
  }
  send(body) {
    sent.push({
      method: this.method,
      url: this.url,
      async: this.async,
      body: JSON.parse(Buffer.from(body, "base64").toString("utf8")),
    });
    const [status, text] = answers.shift() || [0, ""];
    setImmediate(() => {
      this.status = status;
      this.responseText = text;
      if (status === 0) this.onerror();
      else this.onload();
      setImmediate(() => finished && finished());
    });
  }
};

vm.runInThisContext(fs.readFileSync(path.join(__dirname, "..", "install.js"), "utf8"), { filename: "install.js" });

const status = elements["wps-install-status"];
elements["wps-install-button"].fire("click");
const disabledWhileWorking = elements["wps-install-button"].getAttribute("disabled") !== null;
finished = () => {
  if (status.className === "hint") return; // still trying
  process.stdout.write(
    JSON.stringify({
      sent,
      navigated,
      status: status.textContent,
      kind: status.className,
      disabled_while_working: disabledWhileWorking,
      disabled_after: elements["wps-install-button"].getAttribute("disabled") !== null,
    })
  );
  finished = null;
};
