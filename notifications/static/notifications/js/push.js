/* Switch browser push on and off on the "Benachrichtigungen" page (progressive enhancement). */
(function () {
  "use strict";
  const toggle = document.getElementById("push-toggle");
  const status = document.getElementById("push-status");
  if (!toggle || !status) return;

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !toggle.dataset.vapidKey) {
    status.textContent = status.dataset.unsupported;
    return;
  }
  toggle.hidden = false;

  function csrfToken() {
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function keyBytes(base64url) {
    const padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (character) => character.charCodeAt(0));
  }

  function chosenTopics() {
    return Array.from(document.querySelectorAll("input[name=topics]:checked"), (box) => box.value);
  }

  function show(on, text) {
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
    toggle.textContent = on ? toggle.dataset.labelOn : toggle.dataset.labelOff;
    status.textContent = text || (on ? status.dataset.on : status.dataset.off);
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body || {}),
    });
    if (!response.ok) throw new Error("HTTP " + response.status);
    return response.json();
  }

  async function switchOn() {
    const registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    await navigator.serviceWorker.ready;
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
      show(false, status.dataset.blocked);
      return;
    }
    const subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: keyBytes(toggle.dataset.vapidKey),
    });
    const answer = await post(toggle.dataset.registerUrl, { subscription: subscription.toJSON(), topics: chosenTopics() });
    show(true, answer.message);
  }

  async function switchOff() {
    const registration = await navigator.serviceWorker.getRegistration("/");
    const subscription = registration ? await registration.pushManager.getSubscription() : null;
    if (subscription) await subscription.unsubscribe();
    const answer = await post(toggle.dataset.unregisterUrl);
    show(false, answer.message);
  }

  toggle.addEventListener("click", async () => {
    toggle.disabled = true;
    try {
      if (toggle.getAttribute("aria-pressed") === "true") await switchOff();
      else await switchOn();
    } catch (error) {
      status.textContent = status.dataset.error;
    } finally {
      toggle.disabled = false;
    }
  });
})();
