/*
 * 生源核对 ribbon buttons (Office.js add-in, shared runtime).
 *
 * Each button reads the workbook the way xlwings' clients do (every sheet's used
 * range from A1, the book's name, the active sheet, the selection), posts it as the
 * JSON that `xw.Book(json=...)` accepts from an Office.js client to
 * SERVER + "/xlwings/<button>" with the college's token, and applies the xlwings
 * actions the server answers with Excel's JavaScript API.
 *
 * 自检 (the seventh button) proves this client applies what the server answers in this
 * Excel: it posts the sheets' names to SERVER + "/xlwings/selftest", applies the answer (one
 * action of every kind, on a scratch sheet "_自检"), reads that sheet back (values as for
 * any button; number formats, fills, links) and posts it with what it is and runs on
 * (Office.context.diagnostics: Excel's version and platform; nothing personal) to
 * "/xlwings/selftest/result", which answers 全部通过 or what did not work and removes the
 * scratch sheet. No token is sent.
 *
 * No library and no build step: the file is served as it is by `shengyuan serve`
 * under /addin/, and the tests load it under Node with office-addin-mock standing in
 * for Excel (test/run_button.js). Office.js itself comes from Microsoft's CDN, as for
 * every add-in. The shared runtime is Edge WebView2 (or Safari on a Mac, a browser on
 * Excel on the web): modern JavaScript (async/await, fetch) is available.
 */
"use strict";

// The payload must carry the xlwings version the server runs (pinned by the project);
// tests/test_addin_function_file.py checks the two agree.
var XLWINGS_VERSION = "0.37.8";
// this add-in's version: shengyuan-xl's, which serves it (the tests check the two agree)
var ADDIN_VERSION = "0.1.0";
var CLIENT_NAME = "Office.js";
var SELFTEST = "selftest";
var SCRATCH_SHEET = "_自检"; // the sheet 自检's first answer adds; read back, then deleted
var MAX_READ_ROWS = 40; // what 自检 reads back of it, at most
var MAX_READ_COLUMNS = 10;
var CONF_SHEET = "xlwings.conf";
var STORAGE_KEY = "shengyuan.settings";
var DEFAULT_TIMEOUT_SECONDS = 180;
var TITLE = "生源核对";
var BUTTONS = ["validate", "withdrawals", "additions", "pull", "letter", "submit", "selftest"];

/** A problem to show the user as it is (already Chinese). */
function Shown(message) {
  this.message = message;
}

/** The settings of the xlwings.conf sheet (key in column A, value in column B). */
function readConf(values) {
  var conf = {};
  (values || []).forEach(function (row) {
    if (row && row[0] !== "" && row[0] !== null && row[0] !== undefined) {
      conf[String(row[0]).trim().toUpperCase()] = row[1] === undefined ? "" : String(row[1]);
    }
  });
  return conf;
}

/** The used range padded to start at A1 (xlwings sends each sheet from A1). */
function fromA1(used) {
  if (!used || used.isNullObject) return [[]];
  var width = used.columnIndex + used.columnCount;
  var rows = [];
  var r, c;
  for (r = 0; r < used.rowIndex; r++) {
    rows.push(new Array(width).fill(""));
  }
  for (r = 0; r < used.values.length; r++) {
    var row = new Array(used.columnIndex).fill("");
    for (c = 0; c < used.values[r].length; c++) row.push(used.values[r][c]);
    rows.push(row);
  }
  return rows.length ? rows : [[]];
}

/**
 * Read the workbook in two round trips: the sheets' names and the book's state, then
 * every sheet's used range. Returns the payload, the xlwings.conf settings and the
 * worksheet objects (in order) for applying the answer later in the same context, and
 * the used ranges read. With `only`, only that sheet's cells are read and sent (自检:
 * the others' names; xlwings.conf is read for the settings, never sent).
 */
