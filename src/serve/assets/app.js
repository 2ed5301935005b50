// gongkai serve: the page. Each dropped file is posted on its own, so results arrive as they are ready.
"use strict";

const WORDS = {
  zh: {
    title: "政府信息公开工作年度报告检查", switch: "English", drop: "把年报文件拖到这里",
    formats: "Excel（.xlsx .xls）、Word（.docx）、PDF、网页（.html）、文本（.txt .md），或它们的 zip 压缩包",
    pick: "选择文件…", local: "文件只在这台电脑上的 gongkai 中检查，不会上传到其他地方。",
    blank: "空白模板", year: "年度", download: "下载", close: "关闭", checking: "正在检查…",
    fixed: "下载改正后的文件", fixedOwn: "（您自己的文件，只改了有问题的单元格并作了标注）",
    fixedStandard: "（按标准格式写出）", noFix: "没有可自动修复的问题。",
    unsafe: "同时应用下面这些会改变数字的修改：", standard: "标准格式：", report: "检查结果网页",
    failed: "检查失败", network: "无法连接 gongkai：服务器是否仍在运行？",
  },
  en: {
    title: "Government information-disclosure annual report check", switch: "中文", drop: "Drop report files here",
    formats: "Excel (.xlsx .xls), Word (.docx), PDF, web pages (.html), text (.txt .md), or a zip of them",
    pick: "Choose files…", local: "Files are checked by gongkai on this computer only; nothing is sent elsewhere.",
    blank: "Blank template", year: "Year", download: "Download", close: "Close", checking: "Checking…",
    fixed: "Download the corrected file", fixedOwn: " (your own file, only the wrong cells changed and marked)",
    fixedStandard: " (written in the standard layout)", noFix: "Nothing to fix automatically.",
    unsafe: "Also apply these changes, which change numbers:", standard: "Standard layout:", report: "Results page",
    failed: "Check failed", network: "Cannot reach gongkai: is the server still running?",
  },
};

const params = new URLSearchParams(location.search);
const token = params.get("token");
let lang = params.get("lang") || (document.documentElement.lang.startsWith("en") ? "en" : "zh");
const cards = []; // [{element, ids}]

function t(key) { return WORDS[lang][key]; }

function api(path, extra) {
  const q = new URLSearchParams(extra || {});
  q.set("lang", lang);
  if (token) q.set("token", token);
  return path + "?" + q.toString();
}

function translatePage() {
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  document.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t(el.dataset.t); });
}

function notice(message) {
  const el = document.getElementById("notice");
  el.textContent = message || "";
  el.hidden = !message;
}

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function drawView(card, view) {
  card.replaceChildren();
  card.dataset.id = view.id;
  const head = el("div", { class: "head" });
  head.appendChild(el("h2", {}, view.name));
  const verdictClass = !view.readable || view.errors > 0 ? "fail" : view.warnings > 0 ? "warn" : "pass";
  head.appendChild(el("p", { class: "verdict " + verdictClass }, view.verdict));
  card.appendChild(head);
  if (view.readable) card.appendChild(downloads(view));
  const body = el("div", { class: "body" });
  body.innerHTML = view.html; // rendered and escaped by gongkai
  body.querySelectorAll("table").forEach((table) => {
    const wrap = el("div", { class: "tables" });
    table.replaceWith(wrap);
    wrap.appendChild(table);
  });
  body.querySelectorAll("ul.findings li").forEach((li) => {
    const code = li.querySelector(".code");
    if (code) {
      const a = el("a", { href: "#", title: code.textContent }, code.textContent);
      a.addEventListener("click", (e) => { e.preventDefault(); e.stopPropagation(); explain(code.textContent); });
      code.replaceChildren(a);
    }
    li.addEventListener("click", () => focusCell(card, li.dataset.cell));
  });
  card.appendChild(body);
}

