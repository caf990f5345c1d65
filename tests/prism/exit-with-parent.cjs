// Preloaded into Prism's node process by tests/src/prism.rs (`node --require THIS ...`): the test
// process holds the write end of node's stdin, so when it dies, however it dies, stdin reaches
// end-of-file and Prism exits instead of lingering on its port.
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
