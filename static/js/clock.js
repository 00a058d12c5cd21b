// The server's clock on this device (docs/stage-timer.md). Every screen that shows the stage
// timer computes it from the server's start time and this device's offset to the server clock,
// so a tablet, the projector and a phone whose own clocks disagree show the same second.
//
// The page asks the server for its time over Socket.IO (`clock`, answered at once) and keeps
// the answer with the shortest round trip among the recent ones: its error is at most half that
// round trip. The device's side is performance.timeOrigin + performance.now(), a clock that
// never steps when someone (or NTP) sets the device's date; Date.now() is never used.
//
//   PapanClock.start(socket);  PapanClock.now();  PapanClock.synced();  PapanClock.offset();
(function () {
  "use strict";

  var BURST = 5;            // pings right after connecting, 150 ms apart
  var EVERY_MS = 20000;     // then one ping every 20 s
  var KEEP = 12;            // samples kept: the newest dozen (four minutes)
  var samples = [];
  var offset = null;        // server time minus local time, ms
  var socket = null;
  var timer = null;

  function local() {
    return performance.timeOrigin + performance.now();
  }

  function best() {
    var chosen = null;
    samples.forEach(function (sample) {
      if (!chosen || sample.rtt < chosen.rtt) chosen = sample;
    });
    return chosen;
  }

  function ping() {
    if (!socket || !socket.connected) return;
    var sent = local();
    socket.timeout(5000).emit("clock", {}, function (error, answer) {
      if (error || !answer || typeof answer.now !== "number") return;
      var back = local();
      samples.push({ rtt: back - sent, offset: answer.now - (sent + back) / 2 });
      if (samples.length > KEEP) samples.shift();
      offset = best().offset;
      document.documentElement.dataset.clock = "synced";
    });
  }

  function burst() {
    for (var i = 0; i < BURST; i += 1) setTimeout(ping, i * 150);
  }

  function start(io) {
    if (socket === io) return;
    socket = io;
    if (socket.connected) burst();
    socket.on("connect", burst);
    if (!timer) timer = setInterval(ping, EVERY_MS);
  }

  window.PapanClock = {
    start: start,
    local: local,
    // Before the first answer the device's own clock is the best there is.
    now: function () { return local() + (offset === null ? 0 : offset); },
    synced: function () { return offset !== null; },
    offset: function () { return offset; },
    roundTrip: function () { var b = best(); return b ? b.rtt : null; },
  };
})();
