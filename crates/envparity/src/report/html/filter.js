(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var findings = Array.prototype.slice.call(document.querySelectorAll(".finding"));
  var count = document.getElementById("shown");
  function checked(name) {
    var boxes = form.querySelectorAll("input[name='" + name + "']");
    var out = {};
    for (var i = 0; i < boxes.length; i++) { out[boxes[i].value] = boxes[i].checked; }
    return out;
  }
  function apply() {
    var severities = checked("severity");
    var dimensions = checked("dimension");
    var pair = form.elements.pair ? form.elements.pair.value : "";
    var shown = 0;
    findings.forEach(function (finding) {
      var visible = severities[finding.dataset.severity] !== false &&
        dimensions[finding.dataset.dimension] !== false &&
        (pair === "" || finding.dataset.pair === pair);
      finding.hidden = !visible;
      if (visible) { shown += 1; }
    });
    if (count) { count.textContent = shown + " of " + findings.length + " shown"; }
  }
  form.addEventListener("change", apply);
  form.hidden = false;
  apply();
})();
