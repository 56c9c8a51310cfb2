/*
 * Press one of commands.js's buttons with office-addin-mock standing in for Excel.
 *
 *   node run_button.js <button> <book.json>
 *
 * book.json: {"name", "active" (sheet index), "selection", "sheets": [{"name", "values"}],
 * "storage": {key: value} (the add-in's storage before the press), "dialog_answer"
 * (what settings.html would send back, a JSON string)}. The workbook's cells are kept
 * in a small model; Excel's objects are office-addin-mock OfficeMockObjects built on
 * that model, so a property read before load() + context.sync() is the mock's error,
 * as in Excel. Writes are queued in order and reach the model only at context.sync(),
 * as Excel batches them. Prints the final state as JSON: each sheet's values (from
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

// ---- Excel, mocked ------------------------------------------------------------
const readables = []; // objects whose loaded properties context.sync() must fill in
const queue = []; // writes, applied in order at context.sync()
function readable(data) {
  const mock = new OfficeMockObject(data);
  readables.push(mock);
  return mock;
}
function recorded(target, property, onWrite) {
  // a property assignment is queued like Excel's, in the order the code made it
  let value;
  Object.defineProperty(target, property, {
    configurable: true,
    enumerable: true,
    get: () => value,
    set: (v) => {
      value = v;
      queue.push(() => onWrite(v));
    },
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
        select: () => queue.push(() => (model.selection = `${sheet.name}!R${r0 + 1}C${c0 + 1}`)),
      });
      recorded(range, "values", (values) => {
        if (values.length !== rows || values.some((row) => row.length !== cols)) {
          throw new Error(`values of ${values.length} rows for a range of ${rows} × ${cols}`);
        }
        cellsOf(sheet, r0, c0, rows, cols, (k, r, c) => {
          const v = values[r][c];
          if (v === "" || v === null) sheet.cells.delete(k);
          else sheet.cells.set(k, v);
        });
      });
      recorded(range, "numberFormat", (formats) =>
        cellsOf(sheet, r0, c0, rows, cols, (k, r, c) => sheet.formats.set(k, formats[r][c]))
      );
      recorded(range.format.fill, "color", (color) =>
        cellsOf(sheet, r0, c0, rows, cols, (k) => sheet.fills.set(k, color))
      );
      recorded(range, "hyperlink", (link) => {
        const k = `${r0},${c0}`;
        sheet.links.set(k, link);
        sheet.cells.set(k, link.textToDisplay); // Excel shows the text in the cell
      });
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
      if (input.selection_areas > 1) {
        // Excel fails the batch that reads a multi-area selection as one range
        queue.push(() => {
          throw new Error("InvalidSelection: this operation is not supported on multiple selections");
        });
      }
      return readable({ address: `${model.sheets[model.active].name}!${model.selection}` });
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
