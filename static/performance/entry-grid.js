/* The entry grid for people who use spreadsheets (no inline script: loaded by enter.html).
 *
 * - Paste a block copied from Excel (tab-separated rows) into any cell: it fills right
 *   and down from that cell. Each value is checked as the server checks it (a whole
 *   number of 0 or more; "1,234" is read as 1234; an empty value empties the cell); a
 *   refused value leaves its cell as it was. The status line above the grid says how
 *   many cells were filled and names each one refused, or left out beyond the grid.
 * - Enter moves down the column (Shift+Enter up), as in a spreadsheet; it never submits.
 *   Ctrl+Enter (Cmd+Enter) saves the grid. The server validates everything again.
 */
(function () {
  "use strict";
  var COUNT = /^(\d+|\d{1,3}(,\d{3})+)$/;

  function grid() {
    var table = document.querySelector(".entry-grid table");
    if (!table) { return null; }
    return Array.prototype.map.call(table.tBodies[0].rows, function (row) {
      return Array.prototype.slice.call(row.querySelectorAll("input"));
    });
  }

  function position(cells, input) {
    for (var r = 0; r < cells.length; r++) {
      var c = cells[r].indexOf(input);
      if (c !== -1) { return [r, c]; }
    }
    return null;
  }

  function labelOf(input) {
    var label = document.querySelector('label[for="' + input.id + '"]');
    return label ? label.textContent.trim() : input.name;
  }

  /* [value to put in the cell, or null when refused; the problem]. */
  function check(text) {
    var value = text.trim();
    if (value === "") { return ["", null]; }
    if (COUNT.test(value)) { return [value.replace(/,/g, ""), null]; }
    if (/^-\d/.test(value)) { return [null, "“" + value + "” is negative; counts are 0 or more."]; }
    return [null, "“" + value + "” is not a whole number."];
  }

  function parseBlock(text) {
    var lines = text.replace(/\r\n?/g, "\n").split("\n");
    if (lines.length > 1 && lines[lines.length - 1] === "") { lines.pop(); }
    return lines.map(function (line) { return line.split("\t"); });
  }

  function say(message, refused) {
    var status = document.getElementById("paste-status");
    if (!status) { return; }
    status.textContent = "";
    var p = document.createElement("p");
    p.className = "mb-1";
    p.textContent = message;
    status.appendChild(p);
    if (refused.length) {
      var list = document.createElement("ul");
      list.className = "mb-0";
      refused.forEach(function (item) {
        var li = document.createElement("li");
        var link = document.createElement("a");
        link.href = "#" + item.input.id;
        link.textContent = labelOf(item.input) + ": " + item.problem + " (left as it was)";
        li.appendChild(link);
        list.appendChild(li);
      });
      status.appendChild(list);
    }
    status.hidden = false;
    status.className = "alert " + (refused.length ? "alert-warning" : "alert-info");
  }

  function onPaste(event) {
    var input = event.target;
    var text = (event.clipboardData || window.clipboardData).getData("text");
    if (text.indexOf("\t") === -1 && text.replace(/\r?\n$/, "").indexOf("\n") === -1) {
      return; // one value: the browser pastes it into this cell as usual
    }
    event.preventDefault();
    var cells = grid();
    var start = position(cells, input);
    if (!start) { return; }
    var block = parseBlock(text);
    var filled = 0, emptied = 0, outside = 0, refused = [];
    block.forEach(function (values, i) {
      values.forEach(function (raw, j) {
        var row = cells[start[0] + i];
        var target = row && row[start[1] + j];
        if (!target) { outside += 1; return; }
        var result = check(raw);
        if (result[0] === null) {
          refused.push({ input: target, problem: result[1] });
          target.classList.add("paste-refused");
          return;
        }
        target.classList.remove("paste-refused");
        target.value = result[0];
        if (result[0] === "") { emptied += 1; } else { filled += 1; }
      });
    });
    var message = "Pasted " + block.length + " row" + (block.length === 1 ? "" : "s") +
      " from " + labelOf(input) + ": " + filled + " cell" + (filled === 1 ? "" : "s") + " filled";
    if (emptied) { message += ", " + emptied + " emptied"; }
    if (refused.length) { message += ", " + refused.length + " refused"; }
    if (outside) { message += ", " + outside + " left out (beyond the grid)"; }
    say(message + ". Nothing is saved until you press Save.", refused);
  }

  function onKeydown(event) {
    if (event.key !== "Enter" || event.altKey) { return; }
    var input = event.target;
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      if (input.form.requestSubmit) { input.form.requestSubmit(); } else { input.form.submit(); }
      return;
    }
    event.preventDefault(); // Enter never submits the grid
    var cells = grid();
    var at = position(cells, input);
    if (!at) { return; }
    var next = cells[at[0] + (event.shiftKey ? -1 : 1)];
    if (next && next[at[1]]) {
      next[at[1]].focus();
      next[at[1]].select();
    }
  }

  function start() {
    var table = document.querySelector(".entry-grid table");
    if (!table) { return; }
    table.addEventListener("paste", function (event) {
      if (event.target.tagName === "INPUT") { onPaste(event); }
    });
    table.addEventListener("keydown", function (event) {
      if (event.target.tagName === "INPUT") { onKeydown(event); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
