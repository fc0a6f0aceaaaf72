// From gothinkster/node-express-realworld-example-app: the API router is built and mounted in
// one expression (`Router().use(a).use(b)`, `export default Router().use('/api', api)`), so
// every route lives under /api.
import express from 'express';
import routes from './routes.js';

const app = express();
app.use(express.json());
app.use(routes);
app.listen(3000);
