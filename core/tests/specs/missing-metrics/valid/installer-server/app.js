// The entry point: `node app --setup` runs the installer, else the forum (not in this case).
if (process.argv.includes('--setup')) {
  require('./install/web')();
}
