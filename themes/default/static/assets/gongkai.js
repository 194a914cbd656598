// gongkai default theme: reading aids (适老化: 大字版, 高对比度, 长者模式, 读屏), the
// small-screen menu and print buttons. Loaded in <head> so a remembered setting applies
// before the page is painted. 读屏 speaks through the browser's own speech synthesis
// (window.speechSynthesis): no service, nothing sent anywhere, works offline.
(function () {
  "use strict";
  var root = document.documentElement;
  var KEYS = { text: "gongkai-large-text", contrast: "gongkai-high-contrast", elder: "gongkai-elder", speech: "gongkai-speech" };
  var CLASSES = { text: "large-text", contrast: "high-contrast", elder: "elder", speech: "speech" };

  function stored(key) {
    try { return window.localStorage.getItem(key) === "1"; } catch (e) { return false; }
  }
  function store(key, on) {
    try { window.localStorage.setItem(key, on ? "1" : "0"); } catch (e) { /* private mode: not remembered */ }
  }
  // `?a11y=large-text`, `?a11y=high-contrast` or `?a11y=elder` turns a setting on (used for screenshots and shared links).
  var asked = /[?&]a11y=([a-z-]+)/.exec(window.location.search);
  Object.keys(KEYS).forEach(function (k) {
    if (asked && asked[1] === CLASSES[k]) { store(KEYS[k], true); }
    if (stored(KEYS[k])) { root.classList.add(CLASSES[k]); }
  });
  root.classList.add("js");

  // 读屏: while on, what gets keyboard focus or is pointed at is read aloud; the bar
  // under the header reads the whole page or stops.
  function reader() {
    var synth = window.speechSynthesis;
    var bar = document.getElementById("speech-bar");
    if (!synth || typeof window.SpeechSynthesisUtterance !== "function" || !bar) { return null; }
    var status = document.getElementById("speech-status");
    var current = null;
    function on() { return root.classList.contains(CLASSES.speech); }
    function mark(el) {
      if (current) { current.classList.remove("speaking"); }
      current = el;
      if (el) { el.classList.add("speaking"); }
    }
    function speak(text, el) {
      text = (text || "").replace(/\s+/g, " ").trim();
      if (!text) { return; }
      synth.cancel();
      var u = new window.SpeechSynthesisUtterance(text);
      u.lang = "zh-CN";
      u.rate = 0.9;
      u.onend = function () { mark(null); };
      mark(el || null);
      synth.speak(u);
    }
    // What to say for an element: a control's name and role, else its text.
    function words(el) {
      if (!el || el === document.body) { return ""; }
      var label = el.getAttribute("aria-label") || el.getAttribute("alt") || "";
      var text = label || el.innerText || el.textContent || "";
      var tag = el.tagName;
      if (tag === "A") { return "链接，" + text; }
      if (tag === "BUTTON") { return "按钮，" + text + (el.getAttribute("aria-pressed") === "true" ? "，已开启" : ""); }
      if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") {
        var l = el.id && document.querySelector('label[for="' + el.id + '"]');
        return "输入框，" + ((l && l.textContent) || el.getAttribute("placeholder") || "");
      }
      if (/^H[1-6]$/.test(tag)) { return "标题，" + text; }
      return text;
    }
    function readable(el) {
      return el && el.closest && el.closest("a, button, input, select, textarea, h1, h2, h3, h4, p, li, td, th, dt, dd, caption, figcaption, label");
    }
    document.addEventListener("focusin", function (e) {
      if (on()) { speak(words(e.target), e.target); }
    });
    document.addEventListener("mouseover", function (e) {
      if (!on()) { return; }
      var el = readable(e.target);
      if (el && el !== current && !(el.contains(document.activeElement) && document.activeElement !== document.body)) {
        speak(words(el), el);
      }
    });
    Array.prototype.forEach.call(bar.querySelectorAll("[data-speech]"), function (b) {
      b.addEventListener("click", function () {
        if (b.getAttribute("data-speech") === "stop") {
          synth.cancel();
          mark(null);
          status.textContent = "已停止朗读。";
        } else {
          var main = document.getElementById("main");
          speak((main && main.innerText) || "", main);
          status.textContent = "正在朗读本页主要内容。";
        }
      });
    });
    return {
      toggled: function (state, quiet) {
        bar.hidden = !state;
        if (!state) { synth.cancel(); mark(null); return; }
        status.textContent = "读屏已开启：用 Tab 键或鼠标指向内容即朗读。";
        if (!quiet) { speak("读屏已开启。用 Tab 键或鼠标指向内容即朗读。"); }
      }
    };
  }

  document.addEventListener("DOMContentLoaded", function () {
    var speech = reader();
    Object.keys(KEYS).forEach(function (k) {
      var button = document.querySelector('[data-a11y="' + k + '"]');
      if (!button) { return; }
      // Without the browser's speech synthesis there is nothing to read aloud with.
      if (k === "speech" && !speech) { root.classList.remove(CLASSES[k]); return; }
      button.hidden = false;
      button.setAttribute("aria-pressed", root.classList.contains(CLASSES[k]) ? "true" : "false");
      button.addEventListener("click", function () {
        var on = !root.classList.contains(CLASSES[k]);
        root.classList.toggle(CLASSES[k], on);
        button.setAttribute("aria-pressed", on ? "true" : "false");
        store(KEYS[k], on);
        if (k === "speech") { speech.toggled(on); }
      });
    });
    if (speech) { speech.toggled(root.classList.contains(CLASSES.speech), true); }
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    var toggle = document.querySelector(".menu-toggle");
    var nav = document.getElementById("site-nav-list");
    if (toggle && nav) {
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        nav.classList.toggle("open", open);
      });
    }
  });
})();