function downloads(view) {
  const box = el("div", { class: "downloads" });
  const line = el("p");
  if (view.safe_changes > 0 || view.unsafe_changes.length > 0) {
    const fixed = el("a", { class: "fixed", href: api("/api/download/" + view.id + "/fixed"), download: view.fixed_name }, t("fixed"));
    line.appendChild(fixed);
    line.appendChild(document.createTextNode(view.fixed_in_place ? t("fixedOwn") : t("fixedStandard")));
    box.appendChild(line);
    if (view.unsafe_changes.length > 0) {
      const label = el("label");
      const tick = el("input", { type: "checkbox", class: "unsafe" });
      tick.addEventListener("change", () => {
        fixed.href = api("/api/download/" + view.id + "/fixed", tick.checked ? { unsafe: "1" } : {});
      });
      label.appendChild(tick);
      label.appendChild(document.createTextNode(" " + t("unsafe")));
      box.appendChild(label);
      const list = el("ul", { class: "changes" });
      view.unsafe_changes.forEach((c) => list.appendChild(el("li", {}, c)));
      box.appendChild(list);
    }
  } else {
    box.appendChild(el("p", {}, t("noFix")));
  }
  const others = el("p");
  others.appendChild(document.createTextNode(t("standard") + " "));
  [["xlsx", "XLSX"], ["docx", "DOCX"], ["json", "JSON"], ["csv", "CSV"], ["html", t("report")]].forEach(([kind, label]) => {
    others.appendChild(el("a", { href: api("/api/download/" + view.id + "/" + kind), class: "get-" + kind }, label));
  });
  box.appendChild(others);
  return box;
}

function focusCell(card, cell) {
  card.querySelectorAll("td.focus").forEach((td) => td.classList.remove("focus"));
  if (!cell) return;
  const td = card.querySelector('td[data-cell="' + cell + '"]');
  if (td) {
    td.classList.add("focus");
    td.scrollIntoView({ block: "center", inline: "center", behavior: "smooth" });
  }
}

async function explain(code) {
  const dialog = document.getElementById("rule");
  const response = await fetch(api("/api/rule/" + encodeURIComponent(code)));
  dialog.querySelector("pre").textContent = response.ok ? await response.text() : (await response.json()).error;
  dialog.showModal();
}

async function send(file) {
  const results = document.getElementById("results");
  const card = el("section", { class: "card checking" });
  const waiting = el("p");
  waiting.appendChild(el("span", { class: "spinner" }));
  waiting.appendChild(document.createTextNode(t("checking") + " " + file.name));
  card.appendChild(waiting);
  results.prepend(card);
  const form = new FormData();
  form.append("file", file, file.name);
  let reply;
  try {
    const response = await fetch(api("/api/check"), { method: "POST", body: form, headers: token ? { "X-Gongkai-Token": token } : {} });
    reply = await response.json();
  } catch (e) {
    reply = { error: t("network") };
  }
  card.classList.remove("checking");
  if (reply.error) {
    card.replaceChildren(el("h2", {}, file.name), el("p", { class: "verdict fail" }, t("failed")), el("p", { class: "error" }, reply.error));
    return;
  }
  // A zip gives a card per report in it.
  reply.files.forEach((view, i) => {
    const target = i === 0 ? card : el("section", { class: "card" });
    if (i > 0) card.after(target);
    drawView(target, view);
    cards.push(target);
  });
}

function take(files) {
  notice("");
  document.body.classList.add("has-results");
  Array.from(files).forEach(send);
}

async function redraw() {
  translatePage();
  for (const card of cards) {
    if (!card.dataset.id) continue;
    const response = await fetch(api("/api/result/" + card.dataset.id));
    const view = await response.json();
    if (view.error) notice(view.error); else drawView(card, view);
  }
}

document.getElementById("lang").addEventListener("click", () => { lang = lang === "zh" ? "en" : "zh"; redraw(); });
document.getElementById("files").addEventListener("change", (e) => { take(e.target.files); e.target.value = ""; });
const drop = document.getElementById("drop");
["dragenter", "dragover"].forEach((n) => drop.addEventListener(n, (e) => { e.preventDefault(); drop.classList.add("over"); }));
["dragleave", "drop"].forEach((n) => drop.addEventListener(n, () => drop.classList.remove("over")));
drop.addEventListener("drop", (e) => { e.preventDefault(); take(e.dataTransfer.files); });
// A file dropped beside the box is checked too, not opened by the browser in place of the page.
window.addEventListener("dragover", (e) => e.preventDefault());
window.addEventListener("drop", (e) => { e.preventDefault(); if (e.dataTransfer.files.length) take(e.dataTransfer.files); });
document.getElementById("year").value = new Date().getFullYear() - 1;
document.getElementById("template").addEventListener("submit", (e) => {
  e.preventDefault();
  const year = document.getElementById("year").value;
  location.href = api("/api/template", { year, to: document.getElementById("template-to").value });
});
translatePage();
