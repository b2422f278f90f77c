// The bid form: narrow the budget lines to the chosen fund's as the fund changes, and say
// where the typed amount goes once supported. Without this script the form's "Show the
// chosen fund's budget lines" button does the first, and the route list says the second.
(function () {
  "use strict";
  var linesData = document.getElementById("bid-lines");
  var routeData = document.getElementById("bid-route");
  var fund = document.getElementById("id_fund");
  var line = document.getElementById("id_budget_line");
  var amount = document.getElementById("id_amount_requested");
  var routeNow = document.getElementById("bid-route-now");
  var chooser = document.getElementById("choose-fund");
  if (!linesData || !fund || !line) { return; }
  var lines = JSON.parse(linesData.textContent);
  var route = routeData ? JSON.parse(routeData.textContent) : null;
  if (chooser) { chooser.hidden = true; }

  function fillLines() {
    var keep = line.value;
    var options = lines[fund.value] || [];
    line.textContent = "";
    var blank = document.createElement("option");
    blank.value = "";
    blank.textContent = options.length ? "---------" : "Choose the fund first";
    line.appendChild(blank);
    options.forEach(function (pair) {
      var option = document.createElement("option");
      option.value = String(pair[0]);
      option.textContent = pair[1];
      if (option.value === keep) { option.selected = true; }
      line.appendChild(option);
    });
  }

  var pounds = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" });
  function sayRoute() {
    if (!route || !amount || !routeNow) { return; }
    var value = Number(String(amount.value).replace(/[£,\s]/g, ""));
    if (!amount.value || !isFinite(value) || value <= 0) { routeNow.textContent = ""; return; }
    var over = Math.round(value * 100) >= Math.round(Number(route.threshold) * 100);
    routeNow.textContent = "Your request of " + pounds.format(value) + " " + (over ? route.over : route.under);
  }

  fund.addEventListener("change", fillLines);
  if (amount) { amount.addEventListener("input", sayRoute); }
  fillLines();
  sayRoute();
})();
