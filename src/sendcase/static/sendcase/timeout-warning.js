// The GOV.UK timeout warning: before the idle sign-out, a dialog says so and offers
// "Stay signed in". The server signs an idle session out whatever this script does
// (accounts/middleware.py); this only warns. It asks the server how long is left before
// warning, so that work in another tab counts, and asking is not activity.
// Loaded as a static file: the Content Security Policy allows no inline script.

const dialog = document.getElementById("app-timeout-warning");

function minutesAndSeconds(seconds) {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  const parts = [];
  if (m > 0) parts.push(`${m} minute${m === 1 ? "" : "s"}`);
  if (s > 0 || m === 0) parts.push(`${s} second${s === 1 ? "" : "s"}`);
  return parts.join(" ");
}

if (dialog && typeof dialog.showModal === "function") {
  const warningSeconds = Number(dialog.dataset.warningSeconds);
  const statusUrl = dialog.dataset.statusUrl;
  const keepAliveUrl = dialog.dataset.keepAliveUrl;
  const signedOutUrl = dialog.dataset.signedOutUrl;
  const countdown = dialog.querySelector("[data-timeout-countdown]");
  const announce = dialog.querySelector("[data-timeout-announce]");
  const stay = dialog.querySelector("[data-timeout-stay]");
  const signOutForm = dialog.querySelector("[data-timeout-sign-out]");
  const csrf = signOutForm.querySelector("input[name=csrfmiddlewaretoken]").value;
  let timer = null;
  let deadline = 0;

  // When the time is up, sign out to the "You have been signed out" page.
  const signOutNow = () => {
    signOutForm.action = signedOutUrl;
    signOutForm.submit();
  };

  const tick = () => {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    countdown.textContent = minutesAndSeconds(left);
    // Screen readers hear the time at the start and then every 15 seconds, not each second.
    if (left % 15 === 0) announce.textContent = `We will sign you out in ${minutesAndSeconds(left)}.`;
    if (left === 0) {
      signOutNow();
      return;
    }
    timer = window.setTimeout(tick, 1000);
  };

  const warn = (secondsLeft) => {
    deadline = Date.now() + secondsLeft * 1000;
    if (!dialog.open) dialog.showModal();
    window.clearTimeout(timer);
    tick();
  };

  const check = async () => {
    let answer;
    try {
      const response = await fetch(statusUrl, { credentials: "same-origin", cache: "no-store" });
      if (response.status === 401) {
        window.location.assign(signedOutUrl);
        return;
      }
      answer = await response.json();
    } catch {
      schedule(30);
      return;
    }
    if (answer.seconds_left <= warningSeconds) warn(answer.seconds_left);
    else schedule(answer.seconds_left - warningSeconds);
  };

  const schedule = (seconds) => {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, Math.max(1, seconds) * 1000);
  };

  const staySignedIn = async () => {
    window.clearTimeout(timer);
    try {
      const response = await fetch(keepAliveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf },
      });
      if (!response.ok) {
        window.location.assign(signedOutUrl);
        return;
      }
      const answer = await response.json();
      dialog.close();
      announce.textContent = "";
      schedule(answer.seconds_left - warningSeconds);
    } catch {
      schedule(5);
    }
  };

  stay.addEventListener("click", staySignedIn);
  // Escape closes a dialog; here it means "stay signed in", as in the GOV.UK pattern.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    staySignedIn();
  });
  schedule(Number(dialog.dataset.timeoutSeconds) - warningSeconds);
}
