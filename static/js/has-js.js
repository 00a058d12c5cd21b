// Loaded without defer in the judge pages' <head>, before the first paint: the −/+ steppers
// only work with JavaScript, so judge.css shows them only under html.js.
document.documentElement.classList.add("js");