async function readBook(context, only) {
  var workbook = context.workbook;
  var sheets = workbook.worksheets;
  sheets.load("items/name");
  workbook.load("name");
  var active = sheets.getActiveWorksheet();
  active.load("name");
  await context.sync();

  var items = sheets.items;
  var usedRanges = function () {
    return items.map(function (sheet) {
      if (only !== undefined && sheet.name !== only && sheet.name !== CONF_SHEET) return null;
      // values only: a cell that is merely formatted is not part of what xlwings sends
      var range = sheet.getUsedRangeOrNullObject(true);
      range.load("values,rowIndex,columnIndex,rowCount,columnCount");
      return range;
    });
  };
  var used = usedRanges();
  var selection = workbook.getSelectedRange();
  selection.load("address");
  try {
    await context.sync();
  } catch (error) {
    // a selection of several areas (Ctrl+click) cannot be read as one range and fails
    // the whole batch: read the sheets again without it, as if A1 were selected
    used = usedRanges();
    selection = { address: "A1" };
    await context.sync();
  }

  var conf = {};
  items.forEach(function (sheet, i) {
    if (sheet.name === CONF_SHEET) conf = readConf(used[i].isNullObject ? [] : used[i].values);
  });
  var excluded = (conf.EXCLUDE || CONF_SHEET).split(",").map(function (s) {
    return s.trim();
  });
  excluded.push(CONF_SHEET); // the token's sheet never leaves the workbook
  var names = items.map(function (sheet) {
    return sheet.name;
  });
  var address = String(selection.address || "A1");
  var payload = {
    client: "Office.js",
    version: XLWINGS_VERSION,
    book: {
      name: workbook.name,
      active_sheet_index: Math.max(0, names.indexOf(active.name)),
      selection: address.split("!").pop(),
    },
    names: [],
    sheets: items.map(function (sheet, i) {
      return {
        name: sheet.name,
        values: excluded.indexOf(sheet.name) >= 0 || !used[i] ? [[]] : fromA1(used[i]),
        pictures: [],
        tables: [],
      };
    }),
  };
  return { payload: payload, conf: conf, sheets: items.slice(), used: used };
}

/** A rows × columns matrix of one value (Excel wants a format per cell). */
function filled(rows, columns, value) {
  var out = [];
  for (var r = 0; r < rows; r++) out.push(new Array(columns).fill(value));
  return out;
}

/**
 * Queue the answer's actions on Excel's objects; nothing reaches Excel until the
 * caller's one context.sync(). `sheets` mirrors the workbook's order as the actions
 * add and delete sheets, since xlwings addresses sheets by position. Returns the
 * alerts' texts.
 */
function applyActions(context, sheets, actions) {
  var alerts = [];
  sheets = sheets.slice();
  actions.forEach(function (action) {
    var args = action.args || [];
    var func = action.func;
    if (func === "alert") {
      alerts.push({ message: String(args[0] || ""), title: args[1] || TITLE, mode: args[3] || "info" });
      return;
    }
    if (func === "addSheet") {
      var added = context.workbook.worksheets.add(args[1]);
      added.position = args[0];
      sheets.splice(args[0], 0, added);
      return;
    }
    var sheet = sheets[action.sheet_position];
    if (func === "activateSheet") {
      sheets[args[0]].activate();
      return;
    }
    if (!sheet) throw new Shown("服务器的回答指向不存在的工作表：请重新打开工作簿后再试。");
    if (func === "sheetDelete") {
      sheet.delete();
      sheets.splice(action.sheet_position, 1);
      return;
    }
    var range = sheet.getRangeByIndexes(
      action.start_row,
      action.start_column,
      action.row_count,
      action.column_count
    );
    if (func === "setValues") {
      range.values = action.values;
    } else if (func === "setNumberFormat") {
      range.numberFormat = filled(action.row_count, action.column_count, args[0]);
    } else if (func === "setRangeColor") {
      if (args[0] === null || args[0] === undefined) range.format.fill.clear();
      else range.format.fill.color = args[0];
    } else if (func === "addHyperlink") {
      var target = String(args[0]);
      var link = { textToDisplay: args[1] === null ? target : String(args[1]) };
      if (args[2]) link.screenTip = String(args[2]);
      // "#'Sheet'!A1" is a place in this workbook; anything else is a web address
      if (target.charAt(0) === "#") link.documentReference = target.slice(1);
      else link.address = target;
      range.hyperlink = link;
    } else if (func === "rangeSelect") {
      range.select();
    } else {
      throw new Shown("服务器要求的操作（" + func + "）这个加载项不认识：请更新加载项。");
    }
  });
  return alerts;
}

