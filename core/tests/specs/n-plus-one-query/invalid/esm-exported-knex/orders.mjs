import Fastify from 'fastify';
import db from './db.mjs';

const app = Fastify();

app.get('/orders', async (request) => {
  const orders = await db('orders').where({ customerId: request.query.customerId }).limit(20);
  for (const order of orders) {
    order.lines = await db('order_lines').where({ orderId: order.id }); // expect: n-plus-one-query
  }
  return orders;
});

await app.listen({ port: 3000 });
