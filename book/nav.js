<script>
/* book/nav.js: the HTML book's navigation (pandoc --include-after-body).
 *  - the top bar (book/nav.html) names the chapter and section in view and
 *    links to the previous and next section (h1 and h2, in book order);
 *  - the contents (nav#TOC) marks the section in view; on a wide screen CSS
 *    keeps it in view as a sidebar, on a narrow one the bar's button opens it
 *    over the page and a click on an entry closes it;
 *  - "Hide code" hides the code chunks for a prose-only read (remembered);
 *  - a click on a figure's image shows it at full size, scrolling if larger
 *    than the window; a click or Escape closes it.
 */
(function () {
  "use strict";
  var heads = Array.prototype.slice.call(
    document.querySelectorAll("body > h1[id], body > h2[id]"));
  var bar = document.getElementById("mmlit-bar");
  var toc = document.getElementById("TOC");
  var chap = document.getElementById("bar-chapter");
  var sect = document.getElementById("bar-section");
  var sep = document.getElementById("bar-sep");
  var prev = document.getElementById("bar-prev");
  var next = document.getElementById("bar-next");
  var tocLinks = {};
  if (toc) {
    toc.querySelectorAll("a[href^='#']").forEach(function (a) {
      tocLinks[decodeURIComponent(a.getAttribute("href").slice(1))] = a;
    });
  }
  function title(h) {
    return h.textContent.replace(/\s+/g, " ").trim();
  }
  var current = -2, marked = null;
  function update() {
    var y = (bar ? bar.offsetHeight : 0) + 8, lo = 0, hi = heads.length - 1, k = -1;
    while (lo <= hi) {           /* last heading above the top of the window */
      var mid = (lo + hi) >> 1;
      if (heads[mid].getBoundingClientRect().top <= y) { k = mid; lo = mid + 1; }
      else hi = mid - 1;
    }
    if (k === current) return;
    current = k;
    var c = null, s = null;
    for (var i = k; i >= 0; i--) {
      if (!s && heads[i].tagName === "H2") s = heads[i];
      if (heads[i].tagName === "H1") { c = heads[i]; break; }
    }
    chap.textContent = c ? title(c) : "mmlit";
    chap.href = c ? "#" + c.id : "#TOC";
    sect.textContent = s ? title(s) : "";
    sect.href = s ? "#" + s.id : "#";
    sep.textContent = s ? " \u203a " : "";
    var p = k > 0 ? heads[k - 1] : null, n = heads[k + 1] || null;
    prev.href = p ? "#" + p.id : "#TOC";
    prev.title = p ? "Previous: " + title(p) : "Contents";
    next.href = n ? "#" + n.id : "#TOC";
    next.title = n ? "Next: " + title(n) : "Contents";
    var a = (s && tocLinks[s.id]) || (c && tocLinks[c.id]);
    if (marked) marked.classList.remove("here");
    if (a) {
      a.classList.add("here");
      marked = a;
      if (getComputedStyle(toc).position === "fixed") {
        var r = a.getBoundingClientRect(), t = toc.getBoundingClientRect();
        if (r.top < t.top || r.bottom > t.bottom)
          toc.scrollTop += r.top - t.top - t.height / 3;
      }
    }
  }
  var queued = false;
  window.addEventListener("scroll", function () {
    if (!queued) {
      queued = true;
      requestAnimationFrame(function () { queued = false; update(); });
    }
  }, { passive: true });
  window.addEventListener("hashchange", update);
  window.addEventListener("resize", function () { current = -2; update(); });
  update();

  /* the contents over the page on narrow screens */
  var tocButton = document.getElementById("bar-toc");
  tocButton.addEventListener("click", function (e) {
    if (getComputedStyle(toc).position === "fixed" &&
        !document.body.classList.contains("toc-open") &&
        toc.getBoundingClientRect().width > 0 &&
        window.innerWidth >= 1100) {
      e.preventDefault();        /* the sidebar is already in view */
      if (marked) marked.scrollIntoView({ block: "center" });
      return;
    }
    e.preventDefault();
    document.body.classList.toggle("toc-open");
    if (marked) marked.scrollIntoView({ block: "center" });
  });
  toc.addEventListener("click", function (e) {
    if (e.target.closest("a")) document.body.classList.remove("toc-open");
  });

  /* prose only */
  var codeButton = document.getElementById("bar-code");
  function setCode(hidden) {
    document.body.classList.toggle("no-code", hidden);
    codeButton.textContent = hidden ? "Show code" : "Hide code";
    codeButton.setAttribute("aria-pressed", hidden ? "true" : "false");
    try { localStorage.setItem("mmlit-no-code", hidden ? "1" : ""); } catch (e) {}
  }
  codeButton.addEventListener("click", function () {
    setCode(!document.body.classList.contains("no-code"));
    current = -2; update();
  });
  try { if (localStorage.getItem("mmlit-no-code")) setCode(true); } catch (e) {}
  /* following a link into a chunk shows the code again */
  window.addEventListener("hashchange", function () {
    var t = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (t && document.body.classList.contains("no-code") &&
        t.closest(".nwchunk, .nwindex")) setCode(false), t.scrollIntoView();
    if (t) { var d = t.closest("details"); if (d) d.open = true; }
  });

  /* figures at full size */
  var zoom = document.createElement("div");
  zoom.id = "zoom";
  zoom.setAttribute("role", "dialog");
  zoom.setAttribute("aria-label", "Figure at full size (click or Escape to close)");
  document.body.appendChild(zoom);
  function closeZoom() { zoom.classList.remove("open"); zoom.textContent = ""; }
  document.querySelectorAll("figure img").forEach(function (img) {
    img.title = "Click for full size";
    img.addEventListener("click", function () {
      var big = img.cloneNode();
      big.removeAttribute("style");
      big.removeAttribute("width");
      big.removeAttribute("height");
      zoom.textContent = "";
      zoom.appendChild(big);
      zoom.classList.add("open");
    });
  });
  zoom.addEventListener("click", closeZoom);
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { closeZoom(); document.body.classList.remove("toc-open"); }
  });
})();
</script>
