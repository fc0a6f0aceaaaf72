// The compression middleware is registered in another file: the program is compressed.
import express from 'express';
import { installMiddleware } from './middleware.mjs';

export const app = express();
installMiddleware(app);
app.get('/api/users', (req, res) => res.json([]));
