// cloudwright web UI: progress while designing, sortable tables, confirmations, template review.
// A local file (the Content-Security-Policy allows no inline script).
(function () {
  "use strict";

  function cellValue(cell, numeric) {
    var raw = cell.getAttribute("data-value");
    if (raw === null) raw = cell.textContent.trim();
    if (!numeric) return raw.toLowerCase();
    var n = parseFloat(String(raw).replace(/[^0-9eE+\-.]/g, ""));
    return isNaN(n) ? -Infinity : n;
  }

  function makeSortable(table) {
    var heads = table.querySelectorAll("thead th[data-sort]");
    heads.forEach(function (th) {
      th.tabIndex = 0;
      th.setAttribute("role", "button");
      function sort() {
        var index = Array.prototype.indexOf.call(th.parentNode.children, th);
        var numeric = th.getAttribute("data-sort") === "number";
        var asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a.cells[index], numeric), y = cellValue(b.cells[index], numeric);
          if (x < y) return asc ? -1 : 1;
          if (x > y) return asc ? 1 : -1;
          return 0;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
  }

  function showProgress(form) {
    var p = form.querySelector(".progress");
    if (p) p.hidden = false;
    var b = form.querySelector("button[type=submit]");
    if (b) { b.disabled = true; }
  }

  function esc(text) {
    var d = document.createElement("div");
    d.textContent = text == null ? "" : String(text);
    return d.innerHTML;
  }

  function reviewPage(form) {
    var file = document.getElementById("template-file");
    var text = document.getElementById("template-text");
    file.addEventListener("change", function () {
      if (!file.files.length) return;
      file.files[0].text().then(function (t) { text.value = t; });
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      showProgress(form);
      var body = JSON.stringify({ template: text.value });
      var opts = { method: "POST", headers: { "Content-Type": "application/json" }, body: body };
      Promise.all([fetch("/api/estimate", opts), fetch("/api/review", opts)])
        .then(function (rs) { return Promise.all(rs.map(function (r) { return r.json().then(function (j) { return [r.ok, j]; }); })); })
        .then(function (out) {
          var p = form.querySelector(".progress"); if (p) p.hidden = true;
          form.querySelector("button[type=submit]").disabled = false;
          var err = document.getElementById("error");
          if (err) err.remove();
          var bad = out.filter(function (x) { return !x[0]; })[0];
          if (bad) {
            var div = document.createElement("div");
            div.className = "error"; div.id = "error"; div.setAttribute("role", "alert");
            div.textContent = bad[1].error || "error";
            form.parentNode.insertBefore(div, form);
            return;
          }
          var est = out[0][1], rev = out[1][1];
          document.getElementById("template-total").textContent = "Total: $" + Number(est.monthly_usd).toFixed(2) + " per month (catalogue " + est.catalog_date + ")";
          var rows = "";
          est.resources.forEach(function (r) {
            r.line_items.forEach(function (li) {
              rows += "<tr><td>" + esc(r.logical_id) + "</td><td>" + esc(li.description) + "</td><td class=num data-value=\"" + (li.monthly_usd == null ? -1 : li.monthly_usd) + "\">" + (li.monthly_usd == null ? "depends on usage" : esc(li.monthly_usd)) + "</td></tr>";
            });
          });
          document.querySelector("#template-estimate tbody").innerHTML = rows;
          rows = "";
          rev.findings.forEach(function (f) {
            rows += "<tr><td>" + esc(f.severity) + "</td><td>" + esc(f.check_id) + "</td><td>" + esc(f.resource) + "</td><td>" + esc(f.message) + "</td></tr>";
          });
          document.querySelector("#template-findings tbody").innerHTML = rows;
          document.getElementById("template-result").hidden = false;
        });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table.sortable").forEach(makeSortable);
    document.querySelectorAll("form[data-progress]").forEach(function (form) {
      form.addEventListener("submit", function () { showProgress(form); });
    });
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        if (!window.confirm(form.getAttribute("data-confirm"))) e.preventDefault();
      });
    });
    var tf = document.getElementById("template-form");
    if (tf) reviewPage(tf);
  });
})();
