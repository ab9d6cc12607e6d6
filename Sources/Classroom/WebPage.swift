/// The follower's page at `/`: one self-contained document (no scripts, styles or fonts from
/// elsewhere, so it works offline). It asks for the join code, draws each frame's canvas as a
/// monospace grid scaled to the window, forwards keys and taps, offers Follow / Explore on my own,
/// and reconnects by itself.
///
/// Keys on the page: while following, `o` (or the button) starts exploring; while exploring every key
/// goes to the follower's own copy, and F8 (or the button) snaps back to the teacher.
enum WebPage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Transformer Explorer — classroom</title>
<style>
  html, body { margin: 0; height: 100%; background: #111; color: #ddd; font-family: system-ui, sans-serif; }
  body { display: flex; flex-direction: column; }
  #bar { display: flex; gap: .5em; align-items: center; padding: .3em .5em; background: #222; font-size: 14px; flex-wrap: wrap; }
  #bar button, #join button, #keys button { font-size: 14px; padding: .25em .7em; border-radius: 4px; border: 1px solid #666;
    background: #333; color: #eee; }
  #bar button.on { background: #2a6; border-color: #2a6; }
  #status { margin-left: auto; opacity: .8; }
  #join { margin: auto; text-align: center; }
  #join input { font-size: 28px; width: 8em; text-align: center; letter-spacing: .15em; }
  #join p.error { color: #f77; }
  #stage { flex: 1; overflow: hidden; display: none; align-items: center; justify-content: center; }
  #screen { margin: 0; font-family: "DejaVu Sans Mono", "Menlo", "Consolas", monospace; line-height: 1.2; white-space: pre;
    cursor: pointer; user-select: none; }
  #screen span.u { text-decoration: underline; }
  #screen span.b { font-weight: bold; }
  #screen span.i { font-style: italic; }
  #screen span.d { opacity: .6; }
  #own { display: none; gap: .4em; }
  #own input { width: 24em; max-width: 50vw; font-size: 14px; }
  #keys { display: none; gap: .3em; padding: .3em; background: #222; flex-wrap: wrap; justify-content: center; }
  #notice { position: fixed; bottom: 3em; left: 50%; transform: translateX(-50%); background: #333; color: #fff; padding: .4em .8em;
    border-radius: 4px; display: none; }
</style>
</head>
<body>
<div id="bar">
  <strong>Transformer Explorer</strong>
  <button id="follow" class="on" title="F8">Follow the teacher</button>
  <button id="explore" title="o">Explore on my own</button>
  <span id="own"><input id="sentence" placeholder="your sentence" maxlength="400"><button id="send">Run</button></span>
  <span id="status">not connected</span>
</div>
<form id="join">
  <h2>Join the class</h2>
  <p>Type the join code the teacher shows.</p>
  <input id="code" autocomplete="off" autocapitalize="off" spellcheck="false" autofocus>
  <button type="submit">Join</button>
  <p class="error" id="joinError"></p>
</form>
<div id="stage"><pre id="screen"></pre></div>
<div id="keys"></div>
<div id="notice"></div>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
let socket = null, code = null, mode = "follow", wanted = "follow", locked = false, joined = false, ended = false;
let ownText = null, lastFrame = null, retry = 0, retryTimer = null, cols = 80, rows = 24, resume = null;
const defaults = { dark: ["#d0d0d0", "#000000"], light: ["#202020", "#ffffff"] };

function setStatus(text) { $("status").textContent = text; }
function notice(text) {
  const n = $("notice"); n.textContent = text; n.style.display = "block";
  clearTimeout(notice.timer); notice.timer = setTimeout(() => n.style.display = "none", 3000);
}
function send(message) { if (socket && socket.readyState === 1 && joined) socket.send(JSON.stringify(message)); }

