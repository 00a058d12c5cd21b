// Shared glue for every page: htmx settings that all audiences rely on.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.htmx) return;
  // Validation errors come back as 4xx with the form re-rendered: swap them in
  // so the Indonesian message appears beside the field.
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "4..", swap: true, error: true },
    { code: "...", swap: false, error: true },
  ];
  // The venue Wi-Fi drops: never hang forever on a request.
  htmx.config.timeout = 15000;
});
