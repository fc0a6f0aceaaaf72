const Koa = require('koa');
const Router = require('@koa/router');
const axios = require('axios');

const app = new Koa();
const router = new Router();

router.post('/sync-avatars', async (ctx) => {
  const users = await User.findAll({ where: { active: true } });
  await Promise.all( // expect: unbounded-parallelism
    users.map(async (user) => {
      const { data } = await axios.get(`${GRAVATAR}/${user.emailHash}.json`);
      user.avatarUrl = data.entry[0].thumbnailUrl;
    }),
  );
  ctx.body = { synced: users.length };
});

app.use(router.routes());
app.listen(3000);