/* The size in cells that fits the window at a readable font size: what the follower's own copy is drawn at. */
function fittingSize() {
  const probe = document.createElement("span"); probe.textContent = "M".repeat(10);
  probe.style.font = "16px " + getComputedStyle($("screen")).fontFamily; probe.style.visibility = "hidden";
  document.body.appendChild(probe); const w = probe.getBoundingClientRect().width / 10; probe.remove();
  const stage = $("stage").getBoundingClientRect();
  const width = stage.width || window.innerWidth, height = (stage.height || window.innerHeight - 80);
  return { cols: Math.max(80, Math.floor(width / (w * 0.75))), rows: Math.max(24, Math.floor(height / (16 * 1.2 * 0.75))) };
}

function connect() {
  clearTimeout(retryTimer);
  const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws";
  socket = new WebSocket(url);
  setStatus("connecting…");
  socket.onopen = () => {
    const join = { code: code, size: fittingSize() };
    if (wanted === "own" && resume) join.resume = resume;
    socket.send(JSON.stringify(join));
  };
  socket.onmessage = (event) => {
    let message;
    try { message = JSON.parse(event.data); } catch (e) { return; }
    if (message.error) {
      if (!joined) { $("joinError").textContent = message.error; showJoin(); }
      else notice(message.error);
      return;
    }
    if (message.warning) { notice(message.warning); return; }
    if (message.screen) {
      if (!joined) {
        joined = true; retry = 0; showStage();
        // After a reconnect the server gives back our own copy (the resume token); if it could not,
        // explore again on the sentence this page ran.
        if (wanted === "own" && message.state.mode !== "own") { send({ mode: "own" }); if (ownText) send({ text: ownText }); }
      }
      draw(message);
    }
  };
  socket.onclose = (event) => {
    const wasJoined = joined; joined = false;
    if (ended) { setStatus("session ended"); return; }
    if (event.code === 1008) { setStatus("not connected"); showJoin(); return; }
    if (!wasJoined && $("stage").style.display !== "flex" && event.code !== 1013) { setStatus("cannot connect"); }
    retry = Math.min(retry + 1, 6);
    const delay = Math.min(5000, 500 * retry);
    setStatus("reconnecting in " + (delay / 1000) + " s…");
    retryTimer = setTimeout(connect, delay);
  };
}

function showJoin() { $("join").style.display = "block"; $("stage").style.display = "none"; $("keys").style.display = "none"; }
function showStage() { $("join").style.display = "none"; $("stage").style.display = "flex"; $("keys").style.display = "flex"; }

function draw(frame) {
  lastFrame = frame;
  const state = frame.state, screen = frame.screen;
  mode = state.mode; locked = state.locked; cols = screen.cols; rows = screen.rows;
  if (state.resume) resume = state.resume;
  if (frame.ended) ended = true;
  $("follow").classList.toggle("on", mode === "follow");
  $("explore").classList.toggle("on", mode === "own");
  $("explore").disabled = locked;
  $("own").style.display = mode === "own" ? "inline-flex" : "none";
  const [fg0, bg0] = defaults[screen.theme] || defaults.dark;
  const pre = $("screen");
  pre.style.color = fg0; pre.style.background = bg0;
  document.body.style.background = bg0;
  const styles = screen.styles;
  const html = [];
  for (const line of screen.lines) {
    for (const [text, index] of line) {
      const [fg, bg, attrs] = styles[index];
      let f = fg || fg0, b = bg || bg0;
      if (attrs & 8) { const t = f; f = b; b = t; }
      const classes = (attrs & 1 ? "b " : "") + (attrs & 2 ? "d " : "") + (attrs & 4 ? "u " : "") + (attrs & 16 ? "i" : "");
      const escaped = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
      html.push('<span class="' + classes + '" style="color:' + f + ';background:' + b + '">' + escaped + "</span>");
    }
    html.push("\n");
  }
  pre.innerHTML = html.join("");
  pre.dataset.mode = mode; pre.dataset.seq = frame.seq; pre.dataset.screen = state.screen;
  pre.dataset.text = state.text; pre.dataset.step = state.step === null ? "" : state.step;
  fit();
  const where = state.lesson ? state.lesson + " · step " + state.step : state.screen;
  setStatus((ended ? "session ended · " : "") + (mode === "own" ? "exploring on your own" : "following") +
            (locked ? " (locked by the teacher)" : "") + " · " + where);
}