/** The add-in's own storage: OfficeRuntime.storage in the shared runtime, else the page's. */
var storage = {
  get: async function (key) {
    if (typeof OfficeRuntime !== "undefined" && OfficeRuntime.storage) {
      return OfficeRuntime.storage.getItem(key);
    }
    return typeof localStorage !== "undefined" ? localStorage.getItem(key) : null;
  },
  set: async function (key, value) {
    if (typeof OfficeRuntime !== "undefined" && OfficeRuntime.storage) {
      return OfficeRuntime.storage.setItem(key, value);
    }
    if (typeof localStorage !== "undefined") localStorage.setItem(key, value);
  },
};

/** The folder this file is served from (dialog pages live next to it). */
function baseUrl() {
  if (typeof document !== "undefined" && document.currentScript) {
    return document.currentScript.src.replace(/[^/]*$/, "");
  }
  return typeof location !== "undefined" ? location.href.replace(/[^/]*$/, "") : "";
}
var ADDIN_BASE = baseUrl();

/**
 * Open one of our dialog pages; it says "ready" when loaded, we answer with `data`
 * (messageChild, DialogApi 1.2), and it sends its result back. Resolves with that
 * result (or null when the user closes it).
 */
function openDialog(page, data) {
  return new Promise(function (resolve) {
    // the text also rides in the address, shortened, for an Office without DialogApi 1.2
    // (no messageChild); the whole text follows through messageChild where there is one
    var brief = JSON.parse(JSON.stringify(data));
    if (brief.message && brief.message.length > 200) brief.message = brief.message.slice(0, 200) + "……";
    var url = ADDIN_BASE + page + "?d=" + encodeURIComponent(JSON.stringify(brief));
    Office.context.ui.displayDialogAsync(url, { height: 40, width: 30, displayInIframe: true }, function (result) {
      if (result.status !== "succeeded") {
        resolve(null);
        return;
      }
      var dialog = result.value;
      dialog.addEventHandler(Office.EventType.DialogMessageReceived, function (arg) {
        if (arg.message === "ready") {
          if (typeof dialog.messageChild === "function") dialog.messageChild(JSON.stringify(data));
          return;
        }
        dialog.close();
        resolve(arg.message);
      });
      dialog.addEventHandler(Office.EventType.DialogEventReceived, function () {
        resolve(null); // closed with its ×
      });
    });
  });
}

/** Show a message the way xlwings' alert does, in our own dialog. */
function showMessage(message, mode, title) {
  return openDialog("message.html", { title: title || TITLE, message: message, mode: mode || "info" });
}

/**
 * SERVER and AUTH: from the workbook's xlwings.conf (written by `shengyuan build
 * --server`); when a workbook has none, asked once in a dialog and kept in the
 * add-in's storage.
 */
async function settingsFor(conf) {
  if (conf.SERVER) {
    // xlwings.conf's TIMEOUT is in milliseconds, as xlwings' VBA client reads it ("180000")
    var ms = Number(conf.TIMEOUT);
    return { server: conf.SERVER, auth: conf.AUTH || "", timeout: ms > 0 ? Math.ceil(ms / 1000) : DEFAULT_TIMEOUT_SECONDS };
  }
  var kept = await storage.get(STORAGE_KEY);
  var settings = kept ? JSON.parse(kept) : null;
  if (!settings || !settings.server) {
    var answer = await openDialog("settings.html", {});
    settings = answer ? JSON.parse(answer) : null;
    if (!settings || !settings.server) {
      throw new Shown("没有服务器地址：这个工作簿不是招生就业处生成的，请填写服务器地址和令牌，或向招生就业处索取本学院的工作簿。");
    }
    await storage.set(STORAGE_KEY, JSON.stringify(settings));
  }
  return { server: settings.server, auth: settings.auth || "", timeout: DEFAULT_TIMEOUT_SECONDS };
}

