// A hapi server composed by Glue from a manifest, as chaunnt/TemplateNodeJS_HapiAndMySQL's
// server.js does: the callback's `server` is the app. The manifest registers a JWT plugin
// and request logging (`good`), no rate limiter.
'use strict';
const Glue = require('glue');
const Manifest = require('./config/manifest');
const Routes = require('./config/routes');

Glue.compose(Manifest, { relativeTo: __dirname }, (err, server) => { // expect: missing-rate-limit
  if (err) {
    throw err;
  }
  server.start(() => console.log('Server running at:', server.info.uri));
  server.auth.strategy('jwt', 'jwt', { key: process.env.JWT_SECRET, verifyOptions: { algorithms: ['HS256'] } });
  server.route(Routes);
});
