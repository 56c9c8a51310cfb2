// @ts-check
/*
 * 生源核对 in WPS 表格 (ET): what the ribbon's six buttons do.
 *
 * A press reads the active workbook through ET's object model (every sheet's used range
 * from A1, the book's name, the active sheet, the selection), posts it as the JSON the
 * Office.js client sends (addin/officejs/commands.js: xlwings' Office.js payload, values
 * as Excel holds them, so Value2: dates as serial numbers, empty cells "") to
 * SERVER + "/xlwings/<button>" with the college's token from the workbook's
 * xlwings.conf sheet, and applies the xlwings actions the server answers with through
 * ET's object model (values, fills, number formats, hyperlinks, sheets added / renamed /
 * deleted / activated / hidden, selection, alerts).
 *
 * 自检 (the seventh button) proves this client applies what the server answers on this
 * computer's WPS: it posts the sheets' names to SERVER + "/xlwings/selftest", applies the
 * answer (one action of every kind, on a scratch sheet "_自检"), reads that sheet back
 * (values as for any button; number formats, fills, links) and posts it with what it is and
 * runs on (client, version, WPS's name, version and platform: nothing personal) to
 * "/xlwings/selftest/result"; the server answers 全部通过 or what did not work, and removes
 * the scratch sheet. No token is sent.
 *
 * ET's object model is synchronous and VBA-like; only the HTTP request is asynchronous.
 * A ribbon callback calls press(): it reads the workbook, starts the request and returns
 * at once (some WPS builds break on callbacks that return a promise); the answer is
 * applied when it arrives, to the workbook and sheets read at the press, whichever
 * workbook is active by then.
 *
 * Plain ES5 and XMLHttpRequest on purpose: WPS embeds older Chromium builds on some
 * platforms. Type-checked against the npm package et-jsapi-declare (tsconfig.json), so a
 * misspelt member of ET fails the tests. Not yet run in a real WPS.
 */
"use strict";

