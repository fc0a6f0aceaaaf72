import express from 'express';
import rateLimit from 'express-rate-limit';
import authRouter from './routes/auth.mjs';

const app = express();
app.use(rateLimit({ windowMs: 60_000, limit: 100 }));
const authLimiter = rateLimit({ windowMs: 15 * 60_000, limit: 5 });
app.use('/api/auth', authLimiter, authRouter);

const exportLimiter = rateLimit({ windowMs: 60_000, limit: 2 });
app.get('/api/export', exportLimiter, (req, res) => res.json([]));
app.get('/api/users', (req, res) => res.json([]));
