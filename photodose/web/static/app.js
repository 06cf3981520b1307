// photodose web: small progressive enhancements (the pages work without JavaScript).
"use strict";

// Charts fill their card and follow the viewport (Plotly's responsive mode). On a phone-width card the legend
// moves under the plot and the margins shrink, so the plot itself keeps most of the width.
const NARROW_PX = 560;

function phoneLayout(el, layout) {
  const narrow = el.clientWidth < NARROW_PX;
  if (el.dataset.narrow === String(narrow)) return null;
  el.dataset.narrow = String(narrow);
  const wide = el.wideLayout || (el.wideLayout = { legend: layout.legend || {}, margin: layout.margin || {} });
  if (!narrow) return { legend: wide.legend, margin: wide.margin };
  return {
    // about 70 px under the plot area: below the tick labels and an axis title
    legend: Object.assign({}, wide.legend, { orientation: "h", x: 0, xanchor: "left", yanchor: "top",
                                             y: -Math.min(0.35, 70 / Math.max(el.clientHeight, 200)) }),
    margin: Object.assign({}, wide.margin, { l: 48, r: 10 }),
  };
}

function drawPlots() {
  if (typeof Plotly === "undefined") return;
  document.querySelectorAll("[data-plotly]").forEach((el) => {
    const src = document.getElementById(el.dataset.plotly);
    if (!src) return;
    const fig = JSON.parse(src.textContent);
    // a figure that asks for a height (the progress panels: 340 px each) gets it; autosize then keeps it
    if (fig.layout && fig.layout.height) el.style.minHeight = fig.layout.height + "px";
    const layout = Object.assign({}, fig.layout || {}, { autosize: true });
    Object.assign(layout, phoneLayout(el, layout) || {});
    // on a phone the zoom toolbar covers the plot's top labels and touch zooming is awkward: leave it out there
    Plotly.newPlot(el, fig.data || [], layout,
                   { responsive: true, displaylogo: false, displayModeBar: el.clientWidth >= NARROW_PX ? "hover" : false });
  });
  let pending = null;
  window.addEventListener("resize", () => {
    clearTimeout(pending);
    pending = setTimeout(() => document.querySelectorAll("[data-plotly]").forEach((el) => {
      const change = el.layout && phoneLayout(el, el.layout);
      if (change) Plotly.relayout(el, change);
    }), 150);
  });
}

function pad(n) { return String(Math.floor(n)).padStart(2, "0"); }

// The session timer: its start is kept in localStorage (it survives a reload), and the planned end is announced
// once, with a tone (Web Audio) and a notification where the person allowed them. The clock itself is not a live
// region: screen readers hear "started", "planned time reached" and "stopped", not every tick.
function beep() {
  try {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    const ctx = beep.ctx || (beep.ctx = new Ctx());
    if (ctx.state === "suspended") ctx.resume();
    [0, 0.35, 0.7].forEach((at) => {
      const osc = ctx.createOscillator(), gain = ctx.createGain();
      osc.frequency.value = 880; osc.connect(gain); gain.connect(ctx.destination);
      gain.gain.setValueAtTime(0.2, ctx.currentTime + at);
      gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + at + 0.3);
      osc.start(ctx.currentTime + at); osc.stop(ctx.currentTime + at + 0.3);
    });
  } catch (e) { /* no sound: the visual and spoken alerts remain */ }
}

function unlockAudio() {
  try {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (Ctx && !beep.ctx) beep.ctx = new Ctx();
  } catch (e) { /* no Web Audio */ }
}

function notify(text) {
  try {
    if ("Notification" in window && Notification.permission === "granted") new Notification("photodose", { body: text });
  } catch (e) { /* some browsers allow notifications only from a service worker */ }
}

function readTimer(key) {
  try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
}

function writeTimer(key, state) {
  try { state ? localStorage.setItem(key, JSON.stringify(state)) : localStorage.removeItem(key); } catch (e) { /* private mode */ }
}

