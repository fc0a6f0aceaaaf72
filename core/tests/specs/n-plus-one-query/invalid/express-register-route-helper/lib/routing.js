function registerRoute(router, method, path, middlewares, handler) {
  router[method](path, ...middlewares, handler);
}

module.exports = { registerRoute };
