// Koa v1 runs generator middleware through co: `yield` awaits, so this loop waits for one
// HTTP request per item before starting the next.
const koa = require('koa');
const router = require('koa-router')();
const request = require('axios');

const app = koa();

router.get('/avatars', function* (next) {
  const users = this.request.body.users;
  for (const user of users) {
    user.avatar = yield request.get(`https://avatars.example.com/${user.email}`); // expect: await-in-loop
  }
  this.body = users;
});

app.use(router.routes());
