// From fastify/demo: the served app registers no compression, and every test builds a bare
// app of its own (test/helper.js, *.test.js). One defect, one finding: the app that is
// deployed, not one more per test app.
import Fastify from 'fastify';

const app = Fastify({ logger: true }); // expect: missing-compression
app.get('/api/health', async () => ({ ok: true }));
await app.listen({ port: 3000 });
