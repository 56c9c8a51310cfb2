// @ts-check
/*
 * A fake of WPS 表格's (ET's) Application for exactly the members js/client.js uses, so the
 * add-in runs under Node (test/run_button.js) without WPS.
 *
 * Each fake class declares which members of ET's own types it stands for
 * (`@implements {Pick<Et.Range, ...>}`), and `tsc --noEmit -p test/tsconfig.json` checks
 * them against the npm package et-jsapi-declare: a member misspelt here, or one ET does
 * not have, fails the build just as it does in the client.
 *
 * It behaves as ET (and Excel's VBA object model it follows) does where the client could
 * go wrong: collections count from 1; UsedRange starts at the first used cell, not A1,
 * and counts cells that are only formatted; Value2 is a scalar for one cell and rows of
 * cells otherwise, undefined for an empty cell; an assigned block must match the range's
 * shape; Interior.Color is a BGR long and refuses anything else; a sheet name is at most
 * 31 characters, unique, without []:*?/\; the last visible sheet can neither be hidden
 * nor deleted; Select() works on the active sheet only; Delete() asks the user unless
 * DisplayAlerts is off (the fake counts the questions); a text written into a cell that is
 * not formatted as text (@) is read as typed, so a number or an ISO date becomes one (which
 * is why the server formats its text cells first); a cell with no fill has ColorIndex
 * xlColorIndexNone (-4142). The Application says its Name, Version, Build and
 * OperatingSystem as the book's "host" gives them (自检 reports them).
 *
 * "quirks" in the book make it behave as a differing WPS build would, for 自检 to catch:
 * "rgb_colours" stores Interior.Color as if it were RGB (the bytes swapped).
 */
"use strict";

/**
 * @typedef {{name: string, values?: Array<Array<any>>, visible?: number, formatted?: [number, number]}} SheetInput
 * @typedef {{name?: string, version?: string, build?: number, os?: string}} HostInput
 * @typedef {{name: string, sheets: SheetInput[], active?: number, selection?: string, selection_areas?: number,
 *   host?: HostInput, quirks?: string[]}} BookInput
 * @typedef {{address: string, subAddress: string, screenTip: string, text: string}} Link
 * @typedef {{name: string, visible: number, cells: Map<string, any>, fills: Map<string, number>,
 *   formats: Map<string, string>, links: Map<string, Link>, formatted: [number, number]}} SheetModel
 */

var MAX_ROWS = 1048576;
var EXCEL_EPOCH = Date.UTC(1899, 11, 30);
var MAX_COLUMNS = 16384;

/** @param {unknown} value @returns {Et.Range} the fake as ET's type, for members typed with it */
function asRange(value) {
  return /** @type {Et.Range} */ (value);
}
/** @param {unknown} value @returns {Et.Worksheet} */
function asWorksheet(value) {
  return /** @type {Et.Worksheet} */ (value);
}

/** "C5" → [5, 3] (1-based row, column). @param {string} address */
function parseCell(address) {
  var m = /^\$?([A-Z]+)\$?(\d+)$/.exec(address.toUpperCase());
  if (!m) throw new Error("not a cell address: " + address);
  var column = 0;
  for (var i = 0; i < m[1].length; i++) column = column * 26 + (m[1].charCodeAt(i) - 64);
  return [Number(m[2]), column];
}

/** 3 → "C". @param {number} column */
function letters(column) {
  var out = "";
  while (column > 0) {
    var rest = (column - 1) % 26;
    out = String.fromCharCode(65 + rest) + out;
    column = (column - 1 - rest) / 26;
  }
  return out;
}

/**
 * What a cell holds once `value` is written to it with ``format``: text in a cell formatted
 * as text; elsewhere a text that reads as a number or an ISO date (yyyy-mm-dd) is that
 * number, or that date's serial day number, as when it is typed.
 * @param {any} value @param {string | undefined} format
 */
function typed(value, format) {
  if (typeof value !== "string" || format === "@") return value;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value)) return Number(value);
  var date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (date) return (Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3])) - EXCEL_EPOCH) / 86400000;
  return value;
}

