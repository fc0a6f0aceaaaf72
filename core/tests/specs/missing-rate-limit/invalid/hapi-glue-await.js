// glue 5+: `await Glue.compose(manifest, options)` returns the hapi server; the manifest lists
// plugins by name (`{ plugin: 'hapi-pino' }`), none of them a rate limiter, so the rewrite adds
// one to the same list.
const Glue = require('@hapi/glue');
const manifest = { server: { port: 3000 }, register: { plugins: [{ plugin: 'hapi-pino' }, { plugin: './routes' }] } };

const start = async () => {
  const server = await Glue.compose(manifest, { relativeTo: __dirname }); // expect: missing-rate-limit
  await server.start();
};
start();
