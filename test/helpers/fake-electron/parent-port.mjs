// In a child forked by the fake utilityProcess: process.parentPort as Electron gives it to a
// utility process, carried over Node's IPC channel.
process.parentPort = {
  on(event, listener) {
    if (event === 'message') process.on('message', (data) => listener({ data }));
  },
  postMessage(message) {
    process.send?.(message);
  },
};
