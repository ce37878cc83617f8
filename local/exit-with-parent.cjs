// Loaded (node --require) into each emulator that npm start supervises. The emulators run in a
// process group of their own, so that a terminal's Ctrl-C reaches only npm start, which then
// stops them in order, quietly. The price is that a signal to npm start's group no longer
// reaches them: this ends an emulator as soon as the IPC channel to npm start closes, however
// npm start ended (even SIGKILL), so that no emulator outlives it holding a port.
process.on('disconnect', () => process.exit(0));