var ShengyuanWps = (function () {
  // The payload must carry the xlwings version the server runs (pinned by the project);
  // tests/test_addin_wps.py checks the two agree.
  var XLWINGS_VERSION = "0.37.8";
  // this add-in's version: shengyuan-xl's, which serves it (the tests check the two agree)
  var ADDIN_VERSION = "0.1.0";
  var CLIENT_NAME = "WPS";
  var SELFTEST = "selftest";
  var SCRATCH_SHEET = "_自检"; // the sheet 自检's first answer adds; read back, then deleted
  var MAX_READ_ROWS = 40; // what 自检 reads back of it, at most
  var MAX_READ_COLUMNS = 10;
  // the payload is the Office.js client's, value for value: the server reads it as such
  var CLIENT = "Office.js";
  var CONF_SHEET = "xlwings.conf";
  var TITLE = "生源核对";
  var DEFAULT_TIMEOUT_MS = 180000; // xlwings.conf's TIMEOUT is in milliseconds, as for xlwings' VBA client
  var BUTTONS = ["validate", "withdrawals", "additions", "pull", "letter", "submit"];
  // ET's constants (the enums of et-jsapi-declare are types only: no object at run time)
  var XL_COLOR_INDEX_NONE = -4142;
  /** @type {Et.XlSheetVisibility} */
  var SHEET_VISIBLE = -1;
  /** @type {Et.XlSheetVisibility} */
  var SHEET_HIDDEN = 0;
  /** @type {Et.XlSheetVisibility} */
  var SHEET_VERY_HIDDEN = 2;
  var ACTIONS = [
    "alert",
    "addSheet",
    "activateSheet",
    "sheetDelete",
    "setSheetName",
    "setSheetVisibility",
    "setValues",
    "setNumberFormat",
    "setRangeColor",
    "addHyperlink",
    "rangeSelect",
  ];

  /**
   * @typedef {{func: string, args: Array<any> | null, values: Array<Array<any>> | null,
   *   sheet_position: number | null, start_row: number | null, start_column: number | null,
   *   row_count: number | null, column_count: number | null}} Action
   * @typedef {{message: string, title: string, mode: string}} Alert
   * @typedef {{server: string, auth: string, timeoutMs: number}} Settings
   * @typedef {Object<string, string>} Conf
   * @typedef {{payload: Object<string, any>, conf: Conf, book: Et.Workbook, sheets: Et.Worksheet[]}} ReadBook
   * @typedef {(error: Error | null, actions?: Action[]) => void} Answered
   */

  var busy = false;

  /** A problem to show the user as it is (already Chinese). @param {string} message */
  function shown(message) {
    var error = new Error(message);
    error.name = "Shown";
    return error;
  }

  /** @param {Array<Array<any>>} values @returns {Conf} */
  function readConf(values) {
    /** @type {Conf} */
    var conf = {};
    for (var r = 0; r < values.length; r++) {
      var row = values[r] || [];
      if (row[0] !== "" && row[0] !== null && row[0] !== undefined) {
        conf[String(row[0]).replace(/^\s+|\s+$/g, "").toUpperCase()] =
          row[1] === undefined || row[1] === null ? "" : String(row[1]);
      }
    }
    return conf;
  }

  /** A cell's value as the Office.js client sends it: text, number, boolean or "". @param {any} value */
  function cellValue(value) {
    if (value === null || value === undefined) return "";
    var kind = typeof value;
    if (kind === "string" || kind === "boolean") return value;
    if (kind === "number") return isFinite(value) ? value : "";
    if (Object.prototype.toString.call(value) === "[object Date]") {
      return value.getTime() / 86400000 + 25569; // Excel's serial day number
    }
    return String(value);
  }

  /** @param {Et.Worksheet} sheet @returns {Array<Array<any>>} the used range's values from A1 */
  function sheetValues(sheet) {
    var used = sheet.UsedRange;
    var top = used.Row;
    var left = used.Column;
    var rowCount = used.Rows.Count;
    var raw = used.Value2;
    /** @type {Array<any>} */
    var block;
    if (!isArray(raw)) block = [[raw]];
    else if (raw.length && !isArray(raw[0])) {
      // one row or one column handed back flat
      block = rowCount === 1 ? [raw] : raw.map(function (v) { return [v]; });
    } else block = raw;
    /** @type {Array<Array<any>>} */
    var rows = [];
    var r, c;
    for (r = 1; r < top; r++) rows.push([]);
    for (r = 0; r < block.length; r++) {
      /** @type {Array<any>} */
      var row = [];
      for (c = 1; c < left; c++) row.push("");
      var cells = isArray(block[r]) ? block[r] : [block[r]];
      for (c = 0; c < cells.length; c++) row.push(cellValue(cells[c]));
      rows.push(row);
    }
    // what holds a value, like Office.js's used range of values only: a cell that is
    // merely formatted (a bordered empty row below the students) is not sent
    var width = 0;
    var height = 0;
    for (r = 0; r < rows.length; r++) {
      for (c = rows[r].length - 1; c >= 0; c--) {
        if (rows[r][c] !== "") {
          if (c + 1 > width) width = c + 1;
          height = r + 1;
          break;
        }
      }
    }
    if (!height) return [[]];
    rows.length = height;
    for (r = 0; r < height; r++) {
      rows[r].length = Math.min(rows[r].length, width);
      for (c = rows[r].length; c < width; c++) rows[r].push("");
    }
    return rows;
  }

  /** @param {any} value @returns {value is Array<any>} */
  function isArray(value) {
    return Object.prototype.toString.call(value) === "[object Array]";
  }

  /** @param {Et.Workbook} book @returns {Et.Worksheet[]} the workbook's worksheets in order */
  function sheetsOf(book) {
    var all = book.Worksheets;
    var count = all.Count;
    /** @type {Et.Worksheet[]} */
    var sheets = [];
    for (var i = 1; i <= count; i++) sheets.push(/** @type {Et.Worksheet} */ (all.Item(i)));
    return sheets;
  }

  /** The selection's address on its sheet ("C5"), or A1 when it is not one range. */
  function selectionAddress() {
    try {
      var selection = /** @type {Et.Range} */ (Application.Selection);
      if (!selection || selection.Areas.Count !== 1) return "A1";
      return String(selection.Address(false, false)) || "A1";
    } catch (error) {
      return "A1"; // a shape or a chart is selected
    }
  }

  /**
   * Read a workbook (the active one unless given): the payload, the xlwings.conf settings,
   * the sheets. With `only`, only that sheet's cells are sent (自检: the others' names).
   * @param {Et.Workbook} [given] @param {string} [only] @returns {ReadBook}
   */
  function readBook(given, only) {
    var book = given || Application.ActiveWorkbook;
    if (!book) throw shown("没有打开的工作簿：请先打开招生就业处发来的学院工作簿，再点按钮。");
    var sheets = sheetsOf(book);
    var names = sheets.map(function (sheet) {
      return sheet.Name;
    });
    var confAt = names.indexOf(CONF_SHEET);
    var conf = confAt >= 0 ? readConf(sheetValues(sheets[confAt])) : {};
    var excluded = (conf.EXCLUDE || CONF_SHEET).split(",").map(function (s) {
      return s.replace(/^\s+|\s+$/g, "");
    });
    excluded.push(CONF_SHEET); // the token's sheet never leaves the workbook
    var active = names.indexOf(book.ActiveSheet.Name);
    var payload = {
      client: CLIENT,
      version: XLWINGS_VERSION,
      book: {
        name: book.Name,
        active_sheet_index: active < 0 ? 0 : active,
        selection: selectionAddress(),
      },
      names: [],
      sheets: sheets.map(function (sheet, i) {
        return {
          name: names[i],
          values:
            excluded.indexOf(names[i]) >= 0 || (only !== undefined && names[i] !== only)
              ? [[]]
              : sheetValues(sheet),
          pictures: [],
          tables: [],
        };
      }),
    };
    return { payload: payload, conf: conf, book: book, sheets: sheets };
  }

  /** The folder the add-in is served from ("https://host/wps/"). */
  function addinBase() {
    var href = typeof location !== "undefined" ? String(location.href) : "";
    return /^https?:\/\//.test(href) ? href.replace(/[?#].*$/, "").replace(/[^/]*$/, "") : "";
  }

  /** The server that serves the add-in (online mode): the add-in's address without /wps/. */
  function ownServer() {
    return addinBase().replace(/wps\/$/, "").replace(/\/+$/, "");
  }

  /** SERVER, AUTH and TIMEOUT of the workbook's xlwings.conf; else the add-in's own server,
   * without a token (校验, 标记退出, 新增学生 and 生成报送函 need none). @param {Conf} conf
   * @returns {Settings} */
  function settingsFor(conf) {
    var timeoutMs = Number(conf.TIMEOUT) > 0 ? Number(conf.TIMEOUT) : DEFAULT_TIMEOUT_MS;
    if (conf.SERVER) return { server: conf.SERVER, auth: conf.AUTH || "", timeoutMs: timeoutMs };
    var own = ownServer();
    if (own) return { server: own, auth: "", timeoutMs: timeoutMs };
    throw shown(
      "没有服务器地址：这个工作簿不是招生就业处用服务器地址生成的，请向招生就业处索取本学院的工作簿。"
    );
  }

  /** What to say for a refused request whose body is not our one Chinese sentence (a
   * reverse proxy's page, an empty body). @param {number} status */
  function refusal(status) {
    /** @type {Object<number, string>} */
    var refusals = {
      401: "令牌不对或已作废：请向招生就业处索取本学院重新生成的工作簿。",
      403: "本学院的令牌不能处理这个工作簿：请用招生就业处发给本学院的工作簿。",
      413:
        "工作簿太大，服务器没有接收：请删去无关的工作表或空白行列后重试；仍不行请联系招生就业处" +
        "（学校反向代理的 client_max_body_size 要设为 25m）。",
      422: "服务器读不了这个工作簿的数据：请联系招生就业处。",
      429: "服务器正忙（同时处理的请求太多），请稍后再试。",
      503: "服务器暂时不能处理（数据库连不上或正在维护），请稍后再试。",
    };
    return refusals[status] || "服务器没有完成这次请求（状态 " + status + "）：请稍后再试；仍不行请联系招生就业处。";
  }

  /** @param {Settings} settings @param {string} why */
  function unreachable(settings, why) {
    var own = addinBase().replace(/^(https?:\/\/[^/]+).*$/, "$1");
    var elsewhere =
      own && settings.server.replace(/\/+$/, "").indexOf(own) !== 0
        ? "加载项来自 " + own + "，工作簿中的服务器地址却是 " + settings.server +
          "：两者须是同一个 HTTPS 地址（build --server 与 addin wps --url 相同）。"
        : "";
    return shown(
      "连不上服务器 " + settings.server + "（" + why + "）。工作簿没有被改动。" + elsewhere +
        "请检查校园网或 VPN；仍不行请联系招生就业处。"
    );
  }

  /**
   * POST the payload; `answered` gets the answer's actions or a Chinese sentence saying why not.
   * @param {Settings} settings @param {string} button @param {Object<string, any>} payload
   * @param {Answered} answered
   */
  function post(settings, button, payload, answered) {
    var url = settings.server.replace(/\/+$/, "") + "/xlwings/" + button;
    var request = new XMLHttpRequest();
    var done = false;
    /** @param {Error | null} error @param {Action[]} [actions] */
    function finish(error, actions) {
      if (done) return;
      done = true;
      answered(error, actions);
    }
    request.open("POST", url, true);
    request.setRequestHeader("Content-Type", "application/json");
    if (settings.auth) request.setRequestHeader("Authorization", settings.auth);
    request.timeout = settings.timeoutMs;
    request.onerror = function () {
      finish(unreachable(settings, "网络不通或地址不对"));
    };
    request.ontimeout = function () {
      finish(
        shown(
          "服务器在 " + Math.round(settings.timeoutMs / 1000) + " 秒内没有回答，工作簿没有被改动。" +
            "服务器可能仍在处理（如提交）：请稍后再点一次；仍不行请联系招生就业处。"
        )
      );
    };
    request.onload = function () {
      var status = request.status;
      if (!status) {
        finish(unreachable(settings, "网络不通或地址不对"));
        return;
      }
      var text = String(request.responseText || "").replace(/^\s+|\s+$/g, "");
      if (status !== 200) {
        // the server answers a refused request with one plain Chinese sentence
        var type = String(request.getResponseHeader("Content-Type") || "");
        var plain = /^text\/plain/i.test(type) && text && text.charAt(0) !== "<";
        finish(shown(plain ? text : refusal(status)));
        return;
      }
      var answer;
      try {
        answer = JSON.parse(text);
      } catch (error) {
        answer = null;
      }
      if (!answer || !isArray(answer.actions)) {
        finish(shown("服务器的回答不是按钮能用的数据：请确认服务器地址是生源核对的服务器。"));
        return;
      }
      finish(null, answer.actions);
    };
    request.send(JSON.stringify(payload));
  }

  /** "#RRGGBB" as ET's colour: a BGR long, as in VBA. @param {string} hex */
  function bgr(hex) {
    var rgb = parseInt(String(hex).replace(/^#/, ""), 16);
    return ((rgb >> 16) & 255) + ((rgb >> 8) & 255) * 256 + (rgb & 255) * 65536;
  }

  /** Every action is one this client applies, checked before the first is applied. @param {Action[]} actions */
  function checkActions(actions) {
    for (var i = 0; i < actions.length; i++) {
      var action = actions[i] || {};
      if (ACTIONS.indexOf(action.func) < 0) {
        throw shown(
          "服务器要求的操作（" + action.func + "）这个加载项不认识，工作簿没有被改动：请重新打开 WPS 以载入最新的加载项。"
        );
      }
      var colour = action.func === "setRangeColor" && action.args ? action.args[0] : null;
      if (colour !== null && colour !== undefined && !/^#?[0-9A-Fa-f]{6}$/.test(String(colour))) {
        throw shown("服务器给的颜色（" + colour + "）不对，工作簿没有被改动：请联系招生就业处。");
      }
    }
  }

  /** The action's first cell. @param {Et.Worksheet} sheet @param {Action} action @returns {Et.Range} */
  function cellAt(sheet, action) {
    return sheet.Cells.Item(Number(action.start_row) + 1, Number(action.start_column) + 1);
  }

  /** The action's range. @param {Et.Worksheet} sheet @param {Action} action */
  function rangeOf(sheet, action) {
    return cellAt(sheet, action).Resize(Number(action.row_count), Number(action.column_count));
  }

  /**
   * Apply the answer's actions to `book`. `sheets` mirrors the workbook's order as the
   * actions add and delete sheets, since xlwings addresses sheets by position. Returns
   * the alerts' texts.
   * @param {Et.Workbook} book @param {Et.Worksheet[]} sheets @param {Action[]} actions
   * @returns {Alert[]}
   */
  function applyActions(book, sheets, actions) {
    checkActions(actions);
    /** @type {Alert[]} */
    var alerts = [];
    sheets = sheets.slice();
    var updating = Application.ScreenUpdating;
    var asking = Application.DisplayAlerts;
    Application.ScreenUpdating = false;
    try {
      for (var i = 0; i < actions.length; i++) {
        var action = actions[i];
        var args = action.args || [];
        var func = action.func;
        if (func === "alert") {
          alerts.push({ message: String(args[0] || ""), title: String(args[1] || TITLE), mode: String(args[3] || "info") });
          continue;
        }
        if (func === "addSheet") {
          var at = Number(args[0]);
          var added =
            at < sheets.length
              ? book.Worksheets.Add(sheets[at])
              : book.Worksheets.Add(undefined, sheets[sheets.length - 1]);
          added.Name = String(args[1]);
          sheets.splice(at, 0, added);
          continue;
        }
        if (func === "activateSheet") {
          var target = sheets[Number(args[0])];
          if (!target) throw shown("服务器的回答指向不存在的工作表：请重新打开工作簿后再试。");
          target.Activate();
          continue;
        }
        var sheet = sheets[Number(action.sheet_position)];
        if (!sheet) throw shown("服务器的回答指向不存在的工作表：请重新打开工作簿后再试。");
        if (func === "sheetDelete") {
          Application.DisplayAlerts = false; // no "delete this sheet?" question
          sheet.Delete();
          sheets.splice(Number(action.sheet_position), 1);
        } else if (func === "setSheetName") {
          sheet.Name = String(args[0]);
        } else if (func === "setSheetVisibility") {
          sheet.Visible =
            args[0] === "Visible" ? SHEET_VISIBLE : args[0] === "VeryHidden" ? SHEET_VERY_HIDDEN : SHEET_HIDDEN;
        } else if (func === "setValues") {
          rangeOf(sheet, action).Value2 = (action.values || []).map(function (row) {
            return row.map(function (value) {
              return value === null || value === undefined ? "" : value;
            });
          });
        } else if (func === "setNumberFormat") {
          rangeOf(sheet, action).NumberFormat = String(args[0]);
        } else if (func === "setRangeColor") {
          var interior = rangeOf(sheet, action).Interior;
          if (args[0] === null || args[0] === undefined) interior.ColorIndex = XL_COLOR_INDEX_NONE;
          else interior.Color = bgr(args[0]);
        } else if (func === "addHyperlink") {
          var link = String(args[0]);
          var text = args[1] === null || args[1] === undefined ? link : String(args[1]);
          var tip = args[2] ? String(args[2]) : "";
          var anchor = cellAt(sheet, action);
          // "#'Sheet'!A1" is a place in this workbook; anything else is a web address
          if (link.charAt(0) === "#") sheet.Hyperlinks.Add(anchor, "", link.slice(1), tip, text);
          else sheet.Hyperlinks.Add(anchor, link, "", tip, text);
        } else if (func === "rangeSelect") {
          sheet.Activate(); // ET selects only on the active sheet
          rangeOf(sheet, action).Select();
        }
      }
    } finally {
      Application.ScreenUpdating = updating;
      Application.DisplayAlerts = asking;
    }
    return alerts;
  }

  /** Show what happened in WPS's message box. @param {Alert[]} alerts */
  function show(alerts) {
    if (!alerts.length) return;
    var message = alerts
      .map(function (a) {
        return a.message;
      })
      .join("\n\n");
    alert(alerts[0].title + "\n\n" + message);
  }

  /** @param {any} error @param {boolean} applying @returns {Alert} */
  function failure(error, applying) {
    var message;
    if (error && error.name === "Shown") message = error.message;
    else if (applying) {
      message =
        "把服务器的改动写进工作簿时出错（" + ((error && error.message) || String(error)) +
        "），部分改动可能已经写入：请再点一次按钮；仍不行请把这句话告诉招生就业处。";
    } else {
      message =
        "这次操作没有完成：" + ((error && error.message) || String(error)) + "。请把这句话告诉招生就业处。";
    }
    return { message: message, title: TITLE, mode: "critical" };
  }

  /** A member of WPS's Application as text, "" where this WPS build has none. @param {() => any} read */
  function said(read) {
    try {
      var value = read();
      return value === undefined || value === null ? "" : String(value);
    } catch (error) {
      return "";
    }
  }

  /** What 自检 says of this client and the WPS it runs in (nothing personal). */
  function whoAmI() {
    var version = said(function () {
      return Application.Version;
    });
    var build = said(function () {
      return Application.Build;
    });
    return {
      client: CLIENT_NAME,
      client_version: ADDIN_VERSION,
      host: said(function () {
        return Application.Name;
      }) || "WPS",
      host_version: build && version.indexOf(build) < 0 ? version + " (" + build + ")" : version,
      platform:
        said(function () {
          return Application.OperatingSystem;
        }) || (typeof navigator !== "undefined" ? String(navigator.platform || "") : ""),
    };
  }

  /**
   * 自检's read-back of the scratch sheet, beside its values in the payload: each cell's
   * number format and fill (ET's BGR long, null for none) from A1, and its links.
   * @param {Et.Worksheet} sheet
   */
  function readScratch(sheet) {
    var used = sheet.UsedRange;
    var rows = Math.min(used.Row + used.Rows.Count - 1, MAX_READ_ROWS);
    var columns = Math.min(used.Column + used.Columns.Count - 1, MAX_READ_COLUMNS);
    /** @type {Array<Array<string>>} */
    var formats = [];
    /** @type {Array<Array<number | null>>} */
    var fills = [];
    for (var r = 1; r <= rows; r++) {
      /** @type {Array<string>} */
      var formatRow = [];
      /** @type {Array<number | null>} */
      var fillRow = [];
      for (var c = 1; c <= columns; c++) {
        var cell = sheet.Cells.Item(r, c);
        formatRow.push(String(cell.NumberFormat));
        var interior = cell.Interior;
        fillRow.push(interior.ColorIndex === XL_COLOR_INDEX_NONE ? null : Number(interior.Color));
      }
      formats.push(formatRow);
      fills.push(fillRow);
    }
    var links = [];
    var all = sheet.Hyperlinks;
    for (var i = 1; i <= all.Count; i++) {
      var link = all.Item(i);
      links.push({
        cell: String(link.Range.Address(false, false)),
        address: String(link.Address || ""),
        sub_address: String(link.SubAddress || ""),
      });
    }
    return { formats: formats, fills: fills, links: links };
  }

  /** The workbook read for 自检: only the scratch sheet's cells. @param {Et.Workbook} [book] */
  function readForSelftest(book) {
    var read = readBook(book, SCRATCH_SHEET);
    /** @type {Object<string, any>} */
    var extras = whoAmI();
    var scratch = read.sheets.filter(function (sheet) {
      return sheet.Name === SCRATCH_SHEET;
    })[0];
    if (scratch) {
      var found = readScratch(scratch);
      extras.formats = found.formats;
      extras.fills = found.fills;
      extras.links = found.links;
    }
    read.payload.selftest = extras;
    return read;
  }

  /**
   * 自检: the first request, its actions applied, the scratch sheet read back, the second
   * request, its answer (the scratch sheet removed, the result) applied and shown. A first
   * answer that fails midway is still read back: the result names what did not work.
   * Returns whether the first request was started.
   */
  function selftest() {
    var read;
    /** @type {Settings} */
    var settings;
    try {
      read = readForSelftest();
      var own = settingsFor(read.conf);
      settings = { server: own.server, auth: "", timeoutMs: own.timeoutMs }; // no token
    } catch (error) {
      show([failure(error, false)]);
      return false;
    }
    var book = read.book;
    var sheets = read.sheets;
    busy = true;
    try {
      post(settings, SELFTEST, read.payload, function (error, actions) {
        if (error || !actions) {
          busy = false;
          show([failure(error, false)]);
          return;
        }
        /** @type {Alert[]} */
        var problems = [];
        try {
          var refused = applyActions(book, sheets, actions);
          if (refused.length) {
            // the server said why it will not run 自检 (another xlwings version): nothing to read back
            busy = false;
            show(refused);
            return;
          }
        } catch (applyError) {
          problems.push(failure(applyError, true));
        }
        var back;
        try {
          back = readForSelftest(book);
        } catch (readError) {
          busy = false;
          show(problems.concat([failure(readError, false)]));
          return;
        }
        var backSheets = back.sheets;
        post(settings, SELFTEST + "/result", back.payload, function (resultError, answer) {
          busy = false;
          if (resultError || !answer) {
            show(problems.concat([failure(resultError, false)]));
            return;
          }
          try {
            show(problems.concat(applyActions(book, backSheets, answer)));
          } catch (applyError) {
            show(problems.concat([failure(applyError, true)]));
          }
        });
      });
    } catch (error) {
      busy = false;
      show([failure(error, false)]);
      return false;
    }
    return true;
  }

  /**
   * Press a button: read the workbook, start the request and return; the answer is
   * applied and shown when it arrives. Returns whether a request was started.
   * @param {string} button
   */
  function press(button) {
    if (busy) {
      show([{ message: "上一次点的按钮还在等服务器回答，请等它完成后再点。", title: TITLE, mode: "info" }]);
      return false;
    }
    if (button === SELFTEST) return selftest();
    if (BUTTONS.indexOf(button) < 0) {
      show([failure(shown("这个加载项没有“" + button + "”按钮：请重新打开 WPS。"), false)]);
      return false;
    }
    var read;
    var settings;
    try {
      read = readBook();
      settings = settingsFor(read.conf);
    } catch (error) {
      show([failure(error, false)]);
      return false;
    }
    var book = read.book;
    var sheets = read.sheets;
    busy = true;
    try {
      post(settings, button, read.payload, function (error, actions) {
        busy = false;
        if (error || !actions) {
          show([failure(error, false)]);
          return;
        }
        var alerts;
        try {
          alerts = applyActions(book, sheets, actions);
        } catch (applyError) {
          show([failure(applyError, true)]);
          return;
        }
        show(alerts);
      });
    } catch (error) {
      busy = false;
      show([failure(error, false)]);
      return false;
    }
    return true;
  }

  return {
    XLWINGS_VERSION: XLWINGS_VERSION,
    ADDIN_VERSION: ADDIN_VERSION,
    BUTTONS: BUTTONS,
    ACTIONS: ACTIONS,
    press: press,
    readBook: readBook,
    sheetsOf: sheetsOf,
    applyActions: applyActions,
    bgr: bgr,
  };
})();
