// The cache lives in its own module; a service in another file fills it.
const profileCache = new Map(); // expect: unbounded-memory-cache
module.exports = { profileCache };
