// Shared glue for every page: htmx settings that all audiences rely on, and the live connection.

// Every page's live connection (the Socket.IO namespace /live). When the server goes away in
// the middle of the switch from long-polling to WebSocket, engine.io-client leaves the polling
// paused and the page would go on saying it is live until the ping timeout (45 s): such a
// half-made switch is closed, and the connection starts over (and says it is offline meanwhile).
window.liveSocket = function (options) {
  var socket = io("/live", options);
  socket.io.on("open", function () {
    var engine = socket.io.engine;
    engine.on("upgradeError", function () {
      var state = engine.transport && engine.transport.readyState;
      if (state === "paused" || state === "pausing") engine.close();
    });
  });
  return socket;
};

document.addEventListener("DOMContentLoaded", function () {
  if (!window.htmx) return;
  // Validation errors come back as 4xx with the form re-rendered: swap them in
  // so the Indonesian message appears beside the field. A refusal the page expects
  // (422 invalid input, 409 a rule of the contest's state) is an answer like any other,
  // not an error to log; other 4xx (403, 404, 429) still are.
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "409|422", swap: true, error: false },
    { code: "4..", swap: true, error: true },
    { code: "...", swap: false, error: true },
  ];
  // The venue Wi-Fi drops: never hang forever on a request.
  htmx.config.timeout = 15000;
});
