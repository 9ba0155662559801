/* The comparison page's what-if weights (a static file: the content security policy allows no
 * inline script). Moving one weight, by its slider or its number, gives the other three the
 * rest (100 - the moved weight) in the proportions they had when the control was picked up
 * (equal shares when they were all 0), so the weights always sum to 100. Whole numbers: each
 * gets the floor of its exact share, and the points left over go one each to the largest
 * remainders, ties in the order cost, expertise, security, language, performance; exactly
 * vendors.domain.scoring.rescale_weights (a browser test compares the two). htmx then re-ranks
 * the table (the form's hx-trigger, debounced). Without JavaScript the number inputs and the
 * Re-rank button still work, and the sliders stay hidden. */
(function () {
  "use strict";
  var ORDER = ["cost", "expertise", "security", "language", "performance"];
  /* When the others all weigh 0 they share the rest equally, performance only when it is the
   * one moved (scoring.equal_share_criteria: unweighed track record changes nothing). */
  var CLASSIC = ["cost", "expertise", "security", "language"];

  /* weights {criterion: int}, moved criterion, its new value -> new weights {criterion: int} */
  function rescale(weights, criterion, value) {
    // A criterion the caller leaves out weighs 0 and stays out of the answer.
    var others = ORDER.filter(function (c) { return c !== criterion && c in weights; });
    var base = {};
    var total = 0;
    others.forEach(function (c) { base[c] = weights[c] || 0; total += base[c]; });
    if (total === 0) {
      others.forEach(function (c) {
        base[c] = (CLASSIC.indexOf(c) >= 0) ? 1 : 0;
        total += base[c];
      });
    }
    var room = 100 - value;
    var result = {};
    var remainders = [];
    var used = 0;
    others.forEach(function (c, index) {
      var numerator = room * base[c];            // exact share = numerator / total
      result[c] = Math.floor(numerator / total);
      used += result[c];
      remainders.push({ c: c, index: index, rest: numerator - result[c] * total });
    });
    remainders.sort(function (a, b) { return b.rest - a.rest || a.index - b.index; });
    for (var i = 0; i < room - used; i += 1) { result[remainders[i].c] += 1; }
    result[criterion] = value;
    return result;
  }
  window.bposlaRescaleWeights = rescale;

  var form = document.getElementById("weights-form");
  if (!form) return;
  var sum = document.getElementById("weights-sum");
  var snapshot = null;

  function controls(criterion) {
    return form.querySelectorAll("[data-weight='" + criterion + "']");
  }
  function current() {
    var weights = {};
    ORDER.forEach(function (c) {
      weights[c] = parseInt(document.getElementById("weight-" + c).value, 10) || 0;
    });
    return weights;
  }
  /* What a screen reader says for a slider: "Cost 40%" (the pattern comes translated). */
  function announce(slider) {
    var pattern = slider.getAttribute("data-valuetext");
    if (pattern) slider.setAttribute("aria-valuetext", pattern.replace("{value}", slider.value));
  }
  function showSum() {
    form.querySelectorAll("input[type=range][data-valuetext]").forEach(announce);
    var total = 0;
    ORDER.forEach(function (c) { total += current()[c]; });
    sum.textContent = sum.getAttribute("data-label") + ": " + total +
      (total === 100 ? "" : " (" + sum.getAttribute("data-must") + ")");
    sum.className = total === 100 ? "" : "field-error";
  }
  function pickUp(event) {
    if (event.target.hasAttribute("data-weight")) snapshot = current();
  }
  form.addEventListener("focusin", pickUp);
  form.addEventListener("pointerdown", pickUp);
  form.addEventListener("input", function (event) {
    var moved = event.target;
    var criterion = moved.getAttribute("data-weight");
    if (!criterion) return;
    var value = parseInt(moved.value, 10);
    if (isNaN(value) || value < 0 || value > 100 || String(value) !== moved.value.trim()) {
      showSum(); // half-typed or out of range: leave the rest alone, the server says why
      return;
    }
    var weights = rescale(snapshot || current(), criterion, value);
    ORDER.forEach(function (c) {
      controls(c).forEach(function (control) {
        if (control !== moved) control.value = String(weights[c]);
      });
    });
    showSum();
  }, true); // capture: the weights are rescaled before htmx reads the form
  form.querySelectorAll("input[type=range][hidden]").forEach(function (slider) {
    slider.hidden = false;
  });
  showSum();
})();