/** POST the payload; the answer's actions, or a Chinese sentence saying why not. */
async function post(settings, button, payload) {
  var url = settings.server.replace(/\/+$/, "") + "/xlwings/" + button;
  var headers = { "Content-Type": "application/json" };
  if (settings.auth) headers.Authorization = settings.auth;
  var controller = typeof AbortController !== "undefined" ? new AbortController() : null;
  var timer = controller
    ? setTimeout(function () {
        controller.abort();
      }, settings.timeout * 1000)
    : null;
  var response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: headers,
      body: JSON.stringify(payload),
      signal: controller ? controller.signal : undefined,
    });
  } catch (error) {
    var why = error && error.name === "AbortError" ? "服务器在 " + settings.timeout + " 秒内没有回答" : "网络不通或地址不对";
    // the browser refuses a request to another address than the add-in's own (no CORS),
    // and any http:// one from an https:// page: say so, it is the office's to fix
    var own = ADDIN_BASE.replace(/^(https?:\/\/[^/]+).*$/, "$1");
    var elsewhere =
      own && url.indexOf(own + "/") !== 0
        ? "加载项来自 " + own + "，工作簿中的服务器地址却是 " + settings.server +
          "：两者须是同一个 HTTPS 地址（build --server 与 addin manifest --url 相同）。"
        : "";
    throw new Shown(
      "连不上服务器 " + settings.server + "（" + why + "）。工作簿没有被发送，也没有被改动。" +
        elsewhere + "请检查校园网或 VPN；仍不行请联系招生就业处。"
    );
  } finally {
    if (timer) clearTimeout(timer);
  }
  if (response.status !== 200) {
    // the server answers a refused request with one plain Chinese sentence (401, 403, 413, 422, 500)
    var text = (await response.text()).trim();
    throw new Shown(text || "服务器拒绝了这次请求（状态 " + response.status + "）：请联系招生就业处。");
  }
  try {
    return (await response.json()).actions || [];
  } catch (error) {
    throw new Shown("服务器的回答不是按钮能用的数据：请确认服务器地址是生源核对的服务器。");
  }
}

/** What 自检 says of this client and the Excel it runs in (nothing personal). */
function whoAmI() {
  var diagnostics = (typeof Office !== "undefined" && Office.context && Office.context.diagnostics) || {};
  return {
    client: CLIENT_NAME,
    client_version: ADDIN_VERSION,
    host: String(diagnostics.host || "Excel"),
    host_version: String(diagnostics.version || ""),
    platform: String(diagnostics.platform || ""),
  };
}

/**
 * 自检's read-back of the scratch sheet, beside its values in the payload: each cell's
 * number format, fill colour and link from A1, in one context.sync().
 */
async function readScratch(context, book) {
  var at = book.sheets.findIndex(function (sheet) {
    return sheet.name === SCRATCH_SHEET;
  });
  var found = { formats: [], fills: [], links: [] };
  var used = at >= 0 ? book.used[at] : null;
  if (!used || used.isNullObject) return found;
  var rows = Math.min(used.rowIndex + used.rowCount, MAX_READ_ROWS);
  var columns = Math.min(used.columnIndex + used.columnCount, MAX_READ_COLUMNS);
  var block = book.sheets[at].getRangeByIndexes(0, 0, rows, columns);
  block.load("numberFormat");
  var cells = [];
  for (var r = 0; r < rows; r++) {
    var line = [];
    for (var c = 0; c < columns; c++) {
      var cell = book.sheets[at].getRangeByIndexes(r, c, 1, 1);
      cell.load("format/fill/color,hyperlink");
      line.push(cell);
    }
    cells.push(line);
  }
  await context.sync();
  found.formats = block.numberFormat;
  cells.forEach(function (line, r) {
    found.fills.push(
      line.map(function (cell) {
        return cell.format.fill.color || null;
      })
    );
    line.forEach(function (cell, c) {
      var link = cell.hyperlink;
      if (link && (link.address || link.documentReference)) {
        found.links.push({
          cell: String.fromCharCode(65 + c) + (r + 1),
          address: String(link.address || ""),
          sub_address: String(link.documentReference || ""),
        });
      }
    });
  });
  return found;
}

