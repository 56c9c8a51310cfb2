// 生源信息核对：页面上仅有的一点脚本（不依赖任何外部文件）。
// 1. 令牌只存在本窗口的 sessionStorage 中：输入一次，本窗口的其他表单自动带上；关闭窗口即清除。
// 2. 提交表单时显示“正在处理”。
// 3. 问题表：点表头排序，按级别筛选。
// 4. 处理冲突的按钮先问一句（data-confirm），免得一点就处理了。
(function () {
  "use strict";
  document.querySelectorAll("button[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.dataset.confirm)) { event.preventDefault(); }
    });
  });
  var KEY = "shengyuan-token";
  var saved = sessionStorage.getItem(KEY) || "";
  document.querySelectorAll("input[data-keep-token]").forEach(function (input) {
    if (!input.value && saved) { input.value = saved; }
    input.addEventListener("change", function () {
      if (input.value) { sessionStorage.setItem(KEY, input.value); }
    });
  });
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input[data-keep-token]").forEach(function (input) {
        if (input.value) { sessionStorage.setItem(KEY, input.value); }
      });
      var busy = document.getElementById("busy");
      if (busy && !form.action.endsWith("/office/export")) { busy.hidden = false; }
    });
  });
  window.addEventListener("pageshow", function () {
    var busy = document.getElementById("busy");
    if (busy) { busy.hidden = true; }
  });

  var table = document.querySelector("table.sortable");
  if (table) {
    var body = table.tBodies[0];
    table.querySelectorAll("th").forEach(function (th, column) {
      th.tabIndex = 0;
      function sort() {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("th").forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var numeric = th.dataset.type === "number";
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].textContent, y = b.cells[column].textContent;
          var order = numeric ? Number(x) - Number(y) : x.localeCompare(y, "zh-CN");
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
      });
    });
    document.querySelectorAll("input[data-filter]").forEach(function (box) {
      box.addEventListener("change", function () {
        var shown = {};
        document.querySelectorAll("input[data-filter]").forEach(function (b) { shown[b.dataset.filter] = b.checked; });
        Array.prototype.forEach.call(body.rows, function (row) {
          row.hidden = !shown[row.dataset.severity];
        });
      });
    });
  }
})();
