// Live figures: the server sends the board's figures again whenever a status event, or
// time (a deadline passing, London midnight), moves them. The page works without this
// script; with it, nobody needs to reload.
(function () {
  "use strict";
  var source = null;
  // Signing out in one tab signs the browser out of every tab: the others leave what they
  // show, and their live figures, rather than keep them until the token expires.
  var signOut = document.querySelector("form.sign-out");
  if (signOut && window.BroadcastChannel) {
    var tabs = new BroadcastChannel("casework-board");
    signOut.addEventListener("submit", function () { tabs.postMessage("signed-out"); });
    tabs.onmessage = function (e) {
      if (e.data !== "signed-out") { return; }
      if (source) { source.close(); }
      window.location.assign("/sign-in");
    };
  }

  var figures = document.getElementById("figures");
  if (!figures || !window.EventSource) { return; }
  var live = document.getElementById("live");
  var connection = document.getElementById("connection");
  var updated = document.getElementById("updated");
  source = new EventSource("/events");
  source.onopen = function () { updated.setAttribute("data-live", "on"); };

  function values() {
    var out = {};
    figures.querySelectorAll("[data-figure]").forEach(function (el) { out[el.getAttribute("data-figure")] = el.textContent; });
    return out;
  }

  source.addEventListener("board", function (e) {
    var update = JSON.parse(e.data);
    var before = values();
    // Keep keyboard focus where it was: the same link after the figures are replaced.
    var focused = document.activeElement && figures.contains(document.activeElement) ? document.activeElement.getAttribute("href") : null;
    figures.innerHTML = update.html;
    if (focused) {
      var again = Array.prototype.find.call(figures.querySelectorAll("a[href]"), function (a) { return a.getAttribute("href") === focused; });
      if (again) { again.focus(); }
    }
    figures.querySelectorAll("[data-figure]").forEach(function (el) {
      var key = el.getAttribute("data-figure");
      if (key in before && before[key] !== el.textContent) {
        var card = el.closest(".card");
        if (card) { card.classList.add("changed"); setTimeout(function () { card.classList.remove("changed"); }, 2000); }
      }
    });
    updated.textContent = update.updated;
    updated.setAttribute("datetime", update.at);
    if (update.announce) { live.textContent = update.announce; }
    connection.textContent = "They update by themselves as cases move.";
  });
  source.addEventListener("signed-out", function () {
    source.close();
    window.location.assign("/sign-in?expired=1");
  });
  source.onerror = function () {
    connection.textContent = source.readyState === EventSource.CLOSED ?
      "Live updates stopped: reload the page to see the latest figures." : "Live updates paused: reconnecting…";
  };
})();