function setupTimers() {
  document.querySelectorAll("form[data-timer]").forEach((form) => {
    const clock = form.querySelector(".clock");
    const status = form.querySelector(".timer-status");
    const start = form.querySelector("[data-timer-start]");
    const stop = form.querySelector("[data-timer-stop]");
    const minutes = form.querySelector("input[name=minutes]");
    const planned = Number(form.dataset.plannedSeconds || 0);
    const key = form.dataset.timerKey || "photodose-timer";
    let state = readTimer(key);  // {began: ms, stopped: ms|null, alerted: bool}
    let tick = null;
    const say = (text) => { if (status) status.textContent = text; };
    const elapsed = () => ((state.stopped || Date.now()) - state.began) / 1000;
    const show = () => {
      const s = Math.max(0, elapsed());
      clock.textContent = pad(s / 60) + ":" + pad(s % 60);
      minutes.value = (s / 60).toFixed(2);
      if (planned && s >= planned) {
        clock.classList.add("done");
        if (!state.alerted && !state.stopped) {
          state.alerted = true; writeTimer(key, state);
          const text = "Planned time reached: " + pad(planned / 60) + ":" + pad(planned % 60) + ". Stop the light now.";
          say(text); beep(); notify(text);
        }
      }
    };
    const running = () => {
      clearInterval(tick); tick = setInterval(show, 500); show();
      start.hidden = true; stop.hidden = false;
    };
    const stopped = () => {
      clearInterval(tick); show(); stop.hidden = true; start.hidden = false; start.textContent = "Restart timer";
    };
    if (state && state.began) { state.stopped ? stopped() : running(); }
    start.addEventListener("click", () => {
      state = { began: Date.now(), stopped: null, alerted: false };
      writeTimer(key, state); unlockAudio();  // a click lets the page play the end tone later
      if ("Notification" in window && Notification.permission === "default") {
        try { Notification.requestPermission(); } catch (e) { /* old API */ }
      }
      running(); say("Timer started.");
    });
    stop.addEventListener("click", () => {
      state.stopped = Date.now(); writeTimer(key, state); stopped();
      say("Timer stopped at " + clock.textContent + ".");
    });
    form.addEventListener("submit", () => writeTimer(key, null));
  });
}

// After a failed form, focus goes to the first field in error (or the form's error box), so that keyboard and
// screen-reader users land on it.
function focusFirstError() {
  const bad = document.querySelector("main [aria-invalid=true], main .error-box");
  if (!bad) return;
  let target = bad.matches("fieldset") ? bad.querySelector("input, select, textarea") : bad;
  if (!target.matches("input, select, textarea, button, a")) target.tabIndex = -1;
  target.focus();
}

// A form is sent once: a second click while the first is under way does nothing (no duplicate saves).
function setupSendOnce() {
  document.querySelectorAll("form[method=post]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (form.dataset.sending) { event.preventDefault(); return; }
      form.dataset.sending = "1";
      setTimeout(() => { delete form.dataset.sending; }, 8000);
    });
  });
  window.addEventListener("pageshow", () => {
    document.querySelectorAll("form[data-sending]").forEach((form) => { delete form.dataset.sending; });
  });
}

function setupJobs() {
  document.querySelectorAll("[data-job]").forEach((box) => {
    const bar = box.querySelector("progress");
    const text = box.querySelector(".job-status");
    const left = box.querySelector(".job-time");
    let spoken = 0;
    const poll = async () => {
      const res = await fetch("/api/jobs/" + box.dataset.job, { headers: { Accept: "application/json" } });
      const job = await res.json();
      if (bar) bar.value = job.progress || 0;
      if (left && job.remaining_s !== null && job.remaining_s !== undefined) {
        left.textContent = "About " + Math.round(job.remaining_s) + " s left.";
      }
      // the status line is a live region: update it at each new tenth of the run, not at every poll
      const tenth = Math.floor((job.progress || 0) * 10);
      if (text && (tenth !== spoken || job.status !== "running")) {
        spoken = tenth; text.textContent = job.status + (job.detail ? ": " + job.detail : "");
      }
      if (["done", "failed", "cancelled"].includes(job.status)) { window.location.reload(); return; }
      setTimeout(poll, 700);
    };
    poll();
  });
}

function setupAutosubmit() {
  document.querySelectorAll("select[data-autosubmit]").forEach((el) => {
    el.addEventListener("change", () => el.form.submit());
  });
}

document.addEventListener("DOMContentLoaded", () => {
  drawPlots(); setupTimers(); setupJobs(); setupAutosubmit(); setupSendOnce(); focusFirstError();
});
