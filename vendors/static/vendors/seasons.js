/* The event form's seasons: redraw a row's sparkline (volume x factor per month) as it is typed.
   The server draws the same line (vendors/web/sparkline.py): width 120, height 28, padding 2. */
(function () {
  function volumeOf(channel) {
    var volume = 0;
    document.querySelectorAll("select[name^='chan-'][name$='-channel']").forEach(function (select) {
      if (select.value === channel) {
        var input = document.querySelector("[name='" + select.name.replace(/-channel$/, "-monthly_volume") + "']");
        volume = parseFloat(input && input.value) || 0;
      }
    });
    return volume;
  }
  function redraw(row) {
    var select = row.querySelector("select"), line = row.querySelector("svg.sparkline polyline");
    if (!select || !line) return;
    var volume = volumeOf(select.value), values = [];
    row.querySelectorAll("input[name*='-m']").forEach(function (input) {
      var factor = input.value === "" ? 1 : parseFloat(input.value.replace(",", "."));
      values.push(volume * (isNaN(factor) ? 1 : factor));
    });
    var top = Math.max.apply(null, values) || 1, step = 116 / Math.max(values.length - 1, 1);
    line.setAttribute("points", values.map(function (v, n) {
      return (2 + n * step).toFixed(1) + "," + (26 - (v / top) * 24).toFixed(1);
    }).join(" "));
  }
  document.addEventListener("input", function (event) {
    var row = event.target.closest("[data-season-row]");
    if (row) redraw(row);
    if (event.target.name && /^chan-\d+-(monthly_volume|channel)$/.test(event.target.name)) {
      document.querySelectorAll("[data-season-row]").forEach(redraw);
    }
  });
  document.addEventListener("change", function (event) {
    var row = event.target.closest("[data-season-row]");
    if (row) redraw(row);
  });
})();
