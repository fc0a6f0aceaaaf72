// rolfst/hapi_app's shared/utils/cachable.js: one cache instance per cache name.
const cacheInstances = {};

class Cachable {
  static getCache(name, options = {}) {
    const cacheKey = `_${name}`;
    if (!Object.prototype.hasOwnProperty.call(cacheInstances, cacheKey)) {
      cacheInstances[cacheKey] = new Cachable(name, options);
    }
    return cacheInstances[cacheKey];
  }

  constructor(name, options) {
    this.name = name;
    this.ttl = options.ttl || 0;
  }
}

module.exports = Cachable;
