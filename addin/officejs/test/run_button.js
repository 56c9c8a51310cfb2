/*
 * Press one of commands.js's buttons with office-addin-mock standing in for Excel.
 *
 *   node run_button.js <button> <book.json>
 *
 * book.json: {"name", "active" (sheet index), "selection", "sheets": [{"name", "values"}],
 * "storage": {key: value} (the add-in's storage before the press), "dialog_answer"
 * (what settings.html would send back, a JSON string), "diagnostics" (what
 * Office.context.diagnostics says: host, version, platform)}. The workbook's cells are kept
 * in a small model; Excel's objects are office-addin-mock OfficeMockObjects built on
 * that model, so a property read before load() + context.sync() is the mock's error,
 * as in Excel. Writes are queued in order and reach the model only at context.sync(),
 * as Excel batches them; a range's numberFormat, format/fill/color and hyperlink are read
 * from the model once loaded and synced (read before, they throw, as Excel's do). A text
 * written into a cell not formatted as text (@) is read as typed: a number or an ISO date
 * becomes one. Prints the final state as JSON: each sheet's values (from
 * A1), fills, number formats and hyperlinks keyed "row,column" (0-based), the active
 * sheet, the dialogs shown with what they said, the requests sent, how many
 * context.sync() calls, whether event.completed() was called.
 *
 * The HTTP request is real: Node's fetch to the server named in xlwings.conf.
 */
"use strict";

const fs = require("fs");
const path = require("path");
const { OfficeMockObject } = require("office-addin-mock");

const [button, bookFile] = process.argv.slice(2);
const input = JSON.parse(fs.readFileSync(bookFile, "utf8"));

