// A fake electron-updater: the unpackaged app never checks for updates, so nothing is used.
export const autoUpdater = {};
export default { autoUpdater };