/** @param {BookInput} input */
function createFakeEt(input) {
  var quirks = input.quirks || [];
  var host = input.host || {};
  /** @type {SheetModel[]} */
  var models = [];
  var state = {
    active: input.active || 0,
    selection: { sheet: 0, address: input.selection || "A1" },
    prompts: 0, // "delete this sheet?" questions the user would have been asked
    added: 0,
  };

  /** @param {SheetInput} sheet @returns {SheetModel} */
  function model(sheet) {
    var cells = new Map();
    (sheet.values || []).forEach(function (row, r) {
      (row || []).forEach(function (value, c) {
        if (value !== "" && value !== null && value !== undefined) cells.set(r + 1 + "," + (c + 1), value);
      });
    });
    return {
      name: sheet.name,
      visible: sheet.visible === undefined ? -1 : sheet.visible,
      cells: cells,
      fills: new Map(),
      formats: new Map(),
      links: new Map(),
      // the bottom-right cell that only has a format (a bordered empty block below the data)
      formatted: sheet.formatted || [0, 0],
    };
  }
  input.sheets.forEach(function (sheet) {
    models.push(model(sheet));
  });
  state.selection.sheet = state.active;

  /** @param {SheetModel} m */
  function indexOf(m) {
    var i = models.indexOf(m);
    if (i < 0) throw new Error("the sheet was deleted");
    return i;
  }

  /** @param {SheetModel} m */
  function visibleCount(m) {
    return models.filter(function (other) {
      return other !== m && other.visible === -1;
    }).length;
  }

  /** @implements {Pick<Et.Interior, "Color" | "ColorIndex">} */
  class FakeInterior {
    /** @param {FakeRange} range */
    constructor(range) {
      this.range = range;
    }
    get Color() {
      return this.range.model.fills.get(this.range.row + "," + this.range.column);
    }
    set Color(value) {
      if (typeof value !== "number" || value !== Math.floor(value) || value < 0 || value > 0xffffff) {
        throw new Error("Interior.Color is a BGR long, not " + JSON.stringify(value));
      }
      var fills = this.range.model.fills;
      var stored = quirks.indexOf("rgb_colours") >= 0 ? ((value & 255) << 16) | (value & 0xff00) | (value >> 16) : value;
      this.range.each(function (key) {
        fills.set(key, stored);
      });
    }
    get ColorIndex() {
      return this.Color === undefined ? -4142 : 1;
    }
    set ColorIndex(value) {
      if (value !== -4142) throw new Error("the fake only clears a fill (xlColorIndexNone)");
      var fills = this.range.model.fills;
      this.range.each(function (key) {
        fills.delete(key);
      });
    }
  }

  /** @implements {Pick<Et.Areas, "Count">} */
  class FakeAreas {
    /** @param {number} count */
    constructor(count) {
      this.count = count;
    }
    get Count() {
      return this.count;
    }
  }

  /**
   * @implements {Pick<Et.Range, "Row" | "Column" | "Rows" | "Columns" | "Count" | "Value2" |
   *   "NumberFormat" | "Interior" | "Resize" | "Item" | "Cells" | "Address" | "Areas" | "Select" | "Worksheet">}
   */
  class FakeRange {
    /**
     * @param {SheetModel} m @param {number} row @param {number} column
     * @param {number} rows @param {number} columns @param {string} [part] "rows" / "columns"
     */
    constructor(m, row, column, rows, columns, part) {
      if (row < 1 || column < 1 || rows < 1 || columns < 1 || row + rows - 1 > MAX_ROWS || column + columns - 1 > MAX_COLUMNS) {
        throw new Error("a range outside the sheet: " + [row, column, rows, columns].join(","));
      }
      this.model = m;
      this.row = row;
      this.column = column;
      this.rows = rows;
      this.columns = columns;
      this.part = part;
      this.areas = 1;
    }
    /** @param {(key: string, r: number, c: number) => void} visit */
    each(visit) {
      for (var r = 0; r < this.rows; r++) {
        for (var c = 0; c < this.columns; c++) visit(this.row + r + "," + (this.column + c), r, c);
      }
    }
    get Row() {
      return this.row;
    }
    get Column() {
      return this.column;
    }
    get Rows() {
      return asRange(new FakeRange(this.model, this.row, this.column, this.rows, this.columns, "rows"));
    }
    get Columns() {
      return asRange(new FakeRange(this.model, this.row, this.column, this.rows, this.columns, "columns"));
    }
    get Count() {
      if (this.part === "rows") return this.rows;
      if (this.part === "columns") return this.columns;
      return this.rows * this.columns;
    }
    get Cells() {
      return asRange(this);
    }
    get Areas() {
      return /** @type {Et.Areas} */ (/** @type {unknown} */ (new FakeAreas(this.areas)));
    }
    get Worksheet() {
      return asWorksheet(sheetObject(this.model));
    }
    get Interior() {
      return /** @type {Et.Interior} */ (/** @type {unknown} */ (new FakeInterior(this)));
    }
    get Value2() {
      var cells = this.model.cells;
      if (this.rows === 1 && this.columns === 1) return cells.get(this.row + "," + this.column);
      /** @type {Array<Array<any>>} */
      var out = [];
      for (var r = 0; r < this.rows; r++) {
        var line = [];
        for (var c = 0; c < this.columns; c++) line.push(cells.get(this.row + r + "," + (this.column + c)));
        out.push(line);
      }
      return out;
    }
    set Value2(values) {
      var rows = this.rows;
      var columns = this.columns;
      if (Array.isArray(values)) {
        if (values.length !== rows || values.some(function (row) { return !Array.isArray(row) || row.length !== columns; })) {
          throw new Error("a block of " + values.length + " rows for a range of " + rows + " × " + columns);
        }
      }
      var cells = this.model.cells;
      var formats = this.model.formats;
      this.each(function (key, r, c) {
        var value = Array.isArray(values) ? values[r][c] : values;
        if (value !== null && typeof value === "object") throw new Error("not a cell value: " + JSON.stringify(value));
        if (value === "" || value === null || value === undefined) cells.delete(key);
        else cells.set(key, typed(value, formats.get(key)));
      });
    }
    get NumberFormat() {
      return this.model.formats.get(this.row + "," + this.column) || "General";
    }
    set NumberFormat(format) {
      if (typeof format !== "string") throw new Error("NumberFormat is text");
      var formats = this.model.formats;
      this.each(function (key) {
        formats.set(key, format);
      });
    }
    /** @param {number} [rows] @param {number} [columns] */
    Resize(rows, columns) {
      return asRange(new FakeRange(this.model, this.row, this.column, rows || this.rows, columns || this.columns));
    }
    /** @param {any} row @param {any} [column] */
    Item(row, column) {
      if (typeof row !== "number" || typeof column !== "number") throw new Error("the fake's Item takes (row, column)");
      return asRange(new FakeRange(this.model, this.row + row - 1, this.column + column - 1, 1, 1));
    }
    /** @param {any} [rowAbsolute] @param {any} [columnAbsolute] */
    Address(rowAbsolute, columnAbsolute) {
      var r = rowAbsolute === false ? "" : "$";
      var c = columnAbsolute === false ? "" : "$";
      /** @param {number} row @param {number} column */
      function one(row, column) {
        return c + letters(column) + r + row;
      }
      var first = one(this.row, this.column);
      return this.rows === 1 && this.columns === 1 ? first : first + ":" + one(this.row + this.rows - 1, this.column + this.columns - 1);
    }
    Select() {
      if (indexOf(this.model) !== state.active) throw new Error("Select: the range's sheet is not the active one");
      state.selection = { sheet: state.active, address: this.Address(false, false) };
      return true;
    }
  }

  /** @implements {Pick<Et.Hyperlink, "Range" | "Address" | "SubAddress" | "ScreenTip" | "TextToDisplay">} */
  class FakeHyperlink {
    /** @param {SheetModel} m @param {string} key "row,column" of its anchor */
    constructor(m, key) {
      this.model = m;
      this.key = key;
    }
    get link() {
      var found = this.model.links.get(this.key);
      if (!found) throw new Error("the hyperlink was deleted");
      return found;
    }
    get Range() {
      var rc = this.key.split(",").map(Number);
      return asRange(new FakeRange(this.model, rc[0], rc[1], 1, 1));
    }
    get Address() {
      return this.link.address;
    }
    get SubAddress() {
      return this.link.subAddress;
    }
    get ScreenTip() {
      return this.link.screenTip;
    }
    get TextToDisplay() {
      return this.link.text;
    }
  }

  /** @implements {Pick<Et.Hyperlinks, "Add" | "Count" | "Item">} */
  class FakeHyperlinks {
    /** @param {SheetModel} m */
    constructor(m) {
      this.model = m;
    }
    get Count() {
      return this.model.links.size;
    }
    /** @param {any} index 1-based, in the order the links were added */
    Item(index) {
      var key = Array.from(this.model.links.keys())[Number(index) - 1];
      if (key === undefined) throw new Error("no hyperlink " + index);
      return /** @type {Et.Hyperlink} */ (/** @type {unknown} */ (new FakeHyperlink(this.model, key)));
    }
    /**
     * @param {any} anchor @param {string} address @param {any} [subAddress]
     * @param {any} [screenTip] @param {any} [text]
     */
    Add(anchor, address, subAddress, screenTip, text) {
      if (!(anchor instanceof FakeRange) || anchor.model !== this.model) throw new Error("the anchor is not a range of this sheet");
      if (typeof address !== "string") throw new Error("Address is text");
      if (!address && !subAddress) throw new Error("a hyperlink needs an Address or a SubAddress");
      var key = anchor.row + "," + anchor.column;
      var shown = text === undefined || text === "" ? address || subAddress : text;
      this.model.links.set(key, {
        address: address,
        subAddress: subAddress || "",
        screenTip: screenTip || "",
        text: String(shown),
      });
      this.model.cells.set(key, String(shown)); // ET shows the text in the cell
      return /** @type {any} */ ({});
    }
  }

  /** @implements {Pick<Et.Worksheet, "Name" | "Visible" | "Index" | "UsedRange" | "Cells" | "Hyperlinks" | "Activate" | "Delete">} */
  class FakeWorksheet {
    /** @param {SheetModel} m */
    constructor(m) {
      this.model = m;
    }
    get Name() {
      return this.model.name;
    }
    set Name(name) {
      var m = this.model;
      if (typeof name !== "string" || !name || name.length > 31 || /[\[\]:*?/\\]/.test(name)) {
        throw new Error("not a sheet name: " + JSON.stringify(name));
      }
      if (models.some(function (other) { return other !== m && other.name.toLowerCase() === name.toLowerCase(); })) {
        throw new Error("a sheet named " + name + " exists");
      }
      m.name = name;
    }
    get Visible() {
      return /** @type {Et.XlSheetVisibility} */ (this.model.visible);
    }
    set Visible(value) {
      if ([-1, 0, 2].indexOf(value) < 0) throw new Error("Visible is -1, 0 or 2, not " + JSON.stringify(value));
      if (value !== -1 && !visibleCount(this.model)) throw new Error("a workbook keeps one visible sheet");
      this.model.visible = value;
      if (value !== -1 && indexOf(this.model) === state.active) {
        state.active = models.findIndex(function (m) { return m.visible === -1; });
      }
    }
    get Index() {
      return indexOf(this.model) + 1;
    }
    get UsedRange() {
      var m = this.model;
      var top = Infinity;
      var left = Infinity;
      var bottom = m.formatted[0];
      var right = m.formatted[1];
      [m.cells, m.fills, m.formats, m.links].forEach(function (cells) {
        cells.forEach(function (_, key) {
          var rc = key.split(",").map(Number);
          top = Math.min(top, rc[0]);
          left = Math.min(left, rc[1]);
          bottom = Math.max(bottom, rc[0]);
          right = Math.max(right, rc[1]);
        });
      });
      if (bottom && top === Infinity) top = left = 1;
      if (!bottom) return asRange(new FakeRange(m, 1, 1, 1, 1)); // an empty sheet: A1
      return asRange(new FakeRange(m, top, left, bottom - top + 1, right - left + 1));
    }
    get Cells() {
      return asRange(new FakeRange(this.model, 1, 1, MAX_ROWS, MAX_COLUMNS));
    }
    get Hyperlinks() {
      return /** @type {Et.Hyperlinks} */ (/** @type {unknown} */ (new FakeHyperlinks(this.model)));
    }
    Activate() {
      if (this.model.visible !== -1) throw new Error("Activate: the sheet is hidden");
      state.active = indexOf(this.model);
    }
    Delete() {
      if (!visibleCount(this.model) && this.model.visible === -1) throw new Error("a workbook keeps one visible sheet");
      if (application.DisplayAlerts) state.prompts += 1;
      var at = indexOf(this.model);
      models.splice(at, 1);
      if (state.active >= at && state.active > 0) state.active -= 1;
      if (models[state.active].visible !== -1) {
        state.active = models.findIndex(function (m) { return m.visible === -1; });
      }
    }
  }

  /** @type {Map<SheetModel, FakeWorksheet>} */
  var sheetObjects = new Map();
  /** @param {SheetModel} m */
  function sheetObject(m) {
    var found = sheetObjects.get(m);
    if (!found) {
      found = new FakeWorksheet(m);
      sheetObjects.set(m, found);
    }
    return found;
  }

  /** @implements {Pick<Et.Sheets, "Count" | "Item" | "Add">} */
  class FakeWorksheets {
    get Count() {
      return models.length;
    }
    /** @param {any} index */
    Item(index) {
      var m = typeof index === "number" ? models[index - 1] : models.find(function (s) { return s.name === index; });
      if (!m) throw new Error("no sheet " + index);
      return asWorksheet(sheetObject(m));
    }
    /** @param {any} [before] @param {any} [after] */
    Add(before, after) {
      var at;
      if (before !== undefined && before !== null) {
        if (!(before instanceof FakeWorksheet)) throw new Error("Before is a worksheet");
        at = indexOf(before.model);
      } else if (after !== undefined && after !== null) {
        if (!(after instanceof FakeWorksheet)) throw new Error("After is a worksheet");
        at = indexOf(after.model) + 1;
      } else at = state.active; // ET adds before the active sheet
      state.added += 1;
      var name = "Sheet" + (models.length + state.added);
      var m = model({ name: name });
      models.splice(at, 0, m);
      state.active = at; // a new sheet is the active one
      return asWorksheet(sheetObject(m));
    }
  }

  /** @implements {Pick<Et.Workbook, "Name" | "Worksheets" | "ActiveSheet">} */
  class FakeWorkbook {
    get Name() {
      return input.name;
    }
    get Worksheets() {
      return /** @type {Et.Sheets} */ (/** @type {unknown} */ (new FakeWorksheets()));
    }
    get ActiveSheet() {
      return asWorksheet(sheetObject(models[state.active]));
    }
  }

  var workbook = new FakeWorkbook();

  /**
   * @implements {Pick<WPSMergedRoot, "ActiveWorkbook" | "Selection" | "ScreenUpdating" | "DisplayAlerts" |
   *   "Name" | "Version" | "Build" | "OperatingSystem">}
   */
  class FakeApplication {
    constructor() {
      this.ScreenUpdating = true;
      this.DisplayAlerts = true;
    }
    get Name() {
      return host.name === undefined ? "WPS 表格" : host.name;
    }
    get Version() {
      return host.version === undefined ? "12.1.0.16910" : host.version;
    }
    get Build() {
      return host.build === undefined ? 16910 : host.build;
    }
    get OperatingSystem() {
      return host.os === undefined ? "Windows (64-bit) NT 10.00" : host.os;
    }
    get ActiveWorkbook() {
      return /** @type {Et.Workbook} */ (/** @type {unknown} */ (workbook));
    }
    get Selection() {
      var m = models[state.selection.sheet];
      var parts = state.selection.address.split(":");
      var first = parseCell(parts[0]);
      var last = parseCell(parts[1] || parts[0]);
      var range = new FakeRange(m, first[0], first[1], last[0] - first[0] + 1, last[1] - first[1] + 1);
      range.areas = input.selection_areas || 1;
      return range;
    }
  }

  var application = new FakeApplication();

  /** What the workbook holds now, keyed "row,column" from 0 as the Office.js tests read it. */
  function snapshot() {
    return {
      active: state.active,
      selection: models[state.selection.sheet] ? models[state.selection.sheet].name + "!" + state.selection.address : "",
      prompts: state.prompts,
      screen_updating: application.ScreenUpdating,
      display_alerts: application.DisplayAlerts,
      sheets: models.map(function (m) {
        var rows = 0;
        var columns = 0;
        m.cells.forEach(function (_, key) {
          var rc = key.split(",").map(Number);
          rows = Math.max(rows, rc[0]);
          columns = Math.max(columns, rc[1]);
        });
        /** @type {Array<Array<any>>} */
        var values = [];
        for (var r = 1; r <= rows; r++) {
          var line = [];
          for (var c = 1; c <= columns; c++) {
            var v = m.cells.get(r + "," + c);
            line.push(v === undefined ? "" : v);
          }
          values.push(line);
        }
        /** @template T @param {Map<string, T>} cells @returns {Object<string, T>} */
        function zeroBased(cells) {
          /** @type {Object<string, T>} */
          var out = {};
          cells.forEach(function (value, key) {
            var rc = key.split(",").map(Number);
            out[rc[0] - 1 + "," + (rc[1] - 1)] = value;
          });
          return out;
        }
        return {
          name: m.name,
          visible: m.visible,
          values: values,
          fills: zeroBased(m.fills),
          formats: zeroBased(m.formats),
          links: zeroBased(m.links),
        };
      }),
    };
  }

  return { application: application, snapshot: snapshot };
}
