const plugin = async (fastify) => {
  const { usersRepository, passwordManager } = fastify;
  fastify.post('/login', async function (request, reply) { // expect: missing-rate-limit
    const { email, password } = request.body;
    const user = await usersRepository.findByEmail(email);
    if (!user || !(await passwordManager.compare(password, user.password))) {
      return reply.code(401).send({ message: 'Invalid email or password.' });
    }
    request.session.user = { id: user.id, email: user.email };
    return { success: true };
  });
};

export default plugin;
