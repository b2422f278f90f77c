// A background job's page: asks the portal for the job's state every second until it has
// finished, and shows its progress, then its result or what went wrong.
(function () {
  "use strict";
  var root = document.getElementById("job");
  if (!root || root.dataset.finished === "true") {
    return;
  }
  var url = root.dataset.statusUrl;
  var bar = document.getElementById("job-bar");
  var progress = document.getElementById("job-progress");

  function show(state) {
    document.getElementById("job-status").textContent = state.status_label;
    document.getElementById("job-message").textContent = state.message || "";
    document.getElementById("job-count").textContent =
      state.total ? state.done + " of " + state.total : "";
    if (state.percent === null) {
      progress.removeAttribute("aria-valuenow");
      bar.style.width = "100%";
      bar.textContent = "";
    } else {
      progress.setAttribute("aria-valuenow", String(state.percent));
      bar.style.width = state.percent + "%";
      bar.textContent = state.percent + "%";
    }
    if (state.finished) {
      bar.classList.remove("progress-bar-striped", "progress-bar-animated");
    }
    if (state.error) {
      bar.classList.add("bg-danger");
      document.getElementById("job-error-text").textContent = state.error;
      document.getElementById("job-error").classList.remove("d-none");
    }
    if (state.result_url) {
      document.getElementById("job-result-link").href = state.result_url;
      document.getElementById("job-result").classList.remove("d-none");
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (!state.finished) {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000); // the server is busy or restarting: ask again later
      });
  }

  window.setTimeout(poll, 1000);
})();
