import fastifyCompress from '@fastify/compress';

export default fastifyCompress;
