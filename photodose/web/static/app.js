// photodose web: small progressive enhancements (the pages work without JavaScript).
"use strict";

function drawPlots() {
  if (typeof Plotly === "undefined") return;
  document.querySelectorAll("[data-plotly]").forEach((el) => {
    const src = document.getElementById(el.dataset.plotly);
    if (!src) return;
    const fig = JSON.parse(src.textContent);
    const layout = Object.assign({}, fig.layout || {}, { autosize: true });
    Plotly.newPlot(el, fig.data || [], layout, { responsive: true, displaylogo: false });
  });
}

function pad(n) { return String(Math.floor(n)).padStart(2, "0"); }

function setupTimers() {
  document.querySelectorAll("form[data-timer]").forEach((form) => {
    const clock = form.querySelector(".clock");
    const start = form.querySelector("[data-timer-start]");
    const stop = form.querySelector("[data-timer-stop]");
    const minutes = form.querySelector("input[name=minutes]");
    const planned = Number(form.dataset.plannedSeconds || 0);
    let began = null, tick = null;
    const elapsed = () => (Date.now() - began) / 1000;
    const show = () => {
      const s = elapsed();
      clock.textContent = pad(s / 60) + ":" + pad(s % 60);
      minutes.value = (s / 60).toFixed(2);
      if (planned && s >= planned) { clock.classList.add("done"); }
    };
    start.addEventListener("click", () => {
      began = Date.now(); tick = setInterval(show, 500); show();
      start.hidden = true; stop.hidden = false;
    });
    stop.addEventListener("click", () => {
      clearInterval(tick); show(); stop.hidden = true; start.hidden = false; start.textContent = "Restart timer";
    });
  });
}

function setupJobs() {
  document.querySelectorAll("[data-job]").forEach((box) => {
    const bar = box.querySelector("progress");
    const text = box.querySelector(".job-status");
    const poll = async () => {
      const res = await fetch("/api/jobs/" + box.dataset.job, { headers: { Accept: "application/json" } });
      const job = await res.json();
      if (bar) bar.value = job.progress || 0;
      if (text) text.textContent = job.status + (job.detail ? ": " + job.detail : "");
      if (job.status === "done") { window.location.reload(); return; }
      if (job.status !== "failed") setTimeout(poll, 700);
    };
    poll();
  });
}

function setupAutosubmit() {
  document.querySelectorAll("select[data-autosubmit]").forEach((el) => {
    el.addEventListener("change", () => el.form.submit());
  });
}

document.addEventListener("DOMContentLoaded", () => { drawPlots(); setupTimers(); setupJobs(); setupAutosubmit(); });