/* Scales the grid's font so that the whole canvas fits the window. */
function fit() {
  const pre = $("screen"), stage = $("stage").getBoundingClientRect();
  pre.style.fontSize = "100px";
  const box = pre.getBoundingClientRect();
  if (!box.width || !box.height) return;
  const scale = Math.min(stage.width / box.width, stage.height / box.height);
  pre.style.fontSize = Math.max(4, Math.floor(100 * scale * 10) / 10) + "px";
}

function setMode(next) {
  wanted = next;
  if (next === "follow") { ownText = null; resume = null; }
  send({ mode: next });
}

$("join").addEventListener("submit", (event) => {
  event.preventDefault();
  code = $("code").value.trim();
  if (!code) return;
  $("joinError").textContent = "";
  try { sessionStorage.setItem("explorer-code", code); } catch (e) {}
  if (socket) { socket.onclose = null; socket.close(); }
  connect();
});
$("follow").onclick = () => setMode("follow");
$("explore").onclick = () => setMode("own");
$("send").onclick = () => { const text = $("sentence").value.trim(); if (text) { ownText = text; send({ text: text }); } };
$("sentence").addEventListener("keydown", (event) => {
  event.stopPropagation();
  if (event.key === "Enter") { event.preventDefault(); $("send").onclick(); }
});
document.addEventListener("keydown", (event) => {
  if (!joined || event.target.tagName === "INPUT") return;
  if (event.key === "F8") { event.preventDefault(); setMode(mode === "own" ? "follow" : "own"); return; }
  if (mode !== "own") {
    if (event.key === "o" && !event.ctrlKey && !event.altKey && !event.metaKey) { event.preventDefault(); setMode("own"); }
    return;
  }
  if (event.altKey || event.metaKey || ["Shift", "Control", "Alt", "Meta", "CapsLock"].includes(event.key)) return;
  event.preventDefault();
  const message = { key: event.key };
  if (event.ctrlKey) message.ctrl = true;
  if (event.shiftKey && event.key === "Tab") message.shift = true;
  send(message);
});
$("screen").addEventListener("click", (event) => {
  if (mode !== "own") return;
  const box = $("screen").getBoundingClientRect();
  const x = Math.floor((event.clientX - box.left) / box.width * cols), y = Math.floor((event.clientY - box.top) / box.height * rows);
  if (x >= 0 && y >= 0 && x < cols && y < rows) send({ click: { x: x, y: y } });
});
/* Keys for a phone, which has no arrows or Escape. */
for (const [label, key] of [["←", "ArrowLeft"], ["↑", "ArrowUp"], ["↓", "ArrowDown"], ["→", "ArrowRight"], ["n", "n"], ["p", "p"],
                            ["Tab", "Tab"], ["Enter", "Enter"], ["Esc", "Escape"], ["[", "["], ["]", "]"], ["{", "{"], ["}", "}"], ["?", "?"]]) {
  const button = document.createElement("button"); button.textContent = label;
  button.onclick = () => { if (mode === "own") send({ key: key }); else notice("press Explore on my own first"); };
  $("keys").appendChild(button);
}
let resizeTimer = null;
window.addEventListener("resize", () => {
  fit();
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => send({ size: fittingSize() }), 300);
});
const given = new URLSearchParams(location.search).get("code") || (() => { try { return sessionStorage.getItem("explorer-code"); } catch (e) { return null; } })();
if (given) { $("code").value = given; code = given; connect(); }
</script>
</body>
</html>
"""#
}