// ---- the workbook model -------------------------------------------------------
let serial = 0;
function newSheet(name, values) {
  const sheet = { id: ++serial, name, cells: new Map(), fills: new Map(), formats: new Map(), links: new Map() };
  (values || []).forEach((row, r) =>
    (row || []).forEach((value, c) => {
      if (value !== "" && value !== null && value !== undefined) sheet.cells.set(`${r},${c}`, value);
    })
  );
  return sheet;
}
const model = {
  name: input.name,
  sheets: input.sheets.map((s) => newSheet(s.name, s.values)),
  active: input.active || 0,
  selection: input.selection || "A1",
  selectionSheet: null, // the sheet the selection is on (null: the active one, as at the start)
  syncs: 0,
  dialogs: [],
  requests: [],
  completed: false,
};
function grid(sheet) {
  let rows = 0;
  let cols = 0;
  for (const key of sheet.cells.keys()) {
    const [r, c] = key.split(",").map(Number);
    rows = Math.max(rows, r + 1);
    cols = Math.max(cols, c + 1);
  }
  return { rows, cols };
}
function box(sheet) {
  // the used range (values only): the bounding box of the non-empty cells
  let top = Infinity;
  let left = Infinity;
  const { rows, cols } = grid(sheet);
  for (const key of sheet.cells.keys()) {
    const [r, c] = key.split(",").map(Number);
    top = Math.min(top, r);
    left = Math.min(left, c);
  }
  if (!rows) return null;
  const values = [];
  for (let r = top; r < rows; r++) {
    const row = [];
    for (let c = left; c < cols; c++) {
      const v = sheet.cells.get(`${r},${c}`);
      row.push(v === undefined ? "" : v);
    }
    values.push(row);
  }
  return { values, rowIndex: top, columnIndex: left, rowCount: rows - top, columnCount: cols - left };
}

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
function typed(value, format) {
  // what a cell holds once written: text in a text cell; elsewhere as if typed
  if (typeof value !== "string" || format === "@") return value;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value)) return Number(value);
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (date) return (Date.UTC(+date[1], +date[2] - 1, +date[3]) - EXCEL_EPOCH) / 86400000;
  return value;
}
function letters(column) {
  let out = "";
  for (let n = column + 1; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  return out;
}

// ---- Excel, mocked ------------------------------------------------------------
const readables = []; // objects whose loaded properties context.sync() must fill in
const queue = []; // writes, applied in order at context.sync()
const reads = []; // loads of the properties below, answered from the model at context.sync()
function readable(data) {
  const mock = new OfficeMockObject(data);
  readables.push(mock);
  return mock;
}
function recorded(target, property, onWrite, onRead) {
  // a property assignment is queued like Excel's, in the order the code made it; with
  // onRead, the property can be loaded: its value is the model's at the next sync
  let value;
  let loaded = false;
  Object.defineProperty(target, property, {
    configurable: true,
    enumerable: true,
    get: () => {
      if (onRead && !loaded) throw new Error(`PropertyNotLoaded: ${property} was read before load() and context.sync()`);
      return value;
    },
    set: (v) => {
      value = v;
      queue.push(() => onWrite(v));
    },
  });
  return () =>
    reads.push(() => {
      value = onRead();
      loaded = true;
    });
}
function cellsOf(sheet, r0, c0, rows, cols, fn) {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) fn(`${r0 + r},${c0 + c}`, r, c);
}
const worksheetMocks = new Map();
function worksheetMock(sheet) {
  if (worksheetMocks.has(sheet.id)) return worksheetMocks.get(sheet.id);
  const ws = readable({
    name: sheet.name,
    getUsedRangeOrNullObject: function () {
      const used = box(sheet);
      const range = readable(used || { values: [[]], rowIndex: 0, columnIndex: 0, rowCount: 0, columnCount: 0 });
      range.isNullObject = used === null; // Excel sets it without a load
      return range;
    },
    getRangeByIndexes: function (r0, c0, rows, cols) {
      const range = new OfficeMockObject({
        address: `${sheet.name}!R${r0 + 1}C${c0 + 1}`,
        format: { fill: { clear: () => queue.push(() => cellsOf(sheet, r0, c0, rows, cols, (k) => sheet.fills.delete(k))) } },
        select: () =>
          queue.push(() => {
            model.selection = letters(c0) + (r0 + 1) + (rows * cols > 1 ? ":" + letters(c0 + cols - 1) + (r0 + rows) : "");
            model.selectionSheet = sheet;
          }),
      });
      recorded(range, "values", (values) => {
        if (values.length !== rows || values.some((row) => row.length !== cols)) {
          throw new Error(`values of ${values.length} rows for a range of ${rows} × ${cols}`);
        }
        cellsOf(sheet, r0, c0, rows, cols, (k, r, c) => {
          const v = values[r][c];
          if (v === "" || v === null) sheet.cells.delete(k);
          else sheet.cells.set(k, typed(v, sheet.formats.get(k)));
        });
      });
      const loaders = {
        numberFormat: recorded(
          range,
          "numberFormat",
          (formats) => cellsOf(sheet, r0, c0, rows, cols, (k, r, c) => sheet.formats.set(k, formats[r][c])),
          () => {
            const out = [];
            for (let r = 0; r < rows; r++) {
              const line = [];
              for (let c = 0; c < cols; c++) line.push(sheet.formats.get(`${r0 + r},${c0 + c}`) || "General");
              out.push(line);
            }
            return out;
          }
        ),
        "format/fill/color": recorded(
          range.format.fill,
          "color",
          (color) => cellsOf(sheet, r0, c0, rows, cols, (k) => sheet.fills.set(k, color)),
          () => {
            // one colour for the range, null when its cells differ; no fill reads as white
            const colours = new Set();
            cellsOf(sheet, r0, c0, rows, cols, (k) => colours.add(sheet.fills.get(k) || "#FFFFFF"));
            return colours.size === 1 ? [...colours][0] : null;
          }
        ),
        hyperlink: recorded(
          range,
          "hyperlink",
          (link) => {
            const k = `${r0},${c0}`;
            sheet.links.set(k, link);
            sheet.cells.set(k, link.textToDisplay); // Excel shows the text in the cell
          },
          () => sheet.links.get(`${r0},${c0}`) || null
        ),
      };
      range.load = (properties) => {
        for (const property of String(properties).replace(/\s/g, "").split(",")) {
          if (!loaders[property]) throw new Error(`the mock cannot load ${property} of a range`);
          loaders[property]();
        }
        return range;
      };
      return range;
    },
    activate: () => queue.push(() => (model.active = model.sheets.indexOf(sheet))),
    delete: () =>
      queue.push(() => {
        if (model.sheets.length === 1) throw new Error("a workbook keeps one sheet");
        model.sheets.splice(model.sheets.indexOf(sheet), 1);
      }),
  });
  recorded(ws, "position", (position) => {
    model.sheets.splice(model.sheets.indexOf(sheet), 1);
    model.sheets.splice(position, 0, sheet);
  });
  worksheetMocks.set(sheet.id, ws);
  return ws;
}

