// Imports relative to the source root (tsconfig `baseUrl: "."`, and a `@/*` path alias), as
// NestJS and many TypeScript backends write them (amori95917/connyct-node-api-nestjs-prisma-postgreSQL).
import express from 'express';
import { listOrders } from 'src/orders/orders.handlers';

const app = express();
app.get('/api/orders', listOrders); // expect: missing-response-cache
app.listen(3000);
