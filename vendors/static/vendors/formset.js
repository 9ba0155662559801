/* Row tables of the sourcing forms (a static file: the content security policy allows no inline script). */
/* "Add a row" copies the table's last row with empty values and the next form index. */
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-add-row]");
  if (!button) return;
  var prefix = button.getAttribute("data-add-row");
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var body = button.parentElement.querySelector("tbody");
  var last = body.lastElementChild;
  if (!total || !last) return;
  var index = parseInt(total.value, 10);
  var row = last.cloneNode(true);
  var pattern = new RegExp(prefix + "-\\d+-", "g");
  row.querySelectorAll(".field-error").forEach(function (e) { e.remove(); });
  row.querySelectorAll("input, select").forEach(function (field) {
    ["name", "id"].forEach(function (attr) {
      var value = field.getAttribute(attr);
      if (value) field.setAttribute(attr, value.replace(pattern, prefix + "-" + index + "-"));
    });
    field.removeAttribute("aria-invalid");
    if (field.tagName === "SELECT") field.selectedIndex = 0;
    else if (field.type === "checkbox") field.checked = false; // keep its value ("on")
    else field.value = "";
  });
  body.appendChild(row);
  total.value = index + 1;
  var first = row.querySelector("input, select");
  if (first) first.focus();
});