let itemsWanted = false;
const context = new OfficeMockObject({
  workbook: {
    name: model.name,
    worksheets: {
      // office-addin-mock has no collections: load("items/name") is ours
      load: function () {
        itemsWanted = true;
        model.sheets.forEach((sheet) => worksheetMock(sheet).load("name"));
      },
      getActiveWorksheet: () => worksheetMock(model.sheets[model.active]),
      add: function (name) {
        const sheet = newSheet(name, []);
        if (model.sheets.some((s) => s.name === name)) throw new Error(`sheet ${name} exists`);
        queue.push(() => model.sheets.push(sheet)); // Excel adds a sheet at the end
        return worksheetMock(sheet);
      },
    },
    getSelectedRange: () => {
      const selected = model.selectionSheet && model.selectionSheet !== model.sheets[model.active] ? "A1" : model.selection;
      if (input.selection_areas > 1) {
        // Excel fails the batch that reads a multi-area selection as one range
        queue.push(() => {
          throw new Error("InvalidSelection: this operation is not supported on multiple selections");
        });
      }
      return readable({ address: `${model.sheets[model.active].name}!${selected}` });
    },
  },
  sync: async function () {
    model.syncs += 1;
    try {
      queue.splice(0).forEach((write) => write());
    } catch (error) {
      queue.splice(0); // Excel drops the rest of a failed batch
      throw error;
    }
    await OfficeMockObject.prototype.sync.call(context);
    for (const mock of readables) await mock.sync();
    reads.splice(0).forEach((read) => read());
    if (itemsWanted) context.workbook.worksheets.items = model.sheets.map(worksheetMock);
    await new Promise((resolve) => setImmediate(resolve)); // the mock's own sync settles in microtasks
  },
});
global.Excel = new OfficeMockObject({ run: async (callback) => callback(context) });

// ---- Office, OfficeRuntime: the few calls the function file makes -----------------
const handlers = {};
const kept = new Map(Object.entries(input.storage || {}));
global.OfficeRuntime = {
  storage: { getItem: async (k) => (kept.has(k) ? kept.get(k) : null), setItem: async (k, v) => void kept.set(k, v) },
};
global.location = { href: "https://addin.example.edu.cn/addin/commands.html" };
global.Office = {
  EventType: { DialogMessageReceived: "dialogMessageReceived", DialogEventReceived: "dialogEventReceived" },
  onReady: (callback) => callback({ host: "Excel" }),
  actions: { associate: (name, fn) => (handlers[name] = fn) },
  context: {
    diagnostics: input.diagnostics || { host: "Excel", platform: "PC", version: "16.0.17928.20114" },
    ui: {
      displayDialogAsync: (url, options, callback) => {
        const shown = { url: url.split("?")[0], query: decodeURIComponent(url.split("?d=")[1] || ""), data: null };
        model.dialogs.push(shown);
        const listeners = {};
        const dialog = {
          addEventHandler: (type, fn) => (listeners[type] = fn),
          messageChild: (message) => {
            shown.data = JSON.parse(message);
            // the user reads the message and presses 确定 (or fills settings.html)
            const reply = url.split("?")[0].endsWith("settings.html") ? input.dialog_answer || "" : "ok";
            setImmediate(() => listeners.dialogMessageReceived({ message: reply }));
          },
          close: () => (shown.closed = true),
        };
        setImmediate(() => {
          callback({ status: "succeeded", value: dialog });
          setImmediate(() => listeners.dialogMessageReceived({ message: "ready" }));
        });
      },
    },
  },
};
const realFetch = global.fetch;
global.fetch = async (url, init) => {
  const sent = JSON.parse(init.body);
  model.requests.push({
    url,
    authorization: (init.headers || {}).Authorization || null,
    bytes: Buffer.byteLength(init.body),
    client: sent.client,
    version: sent.version,
    book: sent.book,
    sheets: sent.sheets.map((s) => ({ name: s.name, rows: s.values.length, columns: (s.values[0] || []).length })),
  });
  return realFetch(url, init);
};

require(path.join(__dirname, "..", "commands.js"));

// ---- press ----------------------------------------------------------------------
(async () => {
  if (!handlers[button]) throw new Error(`no button ${button}`);
  await new Promise((resolve) => handlers[button]({ completed: () => resolve((model.completed = true)) }));
  const out = {
    active: model.active,
    selection: model.selection,
    syncs: model.syncs,
    completed: model.completed,
    requests: model.requests,
    dialogs: model.dialogs,
    storage: Object.fromEntries(kept),
    sheets: model.sheets.map((sheet) => {
      const { rows, cols } = grid(sheet);
      const values = [];
      for (let r = 0; r < rows; r++) {
        const row = [];
        for (let c = 0; c < cols; c++) {
          const v = sheet.cells.get(`${r},${c}`);
          row.push(v === undefined ? "" : v);
        }
        values.push(row);
      }
      return {
        name: sheet.name,
        values,
        fills: Object.fromEntries(sheet.fills),
        formats: Object.fromEntries(sheet.formats),
        links: Object.fromEntries(sheet.links),
      };
    }),
  };
  process.stdout.write(JSON.stringify(out));
})().catch((error) => {
  process.stderr.write(String((error && error.stack) || error));
  process.exit(1);
});
