// Progressive enhancement: while an opening or a PIN is on its way, ask the server
// for the status fragment every few seconds and swap it in (an aria-live region).
// Without JavaScript the "Stand aktualisieren" link does the same.
(function () {
  "use strict";
  var attempts = 0;
  function poll() {
    var region = document.getElementById("locker-status");
    if (!region || !region.dataset.statusUrl || attempts >= 60) {
      return;
    }
    attempts += 1;
    fetch(region.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(response.status);
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("locker-status");
        if (fresh) {
          region.replaceWith(fresh);
        }
        window.setTimeout(poll, 2000);
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }
  window.setTimeout(poll, 2000);
})();
