// Health check registered before the parsers; light middleware everywhere is fine; an app
// with heavy middleware but no light routes has nothing to separate.
import express from 'express';
import cors from 'cors';
import helmet from 'helmet';
import cookieParser from 'cookie-parser';

const app = express();
app.get('/health', (req, res) => res.send('ok'));
app.use(cors());
app.use(helmet());
app.use(express.json());
app.post('/api/login', (req, res) => res.json(req.body));

const admin = express();
admin.use(cookieParser());
admin.get('/admin/users', (req, res) => res.json([]));
admin.use('/uploads', express.urlencoded({ extended: false }));
