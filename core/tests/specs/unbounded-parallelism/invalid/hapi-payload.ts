import Hapi from '@hapi/hapi';
import { promises as fs } from 'node:fs';

const server = Hapi.server({ port: 3000 });

server.route({
  method: 'POST',
  path: '/thumbnails',
  handler: async (request: Hapi.Request) => {
    const payload = request.payload as { files: string[] };
    const stats = await Promise.all(payload.files.map((f: string) => fs.stat(`./uploads/${f}`))); // expect: unbounded-parallelism
    const sizes = await Promise.all((request.payload as any).files.map((f: string) => redis.get(`size:${f}`)));
    return { stats, sizes };
  },
});
