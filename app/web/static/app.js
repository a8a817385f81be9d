// Progressive enhancement only: every page works without this file (tables, forms, links).
(function () {
  "use strict";
  // Blue and orange differ in hue and lightness, and the series also differ in line style and point
  // shape, so no series is told apart by colour alone.
  var KLEUREN = ["#154273", "#b34700", "#1e6b34", "#6b2c91"];
  var STREPEN = [[], [6, 4], [2, 3], [10, 3, 2, 3]];
  var PUNTEN = ["circle", "rect", "triangle", "rectRot"];

  function getal(v) { return v === null || v === undefined ? "onderdrukt" : new Intl.NumberFormat("nl-NL").format(v); }

  function teken(canvas) {
    var bron = document.getElementById(canvas.getAttribute("data-grafiek"));
    if (!bron || typeof Chart === "undefined") { return; }
    var data = JSON.parse(bron.textContent);
    var liggend = data.soort === "hbar";
    if (liggend) {
      canvas.parentElement.style.height = Math.max(12, data.labels.length * 1.9 + 4) + "rem";
    }
    var reeksen = data.reeksen.map(function (r, i) {
      return {
        label: r.naam, data: r.waarden, borderColor: KLEUREN[i % 4], backgroundColor: KLEUREN[i % 4],
        borderDash: STREPEN[i % 4], pointStyle: PUNTEN[i % 4], pointRadius: 4, borderWidth: 2, spanGaps: false
      };
    });
    var grafiek = new Chart(canvas, {
      type: data.soort === "line" ? "line" : "bar",
      data: { labels: data.labels, datasets: reeksen },
      options: {
        indexAxis: liggend ? "y" : "x", responsive: true, maintainAspectRatio: false, animation: false,
        plugins: {
          legend: { display: reeksen.length > 1, labels: { usePointStyle: true, color: "#1a1a1a" } },
          tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + getal(c.raw); } } }
        },
        scales: {
          x: { beginAtZero: true, ticks: { color: "#1a1a1a" } },
          y: { beginAtZero: true, ticks: { color: "#1a1a1a" } }
        },
        onClick: function (evt, elementen) {
          // A bar of a drill-down chart leads where the link in its table row leads.
          if (!elementen.length) { return; }
          var rij = document.querySelectorAll("#" + canvas.id.replace("-canvas", "") + " tbody tr")[elementen[0].index];
          var link = rij && rij.querySelector("a");
          if (link) { window.location.href = link.href; }
        }
      }
    });
    canvas.setAttribute("data-getekend", "ja");
    return grafiek;
  }

  document.querySelectorAll("canvas[data-grafiek]").forEach(teken);

  document.querySelectorAll("[data-print]").forEach(function (knop) {
    knop.hidden = false;
    knop.addEventListener("click", function () { window.print(); });
  });

  // Import: drag and drop onto the zone fills the ordinary file input, which stays usable by keyboard.
  var zone = document.querySelector("[data-dropzone]");
  if (zone) {
    var invoer = document.getElementById(zone.getAttribute("data-dropzone"));
    var naam = zone.querySelector("[data-bestandsnaam]");
    ["dragenter", "dragover"].forEach(function (t) {
      zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("erboven"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.remove("erboven"); });
    });
    zone.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) {
        invoer.files = e.dataTransfer.files;
        if (naam) { naam.textContent = "Gekozen: " + e.dataTransfer.files[0].name; }
      }
    });
    invoer.addEventListener("change", function () {
      if (naam && invoer.files.length) { naam.textContent = "Gekozen: " + invoer.files[0].name; }
    });
  }

  // Import job: poll the job's status until it is done; the page without script refreshes itself.
  var voortgang = document.querySelector("[data-voortgang]");
  if (voortgang) {
    var balk = voortgang.querySelector("progress");
    var tekst = voortgang.querySelector("[data-voortgang-tekst]");
    var url = voortgang.getAttribute("data-voortgang");
    var klaar = ["geslaagd", "gedeeltelijk", "mislukt"];
    var vraag = function () {
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (job) {
          var totaal = parseInt(balk.getAttribute("data-totaal") || "0", 10);
          if (job.verwerkt !== null && job.verwerkt !== undefined && job.status === "bezig") {
            balk.max = Math.max(totaal, job.verwerkt, 1); balk.value = job.verwerkt;
            tekst.textContent = job.verwerkt + (totaal ? " van " + totaal : "") + " rijen verwerkt";
          }
          if (klaar.indexOf(job.status) >= 0) {
            balk.max = 1; balk.value = 1;
            window.location.reload();
            return;
          }
          if (job.status === "wachtend") { tekst.textContent = "Wacht op verwerking…"; }
          window.setTimeout(vraag, 500);
        })
        .catch(function () { window.setTimeout(vraag, 2000); });
    };
    vraag();
  }
})();
