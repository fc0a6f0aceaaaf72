export default async function (fastify) {
  fastify.get('/:id', async (request, reply) => {
    const task = await fastify.knex('tasks').where({ id: request.params.id }).first();
    return task ?? reply.notFound('Task not found');
  });
}
