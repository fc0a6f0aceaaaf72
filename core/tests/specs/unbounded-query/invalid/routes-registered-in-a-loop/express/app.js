// Routes registered in a loop over an object of route modules (sequelize/express-example):
// each module's handlers become GET/POST/PUT/DELETE routes under /api/<name>.
const express = require('express');

const routes = {
  users: require('./routes/users'),
  orchestras: require('./routes/orchestras'),
};

const app = express();

function makeHandlerAwareOfAsyncErrors(handler) {
  return async function (req, res, next) {
    try {
      await handler(req, res);
    } catch (error) {
      next(error);
    }
  };
}

for (const [routeName, routeController] of Object.entries(routes)) {
  if (routeController.getAll) {
    app.get(`/api/${routeName}`, makeHandlerAwareOfAsyncErrors(routeController.getAll));
  }
  if (routeController.getById) {
    app.get(`/api/${routeName}/:id`, makeHandlerAwareOfAsyncErrors(routeController.getById));
  }
}

// The same, as an array of route objects.
const extra = [
  { method: 'get', path: '/api/instruments', handler: require('./routes/instruments').list },
];
extra.forEach(({ method, path, handler }) => {
  app[method](path, handler);
});

module.exports = app;