/** The server for 自检: the workbook's, else the one this add-in comes from. No token. */
function selftestServer(conf) {
  var ms = Number(conf.TIMEOUT);
  var own = ADDIN_BASE.replace(/addin\/$/, "").replace(/\/+$/, "");
  var server = conf.SERVER || own;
  if (!server) throw new Shown("没有服务器地址：请用招生就业处生成的工作簿做自检。");
  return { server: server, auth: "", timeout: ms > 0 ? Math.ceil(ms / 1000) : DEFAULT_TIMEOUT_SECONDS };
}

/**
 * 自检: the first request, its actions applied, the scratch sheet read back, the second
 * request, its answer (the scratch sheet removed, the result) applied. A first answer that
 * fails midway is still read back: the result names what did not work. Resolves with the
 * messages to show.
 */
async function selftest() {
  var shown = [];
  await Excel.run(async function (context) {
    var book = await readBook(context, SCRATCH_SHEET);
    var settings = selftestServer(book.conf);
    book.payload.selftest = whoAmI();
    var actions = await post(settings, SELFTEST, book.payload);
    var problems = [];
    try {
      var refused = applyActions(context, book.sheets, actions);
      await context.sync();
      if (refused.length) {
        // the server said why it will not run 自检 (another xlwings version): nothing to read back
        shown = refused;
        return;
      }
    } catch (error) {
      problems.push(failed(error));
    }
    var back = await readBook(context, SCRATCH_SHEET);
    back.payload.selftest = Object.assign(whoAmI(), await readScratch(context, back));
    var answer = await post(settings, SELFTEST + "/result", back.payload);
    var alerts = applyActions(context, back.sheets, answer);
    await context.sync();
    shown = problems.concat(alerts);
  });
  return shown;
}

/** What to show for an error: ours as it is, anything else with its own words. */
function failed(error) {
  var message =
    error instanceof Shown
      ? error.message
      : "这次操作没有完成：" + ((error && error.message) || String(error)) + "。请把这句话告诉招生就业处。";
  return { message: message, title: TITLE, mode: "critical" };
}

/**
 * Press a button: read, post, apply, tell. Three context.sync() calls in all: two to
 * read, one to apply the answer. Resolves with what was shown (the tests read it).
 */
async function press(button) {
  var shown = [];
  if (button === SELFTEST) {
    try {
      shown = await selftest();
    } catch (error) {
      shown = [failed(error)];
    }
    return tell(shown);
  }
  try {
    await Excel.run(async function (context) {
      var book = await readBook(context);
      var settings = await settingsFor(book.conf);
      var actions = await post(settings, button, book.payload);
      var alerts = applyActions(context, book.sheets, actions);
      await context.sync();
      shown = alerts;
    });
  } catch (error) {
    shown = [failed(error)];
  }
  return tell(shown);
}

/** Show the messages in one dialog; resolves with them. */
async function tell(shown) {
  if (shown.length) {
    var one = shown.length === 1 ? shown[0] : {
      message: shown.map(function (a) { return a.message; }).join("\n\n"),
      title: shown[0].title,
      mode: shown[shown.length - 1].mode,
    };
    await showMessage(one.message, one.mode, one.title);
  }
  return shown;
}

/** An ExecuteFunction command: always completes, whatever happened. */
function command(button) {
  return function (event) {
    press(button).then(
      function () {
        event.completed();
      },
      function () {
        event.completed();
      }
    );
  };
}

if (typeof Office !== "undefined") {
  Office.onReady(function () {
    BUTTONS.forEach(function (button) {
      Office.actions.associate(button, command(button));
    });
  });
}

if (typeof module !== "undefined" && module.exports) {
  module.exports = { press: press, command: command, readConf: readConf, fromA1: fromA1, XLWINGS_VERSION: XLWINGS_VERSION, ADDIN_VERSION: ADDIN_VERSION, BUTTONS: BUTTONS };
}
