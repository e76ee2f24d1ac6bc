(function () {
  "use strict";
  var boxes = document.querySelectorAll("input[data-filter]");
  Array.prototype.forEach.call(boxes, function (box) {
    box.addEventListener("change", function () {
      var name = "hide-" + box.getAttribute("data-filter") + "-" + box.value;
      document.body.classList.toggle(name, !box.checked);
    });
  });
})();
