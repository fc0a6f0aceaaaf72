// A plain object memo filled per request on a Fastify route (ES module).
import Fastify from 'fastify';
import { geocode } from './geo.mjs';

const fastify = Fastify();
const geoMemo = {}; // expect: unbounded-memory-cache

fastify.get('/api/geocode', async (request) => {
  const q = request.query.address;
  if (geoMemo[q]) return geoMemo[q];
  geoMemo[q] = await geocode(q);
  return geoMemo[q];
});
