import Fastify from 'fastify';

const fastify = Fastify();

fastify.get('/api/teams', async (request, reply) => {
  const teams = await loadTeams();
  const members = await loadMembers();
  return teams.map((team) => ({
    ...team,
    members: members.filter((m) => m.teamId === team.id), // expect: quadratic-lookup
    leadIndex: members.findIndex((m) => m.id === team.leadId), // expect: quadratic-lookup
  }));
});

async function loadTeams() {
  return [];
}
async function loadMembers() {
  return [];
}

await fastify.listen({ port: 3000 });
