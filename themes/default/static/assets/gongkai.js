// gongkai default theme: reading aids (适老化), the small-screen menu and print buttons.
// Loaded in <head> so a remembered setting applies before the page is painted.
(function () {
  "use strict";
  var root = document.documentElement;
  var KEYS = { text: "gongkai-large-text", contrast: "gongkai-high-contrast" };
  var CLASSES = { text: "large-text", contrast: "high-contrast" };

  function stored(key) {
    try { return window.localStorage.getItem(key) === "1"; } catch (e) { return false; }
  }
  function store(key, on) {
    try { window.localStorage.setItem(key, on ? "1" : "0"); } catch (e) { /* private mode: not remembered */ }
  }
  // `?a11y=large-text` or `?a11y=high-contrast` turns a setting on (used for screenshots and shared links).
  var asked = /[?&]a11y=([a-z-]+)/.exec(window.location.search);
  Object.keys(KEYS).forEach(function (k) {
    if (asked && asked[1] === CLASSES[k]) { store(KEYS[k], true); }
    if (stored(KEYS[k])) { root.classList.add(CLASSES[k]); }
  });
  root.classList.add("js");

  document.addEventListener("DOMContentLoaded", function () {
    Object.keys(KEYS).forEach(function (k) {
      var button = document.querySelector('[data-a11y="' + k + '"]');
      if (!button) { return; }
      button.hidden = false;
      button.setAttribute("aria-pressed", root.classList.contains(CLASSES[k]) ? "true" : "false");
      button.addEventListener("click", function () {
        var on = !root.classList.contains(CLASSES[k]);
        root.classList.toggle(CLASSES[k], on);
        button.setAttribute("aria-pressed", on ? "true" : "false");
        store(KEYS[k], on);
      });
    });
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
